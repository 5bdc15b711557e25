"""The resident's side of concerns: report one in two steps (the open concerns nearby are
shown before the details, so a resident can follow one instead), follow one, read one, and
the list of recent concerns; each page with its JSON twin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonbeat.core import limits, policy, twins, uploads
from commonbeat.core.languages import translated
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.concerns import api, files, services
from commonbeat.engagement.concerns.forms import DetailsForm, FollowForm, PlaceForm
from commonbeat.engagement.concerns.models import Concern, Follower, Service

PAGE_SIZE = 50
MAX_PAGE = 200
LIST_HEADER = (
    "service_request_id", "service_code", "service_name", "status", "requested_datetime",
    "updated_datetime", "neighbourhood", "lat", "long", "description", "url",
)  # fmt: skip


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _busy(request: HttpRequest, wait: int) -> HttpResponse:
    message = _(
        "Too many concerns have come from your connection in the last hour. Please try again "
        "in %(minutes)s minutes."
    ) % {"minutes": max(1, wait // 60)}
    return limits.too_many(request, message, wait)


def _nearby_data(found: list[Concern]) -> list[dict[str, Any]]:
    return [api.concern_data(c) for c in found]


def _place_page(request: HttpRequest, form: PlaceForm, status: int = 200) -> HttpResponse:
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n.name}, "geometry": n.boundary}
            for n in Neighbourhood.objects.only("name", "boundary")[:200]
        ],
    }
    config = {
        "boundaries": boundaries,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "picked": _("Place picked on the map: it is used instead of the address."),
    }
    context = {"form": form, "map_config": config}
    return render(request, "engagement/concern_place.html", context, status=status)


@policy.requires("concern.report")
def report(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET, or POST step=place): what and where. Step 2 (POST step=details)."""
    if request.method != "POST":
        return _place_page(request, PlaceForm())
    if request.POST.get("step") == "details":
        return _details(request)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return _place_page(request, form, status=400)
    service = Service.objects.get(code=form.cleaned_data["service"], active=True)
    sent = services.Report(
        service=service,
        language=_language(),
        latitude=form.cleaned_data.get("latitude"),
        longitude=form.cleaned_data.get("longitude"),
        address_string=form.cleaned_data.get("address") or "",
    )
    try:
        latitude, longitude, point = services.locate(sent)
    except services.ConcernRefused as refused:
        for message in refused.problems.values():
            form.add_error("address", message)
        return _place_page(request, form, status=400)
    nearby = services.open_nearby(service, latitude, longitude)
    place = {
        "latitude": latitude,
        "longitude": longitude,
        "address": point.label() if point else "",
    }
    return _details_page(request, service, place, DetailsForm(service=service), nearby)


def _details_page(
    request: HttpRequest,
    service: Service,
    place: dict[str, Any],
    form: DetailsForm,
    nearby: list[Concern],
    status: int = 200,
) -> HttpResponse:
    context = {
        "service": service,
        "service_name": translated(service, "name").text,
        "place": place,
        "form": form,
        "nearby": _nearby_data(nearby),
        "follow_form": FollowForm(),
        "metres": services.NEARBY_METRES,
    }
    return render(request, "engagement/concern_details.html", context, status=status)


def _details(request: HttpRequest) -> HttpResponse:
    service = Service.objects.filter(code=request.POST.get("service", ""), active=True).first()
    if service is None:
        return _place_page(request, PlaceForm(), status=400)
    try:
        latitude = float(request.POST.get("latitude", ""))
        longitude = float(request.POST.get("longitude", ""))
    except ValueError:
        return _place_page(request, PlaceForm(), status=400)
    address = str(request.POST.get("address", ""))[:300]
    place: dict[str, Any] = {"latitude": latitude, "longitude": longitude, "address": address}
    form = DetailsForm(request.POST, request.FILES, service=service)
    refused = uploads.refusals(request)
    for message in refused:
        form.add_error("photo", message)
    nearby = services.open_nearby(service, latitude, longitude)
    if refused or not form.is_valid():
        return _details_page(request, service, place, form, nearby, status=400)
    photo = None
    upload = form.cleaned_data.get("photo")
    if upload:
        try:
            photo = files.check_photo(upload)
        except files.PhotoRefused as problem:
            form.add_error("photo", str(problem))
            return _details_page(request, service, place, form, nearby, status=400)
    wait = limits.hourly(request, "concern", settings.CONCERN_RATE_PER_HOUR)
    if wait is not None:
        return _busy(request, wait)
    data = form.cleaned_data
    try:
        concern = services.report(
            services.Report(
                service=service, language=_language(), latitude=latitude, longitude=longitude,
                address_string=address, attributes=form.answers(),
                description=data["description"], photo=photo, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], phone=data["phone"],
                hide_name=not data["show_name"], user=request.user,
            )
        )  # fmt: skip
    except services.ConcernRefused as problem:
        for name, message in problem.problems.items():
            field = f"attribute_{name[10:-1]}" if name.startswith("attribute[") else name
            form.add_error(field if field in form.fields else None, message)
        return _details_page(request, service, place, form, nearby, status=400)
    messages.success(
        request,
        _("Thank you: concern %(number)s went to the %(team)s neighbourhood team.")
        % {
            "number": concern.pk,
            "team": concern.neighbourhood.name if concern.neighbourhood else "",
        },
    )
    return redirect("engagement:concern", concern.pk)


def _public() -> Any:
    return (
        Concern.objects.filter(accepted=True)
        # A neighbourhood's boundary is a large JSON document: never decoded for a list.
        .defer("attributes", "neighbourhood__boundary", "neighbourhood__contact_details")
        .select_related("service", "agency", "neighbourhood", "address")
        .prefetch_related(
            Prefetch("notes", to_attr="note_list"),
            Prefetch("duplicates", queryset=Concern.objects.only("pk", "duplicate_of_id")),
        )
    )


@policy.requires("engagement.view")
def concern_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    concern = get_object_or_404(_public(), pk=pk)
    data = api.concern_data(concern)
    context = {"concern": concern, "item": data, "follow_form": FollowForm()}
    return twins.respond(
        request, "engagement/concern_detail.html", context, data, suffix=suffix,
        filename=f"concern-{concern.pk}",
    )  # fmt: skip


@require_POST
@policy.requires("concern.report")
def concern_follow(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(_public(), pk=pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        data = api.concern_data(concern)
        context = {"concern": concern, "item": data, "follow_form": form}
        return render(request, "engagement/concern_detail.html", context, status=400)
    wait = limits.hourly(request, "concern", settings.CONCERN_RATE_PER_HOUR)
    if wait is not None:
        return _busy(request, wait)
    if services.follow(concern, form.cleaned_data["email"], _language()) is None:
        messages.info(request, _("That address already follows this concern."))
    else:
        messages.success(request, _("You follow this concern: we will write when it changes."))
    return redirect("engagement:concern", concern.pk)


@policy.requires("engagement.view")
def concern_photo(request: HttpRequest, pk: int) -> FileResponse:
    concern = get_object_or_404(Concern, pk=pk)
    shown = concern.photo and (concern.photo_public or policy.can(request.user, "concern.change"))
    if not shown:
        raise Http404(_("This concern has no photo to show."))
    try:
        path = files.path_of(concern.photo)
    except FileNotFoundError:
        raise Http404(_("This concern has no photo to show.")) from None
    response = FileResponse(path.open("rb"), content_type=_photo_type(concern.photo))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _photo_type(name: str) -> str:
    for extension, kind in ((".png", "image/png"), (".webp", "image/webp")):
        if name.endswith(extension):
            return kind
    return "image/jpeg"


@policy.requires("engagement.view")
def concern_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    found = _public()
    chosen: dict[str, str] = {}
    for name, lookup in (
        ("service", "service__code"),
        ("status", "status"),
        ("neighbourhood", "neighbourhood__slug"),
    ):
        value = request.GET.get(name, "")
        if value:
            found = found.filter(**{lookup: value})
            chosen[name] = value
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    page = int(raw)
    window = list(
        found.order_by("-requested_at", "-pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1]
    )
    page_rows = window[:PAGE_SIZE]
    # Followers counted for the page's rows only, in one query (a count over the whole
    # table, grouped before the page is cut, would cost more than the page).
    counted = dict(
        Follower.objects.filter(concern__in=[c.pk for c in page_rows])
        .values("concern")
        .annotate(n=Count("pk"))
        .values_list("concern", "n")
    )
    for row in page_rows:
        row.follower_count = counted.get(row.pk, 0)
    shown = [api.concern_data(c) for c in page_rows]
    rows = (
        [c["service_request_id"], c["service_code"], c["service_name"], c["status"],
         c["requested_datetime"], c["updated_datetime"], c["neighbourhood"], c["lat"], c["long"],
         c["description"], request.build_absolute_uri(c["url"])]
        for c in shown
    )  # fmt: skip
    context = {
        "items": shown,
        "page": page,
        "has_next": len(window) > PAGE_SIZE,
        "query": urlencode(chosen),
        "services": [
            (s.code, translated(s, "name").text) for s in Service.objects.filter(active=True)
        ],
        "chosen": chosen,
    }
    return twins.respond(
        request, "engagement/concern_list.html", context, {"concerns": shown, "page": page},
        suffix=suffix, table=(LIST_HEADER, rows), filename="concerns",
    )  # fmt: skip

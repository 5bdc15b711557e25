"""Public programme pages: the list, one programme with its roles and figures, the sign-up
form, and the volunteer's own page (reached by the link in their e-mail) to see their sign-up
and hours and to withdraw."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonbeat.core import limits, policy, twins
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.links import secret_page
from commonbeat.engagement.volunteers import api, links, services
from commonbeat.engagement.volunteers.forms import SignUpForm
from commonbeat.engagement.volunteers.models import Programme, Volunteer

PAGE_SIZE = 25
MAX_PAGE = 200
LIST_HEADER = (
    "id", "title", "kind", "agency", "neighbourhood", "signups_open", "minimum_age",
    "screening_required", "active_volunteers", "hours_this_year", "year", "contact", "url",
)  # fmt: skip
ROLE_HEADER = ("programme", "role_id", "role", "places", "full")


def _programmes() -> Any:
    return (
        Programme.objects.filter(public=True)
        # A neighbourhood's boundary is a large JSON document: never decoded for a list.
        .defer("neighbourhood__boundary", "neighbourhood__contact_details")
        .select_related("agency", "neighbourhood")
    )


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


@policy.requires("engagement.view")
def programme_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """Volunteer programmes, filtered by neighbourhood and kind."""
    found = _programmes()
    chosen: dict[str, str] = {}
    neighbourhood = request.GET.get("neighbourhood", "")
    if neighbourhood:
        # A neighbourhood's list includes its agency's city-wide programmes.
        found = found.filter(
            Q(neighbourhood__slug=neighbourhood)
            | Q(
                neighbourhood__isnull=True,
                agency__in=Agency.objects.filter(neighbourhoods__slug=neighbourhood),
            )
        )
        chosen["neighbourhood"] = neighbourhood
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in Programme.Kind.values:
            raise Http404(_("No such kind of programme."))
        found = found.filter(kind=kind)
        chosen["kind"] = kind
    page = _page(request)
    start = (page - 1) * PAGE_SIZE
    window = list(found[start : start + PAGE_SIZE + 1])
    shown = window[:PAGE_SIZE]
    counted = api.figures(p.pk for p in shown)
    listed = [api.programme_data(p, counted[p.pk]) for p in shown]
    rows = (
        [
            p["id"], p["title"], p["kind"], p["agency"], p["neighbourhood"], p["signups_open"],
            p["minimum_age"], p["screening_required"], p["active_volunteers"],
            p["hours_this_year"], p["year"], p["contact"], request.build_absolute_uri(p["url"]),
        ]
        for p in listed
    )  # fmt: skip
    context = {
        "items": listed,
        "page": page,
        "has_next": len(window) > PAGE_SIZE,
        "query": urlencode(chosen),
        "neighbourhoods": Neighbourhood.objects.only("slug", "name").order_by("name"),
        "kinds": Programme.Kind.choices,
        "chosen": chosen,
        "min_count": api.MIN_COUNT,
    }
    return twins.respond(
        request, "engagement/programme_list.html", context,
        {"programmes": listed, "page": page}, suffix=suffix, table=(LIST_HEADER, rows),
        filename="volunteer-programmes",
    )  # fmt: skip


@policy.requires("engagement.view")
def programme_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    programme = get_object_or_404(_programmes().prefetch_related("roles"), pk=pk)
    data = api.programme_data(programme, api.figures([programme.pk])[programme.pk], detail=True)
    rows = ([programme.pk, r["id"], r["title"], r["places"], r["full"]] for r in data["roles"])
    roles = list(zip(programme.roles.all(), data["roles"], strict=True))
    context = {"programme": programme, "roles": roles, "min_count": api.MIN_COUNT}
    return twins.respond(
        request, "engagement/programme_detail.html", context, data, suffix=suffix,
        table=(ROLE_HEADER, rows), filename=f"volunteer-programme-{programme.pk}",
    )  # fmt: skip


def _join_page(
    request: HttpRequest, programme: Programme, form: SignUpForm, status: int = 200
) -> HttpResponse:
    data = api.programme_data(programme, api.figures([programme.pk])[programme.pk], detail=True)
    context = {"programme": programme, "data": data, "form": form}
    return render(request, "engagement/programme_join.html", context, status=status)


def _busy(request: HttpRequest, wait: int) -> HttpResponse:
    message = _(
        "Too many sign-ups have come from your connection in the last hour. Please try again "
        "in %(minutes)s minutes."
    ) % {"minutes": max(1, math.ceil(wait / 60))}
    return limits.too_many(request, message, wait)


@policy.requires("volunteer.sign_up")
def programme_join(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-up form (GET) and sign-up (POST)."""
    programme = get_object_or_404(_programmes().prefetch_related("roles"), pk=pk)
    if request.method != "POST":
        return _join_page(request, programme, SignUpForm(programme=programme))
    form = SignUpForm(request.POST, programme=programme)
    if not form.is_valid():
        return _join_page(request, programme, form, status=400)
    # Counted like registrations, under their per-hour setting but a name of its own.
    wait = limits.hourly(request, "volunteer", settings.REGISTRATION_RATE_PER_HOUR)
    if wait is not None:
        return _busy(request, wait)
    data = form.cleaned_data
    try:
        volunteer = services.sign_up(
            programme,
            services.SignUp(
                name=data["name"], email=data["email"], phone=data["phone"],
                neighbourhood=data["neighbourhood"], role=data.get("role"),
                languages=data["languages"], availability=list(data["availability"]),
                consent=data["consent"], user=request.user,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            ),
        )  # fmt: skip
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return _join_page(request, programme, form, status=400)
    messages.success(request, _("Thank you for signing up. We sent the details to your e-mail."))
    return redirect(links.path(volunteer))


def _volunteer(pk: int, secret: str) -> Volunteer:
    volunteer = get_object_or_404(
        Volunteer.objects.select_related("programme__agency", "role"), pk=pk
    )
    if not links.matches(volunteer, secret):
        raise Http404(_("This volunteer link is not valid."))
    return volunteer


@policy.requires("volunteer.manage")
def volunteer_page(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    volunteer = _volunteer(pk, secret)
    year = timezone.localdate().year
    hours = volunteer.hours.all()
    context = {
        "secret": secret,
        "volunteer": volunteer,
        "programme": volunteer.programme,
        # Only whether screening is in progress or complete: never its outcome or note.
        "screening": services.screening_progress(volunteer),
        "total": hours.aggregate(total=Sum("hours"))["total"] or 0,
        "this_year": hours.filter(served_on__year=year).aggregate(total=Sum("hours"))["total"] or 0,
        "year": year,
        "recent": hours[:20],
        "may_withdraw": volunteer.status != Volunteer.Status.WITHDRAWN,
    }
    response = render(request, "engagement/volunteer.html", context)
    return secret_page(response)


@require_POST
@policy.requires("volunteer.manage")
def volunteer_withdraw(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    volunteer = _volunteer(pk, secret)
    try:
        services.withdraw(volunteer)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("You have withdrawn. Thank you for your time."))
    return redirect(links.path(volunteer))

"""Public pages of announcements and critical incidents, each with its JSON and CSV twins,
the Atom feeds, and the two staff pages that post an update or correct one.

Drafts and scheduled announcements and unpublished incidents are not public: their pages are
a 404 to the public, and a preview marked as such to staff who may edit them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.announcements import api, feeds, services
from commonbeat.engagement.announcements.forms import CorrectionForm, UpdateForm
from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentUpdate,
)

PAGE_SIZE = 20
MAX_PAGE = 200
MAX_ALERTS = 10
# The median is taken over at most this many incidents (an agency has a few dozen a year).
MAX_MEASURED = 10_000
ANNOUNCEMENT_HEADER = (
    "id", "kind", "title", "agency", "neighbourhood", "published", "updated", "alert_ends",
    "active_alert", "time_zone", "body", "url",
)  # fmt: skip
INCIDENT_HEADER = (
    "id", "title", "agency", "neighbourhood", "occurred", "first_public_update",
    "time_to_first_update_seconds", "time_to_first_update", "time_zone", "url",
)  # fmt: skip
TIMELINE_HEADER = ("update_id", "posted", "corrects", "what_was_wrong", "corrected_by", "body")


class BadFilter(Exception):
    """A filter the list cannot apply, said to the reader."""


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


def _places(request: HttpRequest, chosen: dict[str, str]) -> tuple[Any, Any]:
    """Return the chosen agencies and neighbourhoods (None when not filtered), or refuse."""
    agencies = neighbourhoods = None
    agency = request.GET.get("agency", "")
    if agency:
        agencies = Agency.objects.filter(slug=agency)
        if not agencies.exists():
            raise BadFilter(_("No agency is called “%(slug)s”.") % {"slug": agency[:60]})
        chosen["agency"] = agency
    neighbourhood = request.GET.get("neighbourhood", "")
    if neighbourhood:
        neighbourhoods = Neighbourhood.objects.filter(slug=neighbourhood)
        if agencies is not None:
            neighbourhoods = neighbourhoods.filter(agency__in=agencies)
        if not neighbourhoods.exists():
            raise BadFilter(
                _("No neighbourhood is called “%(slug)s”.") % {"slug": neighbourhood[:60]}
            )
        chosen["neighbourhood"] = neighbourhood
    return agencies, neighbourhoods


def _in_places(found: QuerySet[Any], agencies: Any, neighbourhoods: Any) -> QuerySet[Any]:
    if agencies is not None:
        found = found.filter(agency__in=agencies)
    if neighbourhoods is not None:
        # A neighbourhood's list includes its agency's city-wide posts.
        found = found.filter(
            Q(neighbourhood__in=neighbourhoods)
            | Q(
                neighbourhood__isnull=True,
                agency__in=Agency.objects.filter(neighbourhoods__in=neighbourhoods),
            )
        )
    return found


def _refused(
    request: HttpRequest, suffix: str | None, template: str, context: dict[str, Any], why: str
) -> HttpResponse:
    fmt = twins.requested_format(request, suffix)
    if fmt == "json":
        return JsonResponse({"error": why}, status=400, json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        return HttpResponse(why, status=400, content_type="text/plain; charset=utf-8")
    return render(request, template, {**context, "error": why, "items": []}, status=400)


def _choices() -> dict[str, Any]:
    return {
        "agencies": Agency.objects.order_by("name"),
        "neighbourhoods": Neighbourhood.objects.only("slug", "name").order_by("name"),
    }


# Announcements ----------------------------------------------------------------------------


@policy.requires("engagement.view")
def announcement_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """Published announcements, newest first, filtered by agency, neighbourhood and kind."""
    chosen: dict[str, str] = {}
    context: dict[str, Any] = {**_choices(), "kinds": Announcement.Kind.choices, "page": 1}
    template = "engagement/announcement_list.html"
    try:
        agencies, neighbourhoods = _places(request, chosen)
        kind = request.GET.get("kind", "")
        if kind and kind not in Announcement.Kind.values:
            raise BadFilter(
                _("No kind of announcement is called “%(kind)s”: use %(kinds)s.")
                % {"kind": kind[:40], "kinds": ", ".join(Announcement.Kind.values)}
            )
    except BadFilter as bad:
        return _refused(request, suffix, template, {**context, "chosen": chosen}, str(bad))
    found = _in_places(api.public_announcements(), agencies, neighbourhoods)
    alerts = [api.announcement_data(a) for a in api.active_alerts(found)[:MAX_ALERTS]]
    if kind:
        found = found.filter(kind=kind)
        chosen["kind"] = kind
    page = _page(request)
    window = list(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    listed = [api.announcement_data(a) for a in window[:PAGE_SIZE]]
    data = {"announcements": listed, "active_alerts": alerts, "page": page}
    rows = (_announcement_row(request, a) for a in listed)
    feed = _feed_for(chosen, neighbourhoods)
    context.update(
        items=listed, alerts=alerts, page=page, has_next=len(window) > PAGE_SIZE,
        query=urlencode(chosen), chosen=chosen, feed=feed,
    )  # fmt: skip
    return twins.respond(
        request, template, context, data, suffix=suffix, table=(ANNOUNCEMENT_HEADER, rows),
        filename="announcements",
    )  # fmt: skip


def _announcement_row(request: HttpRequest, a: dict[str, Any]) -> list[Any]:
    return [
        a["id"], a["kind"], a["title"], a["agency"], a["neighbourhood"], a["published"],
        a["updated"], a["alert_ends"], a["active_alert"], a["time_zone"], a["body"],
        request.build_absolute_uri(a["url"]),
    ]  # fmt: skip


def _feed_for(chosen: dict[str, str], neighbourhoods: Any) -> str | None:
    """The Atom feed that matches the list's places, if one does."""
    if neighbourhoods is not None:
        place = neighbourhoods.select_related("agency").first()
        return reverse("engagement:neighbourhood_feed", args=[place.agency.slug, place.slug])
    if "agency" in chosen:
        return reverse("engagement:agency_feed", args=[chosen["agency"]])
    agency = Agency.objects.order_by("name").first()
    return reverse("engagement:agency_feed", args=[agency.slug]) if agency else None


@policy.requires("engagement.view")
def announcement_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    announcement = get_object_or_404(
        Announcement.objects.select_related("agency", "neighbourhood"), pk=pk
    )
    preview = not announcement.is_public()
    if preview and not policy.can(request.user, "announcement.view"):
        raise Http404(_("No announcement has that number."))
    data = api.announcement_data(announcement)
    context = {"announcement": announcement, "preview": preview}
    response = twins.respond(
        request, "engagement/announcement_detail.html", context, data, suffix=suffix,
        table=(ANNOUNCEMENT_HEADER, [_announcement_row(request, data)]),
        filename=f"announcement-{announcement.pk}",
    )  # fmt: skip
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


def _atom(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    response["Cache-Control"] = "public, max-age=300"  # readers poll; five minutes is fresh
    return response


@policy.requires("engagement.view")
def agency_feed(request: HttpRequest, agency: str) -> HttpResponse:
    found = get_object_or_404(Agency, slug=agency)
    shown = list(api.public_announcements().filter(agency=found)[: feeds.MAX_ENTRIES])
    title = _("%(agency)s: announcements") % {"agency": found.name}
    page = reverse("engagement:announcements") + "?" + urlencode({"agency": found.slug})
    return _atom(feeds.atom(request, found, shown, key=found.slug, title=title, page=page))


@policy.requires("engagement.view")
def neighbourhood_feed(request: HttpRequest, agency: str, neighbourhood: str) -> HttpResponse:
    place = get_object_or_404(
        Neighbourhood.objects.select_related("agency"), agency__slug=agency, slug=neighbourhood
    )
    shown = list(api.for_place(api.public_announcements(), place)[: feeds.MAX_ENTRIES])
    title = _("%(neighbourhood)s: announcements") % {"neighbourhood": place.name}
    page = reverse("engagement:announcements") + "?" + urlencode(
        {"agency": place.agency.slug, "neighbourhood": place.slug}
    )  # fmt: skip
    key = f"{place.agency.slug}/{place.slug}"
    return _atom(feeds.atom(request, place.agency, shown, key=key, title=title, page=page))


# Critical incidents -----------------------------------------------------------------------


@policy.requires("engagement.view")
def incident_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """Public incidents, most recent first, with each one's time to its first public update
    and the median over every incident the filters match."""
    chosen: dict[str, str] = {}
    template = "engagement/incident_list.html"
    context: dict[str, Any] = {**_choices(), "page": 1}
    try:
        agencies, neighbourhoods = _places(request, chosen)
    except BadFilter as bad:
        return _refused(request, suffix, template, {**context, "chosen": chosen}, str(bad))
    found = _in_places(api.public_incidents(), agencies, neighbourhoods)
    page = _page(request)
    window = list(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    listed = [api.incident_data(i) for i in window[:PAGE_SIZE]]
    measured = list(found.select_related(None).only("occurred_at")[:MAX_MEASURED])
    median = api.median_delay(measured)
    timed = sum(1 for i in measured if api.time_to_first_update(i) is not None)
    summary = {
        "incidents": len(measured),
        "median_time_to_first_update_seconds": api.seconds(median),
        "median_time_to_first_update": api.iso_duration(median),
        "median_time_to_first_update_words": api.in_words(median) if median else None,
        "incidents_with_a_public_update": timed,
    }
    data = {"incidents": listed, "summary": summary, "page": page}
    rows = (
        [i["id"], i["title"], i["agency"], i["neighbourhood"], i["occurred"],
         i["first_public_update"], i["time_to_first_update_seconds"], i["time_to_first_update"],
         i["time_zone"], request.build_absolute_uri(i["url"])]
        for i in listed
    )  # fmt: skip
    context.update(
        items=listed, summary=summary, page=page, has_next=len(window) > PAGE_SIZE,
        query=urlencode(chosen), chosen=chosen,
    )  # fmt: skip
    return twins.respond(
        request, template, context, data, suffix=suffix, table=(INCIDENT_HEADER, rows),
        filename="critical-incidents",
    )  # fmt: skip


def _incident(pk: int, request: HttpRequest) -> tuple[CriticalIncident, bool]:
    """Return the incident with its timeline, and whether it is a staff preview."""
    updates = IncidentUpdate.objects.select_related("corrects").prefetch_related(
        Prefetch("corrections", queryset=IncidentUpdate.objects.order_by("posted_at", "pk"))
    )
    incident = get_object_or_404(
        CriticalIncident.objects.select_related("agency", "neighbourhood")
        .annotate(first_posted=Min("updates__posted_at"))
        .prefetch_related(Prefetch("updates", queryset=updates), "links"),
        pk=pk,
    )
    preview = not incident.is_public
    if preview and not policy.can(request.user, "criticalincident.view"):
        raise Http404(_("No critical incident has that number."))
    return incident, preview


@policy.requires("engagement.view")
def incident_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    incident, preview = _incident(pk, request)
    data = api.incident_data(incident, detail=True, drafts=preview)
    rows = (
        [u["id"], u["posted"], u["corrects"], u["what_was_wrong"],
         " ".join(str(c) for c in u["corrected_by"]), u["body"]]
        for u in data["updates"]
    )  # fmt: skip
    context = {
        "incident": incident,
        "preview": preview,
        "may_post": policy.can(request.user, "incidentupdate.add"),
        "backoffice": reverse("backoffice:engagement_criticalincident_change", args=[incident.pk]),
    }
    response = twins.respond(
        request, "engagement/incident_detail.html", context, data, suffix=suffix,
        table=(TIMELINE_HEADER, rows), filename=f"critical-incident-{incident.pk}",
    )  # fmt: skip
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


@policy.requires("engagement.view")
def incident_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """A public incident's timeline as Atom; a draft incident has none (404), even for staff."""
    public = IncidentUpdate.objects.filter(posted_at__isnull=False)
    updates = public.select_related("corrects").prefetch_related(
        Prefetch("corrections", queryset=public.order_by("posted_at", "pk"))
    )
    incident = get_object_or_404(
        CriticalIncident.objects.filter(published_at__isnull=False)
        .select_related("agency")
        .prefetch_related(Prefetch("updates", queryset=updates)),
        pk=pk,
    )
    return _atom(feeds.incident_atom(request, incident, list(incident.updates.all())))


def _staff_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "engagement/incident_update_form.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@policy.requires("incidentupdate.add")
def incident_post_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: add an update (public at once when the incident is public)."""
    incident, _preview = _incident(pk, request)
    form = UpdateForm(request.POST if request.method == "POST" else None)
    context = {"incident": incident, "form": form, "original": None}
    if request.method != "POST" or not form.is_valid():
        return _staff_page(request, context, status=400 if form.is_bound else 200)
    try:
        update = services.post_update(
            incident, form.cleaned_data["body_en"], form.cleaned_data["body_es"], by=request.user
        )
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return _staff_page(request, context, status=400)
    if update.is_public:
        messages.success(request, _("The update is public."))
    else:
        messages.info(
            request, _("The update is saved as a draft: it goes public with the incident.")
        )
    return redirect(f"{api.incident_url(incident)}#update-{update.pk}")


@policy.requires("incidentupdate.add")
def incident_correct_update(request: HttpRequest, pk: int, update: int) -> HttpResponse:
    """Staff: correct a public update with a new one; the original stays, marked corrected."""
    incident, _preview = _incident(pk, request)
    original = get_object_or_404(IncidentUpdate, pk=update, incident=incident)
    if not original.is_public:
        raise Http404(_("Only a public update is corrected; change a draft in the back office."))
    initial = {"body_en": original.body_en or "", "body_es": original.body_es or ""}
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    shown = api.update_data(original, incident.agency)
    context = {"incident": incident, "form": form, "original": shown}
    if request.method != "POST" or not form.is_valid():
        return _staff_page(request, context, status=400 if form.is_bound else 200)
    data = form.cleaned_data
    try:
        correction = services.correct_update(
            original, wrong_en=data["wrong_en"], wrong_es=data["wrong_es"],
            body_en=data["body_en"], body_es=data["body_es"], by=request.user,
        )  # fmt: skip
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return _staff_page(request, context, status=400)
    messages.success(
        request, _("The correction is public; the original update is marked corrected.")
    )
    return redirect(f"{api.incident_url(incident)}#update-{correction.pk}")

"""Public event pages: the list, one event with its registration form, calendars, and the
registrant's own page (reached by the link in their e-mail) to cancel or comment on minutes."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonbeat.core import limits, policy, twins
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.events import api, ics, links, services
from commonbeat.engagement.events.forms import MinutesCommentForm, RegistrationForm
from commonbeat.engagement.events.models import Event, Registration
from commonbeat.engagement.links import secret_page

PAGE_SIZE = 50
MAX_PAGE = 200
LIST_HEADER = (
    "id", "title", "kind", "agency", "neighbourhood", "start", "end", "time_zone", "venue",
    "address", "languages", "status", "capacity", "places_left", "attendance", "url",
)  # fmt: skip


def _events() -> Any:
    return Event.objects.select_related("agency", "neighbourhood")


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


@policy.requires("engagement.view")
def event_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """Upcoming (or past) events, filtered by agency and neighbourhood."""
    found = _events()
    chosen: dict[str, str] = {}
    agency = request.GET.get("agency", "")
    if agency:
        found = found.filter(agency__slug=agency)
        chosen["agency"] = agency
    neighbourhood = request.GET.get("neighbourhood", "")
    if neighbourhood:
        # A neighbourhood's list includes its agency's city-wide events.
        found = found.filter(
            Q(neighbourhood__slug=neighbourhood)
            | Q(
                neighbourhood__isnull=True,
                agency__in=Agency.objects.filter(neighbourhoods__slug=neighbourhood),
            )
        )
        chosen["neighbourhood"] = neighbourhood
    past = request.GET.get("when") == "past"
    if past:
        chosen["when"] = "past"
        found = found.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")
    else:
        found = api.upcoming(found)
    page = _page(request)
    start = (page - 1) * PAGE_SIZE
    window = list(found[start : start + PAGE_SIZE + 1])
    shown = window[:PAGE_SIZE]
    listed = [api.event_data(e) for e in shown]
    data = {"events": listed, "page": page}
    rows = (
        [
            e["id"], e["title"], e["kind"], e["agency"], e["neighbourhood"], e["start"],
            e["end"], e["time_zone"], e["venue"], e["address"], " ".join(e["languages"]),
            e["status"], e["capacity"], e["places_left"], e["attendance"],
            request.build_absolute_uri(e["url"]),
        ]
        for e in listed
    )  # fmt: skip
    context = {
        "items": [{"event": e, "data": d} for e, d in zip(shown, listed, strict=True)],
        "past": past,
        "page": page,
        "has_next": len(window) > PAGE_SIZE,
        "query": urlencode(chosen),
        "agencies": Agency.objects.order_by("name"),
        "neighbourhoods": Neighbourhood.objects.select_related("agency").order_by("name"),
        "chosen": chosen,
    }
    return twins.respond(
        request, "engagement/event_list.html", context, data, suffix=suffix,
        table=(LIST_HEADER, rows), filename="events",
    )  # fmt: skip


@policy.requires("engagement.view")
def event_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    event = get_object_or_404(_events().prefetch_related("concerns"), pk=pk)
    return _event_page(request, event, RegistrationForm(), suffix=suffix)


def _event_page(
    request: HttpRequest,
    event: Event,
    form: RegistrationForm,
    *,
    suffix: str | None = None,
    status: int = 200,
) -> HttpResponse:
    data = api.event_data(event, detail=True)
    context = {"event": event, "form": form, "languages": _language_names(event.languages)}
    response = twins.respond(
        request, "engagement/event_detail.html", context, data, suffix=suffix,
        filename=f"event-{event.pk}",
    )  # fmt: skip
    response.status_code = status
    return response


def _language_names(codes: list[str]) -> list[str]:
    names = dict(settings.LANGUAGES)
    return [str(names[c]) if c in names else c for c in codes]


def _busy(request: HttpRequest, wait: int) -> HttpResponse:
    message = _(
        "Too many registrations have come from your connection in the last hour. Please try "
        "again in %(minutes)s minutes."
    ) % {"minutes": max(1, math.ceil(wait / 60))}
    return limits.too_many(request, message, wait)


@require_POST
@policy.requires("event.register")
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(), pk=pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _event_page(request, event, form, status=400)
    wait = limits.hourly(request, "registration", settings.REGISTRATION_RATE_PER_HOUR)
    if wait is not None:
        return _busy(request, wait)
    try:
        registration = services.register(
            event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            needs=form.cleaned_data["needs"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            user=request.user,
        )
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return _event_page(request, event, form, status=400)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You have a place. We sent the details to your e-mail."))
    else:
        messages.info(
            request,
            _("The event is full: you are on the waiting list. We will write if a place frees up."),
        )
    return redirect(links.path(registration))


def _registration(pk: int, secret: str) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("event__agency", "event__neighbourhood"), pk=pk
    )
    if not links.matches(registration, secret):
        raise Http404(_("This registration link is not valid."))
    return registration


@policy.requires("registration.manage")
def registration_page(
    request: HttpRequest, pk: int, secret: str, form: MinutesCommentForm | None = None
) -> HttpResponse:
    registration = _registration(pk, secret)
    event = registration.event
    ahead = None
    if registration.status == Registration.Status.WAITING:
        ahead = event.registrations.filter(
            status=Registration.Status.WAITING, created_at__lt=registration.created_at
        ).count()
    context = {
        "secret": secret,
        "registration": registration,
        "event": event,
        "data": api.event_data(event),
        "ahead": ahead,
        "may_cancel": registration.status != Registration.Status.CANCELLED
        and event.starts_at > timezone.now(),
        "may_comment": services.may_comment(registration),
        "comment_form": form or MinutesCommentForm(),
        "comments": registration.minutes_comments.all(),
    }
    response = render(request, "engagement/registration.html", context)
    response.status_code = 400 if form is not None else 200
    return secret_page(response)


@require_POST
@policy.requires("registration.manage")
def registration_cancel(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    registration = _registration(pk, secret)
    try:
        services.cancel_registration(registration)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
    return redirect(links.path(registration))


@require_POST
@policy.requires("registration.manage")
def minutes_comment(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    registration = _registration(pk, secret)
    form = MinutesCommentForm(request.POST)
    if not form.is_valid():
        return registration_page(request, pk, secret, form=form)
    try:
        services.comment_on_minutes(registration, form.cleaned_data["text"])
    except services.Refused as refused:
        form.add_error(None, str(refused))
        return registration_page(request, pk, secret, form=form)
    messages.success(request, _("Thank you: the organisers will read your comment."))
    return redirect(links.path(registration))


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@policy.requires("engagement.view")
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(), pk=pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ics.calendar([event], str(event), base), f"event-{event.pk}")


@policy.requires("engagement.view")
def agency_ics(request: HttpRequest, agency: str) -> HttpResponse:
    found = get_object_or_404(Agency, slug=agency)
    events = ics.feed_events(Event.objects.filter(agency=found))
    base = request.build_absolute_uri("/").rstrip("/")
    name = _("%(agency)s: community events") % {"agency": found.name}
    return _ics(ics.calendar(events, name, base), f"{found.slug}-events")


@policy.requires("engagement.view")
def neighbourhood_ics(request: HttpRequest, agency: str, neighbourhood: str) -> HttpResponse:
    found = get_object_or_404(
        Neighbourhood.objects.select_related("agency"), agency__slug=agency, slug=neighbourhood
    )
    events = ics.feed_events(
        Event.objects.filter(agency=found.agency).filter(
            Q(neighbourhood=found) | Q(neighbourhood__isnull=True)
        )
    )
    base = request.build_absolute_uri("/").rstrip("/")
    name = _("%(neighbourhood)s: community events") % {"neighbourhood": found.name}
    return _ics(ics.calendar(events, name, base), f"{found.agency.slug}-{found.slug}-events")

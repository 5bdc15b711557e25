"""The public shape of announcements and critical incidents: what their pages, JSON and CSV
twins, feeds and the neighbourhood panel show.

The staff member who wrote a post is never named: only the agency. Times are in the agency's
zone. The time to the first public update is the first public update's `posted_at` minus the
incident's `occurred_at`, in whole seconds.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonbeat.core.languages import translated
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentLink,
    IncidentUpdate,
)
from commonbeat.engagement.events.api import zone


def local(agency: Agency, moment: datetime) -> datetime:
    return moment.astimezone(zone(agency))


def shown(agency: Agency, moment: datetime | None) -> str:
    """A time as a reader sees it, in the agency's zone and the page's language."""
    if moment is None:
        return ""
    return date_format(local(agency, moment), "DATETIME_FORMAT")


def iso(agency: Agency, moment: datetime | None) -> str | None:
    return local(agency, moment).isoformat() if moment is not None else None


# Announcements ----------------------------------------------------------------------------


def public_announcements(now: datetime | None = None) -> QuerySet[Announcement]:
    """Published announcements whose time has come, newest first."""
    return (
        Announcement.objects.filter(published_at__lte=now or timezone.now())
        .select_related("agency", "neighbourhood")
        .defer("neighbourhood__boundary", "neighbourhood__contact_details")
        .order_by("-published_at", "-pk")
    )


def for_place(found: QuerySet[Announcement], place: Neighbourhood) -> QuerySet[Announcement]:
    """A neighbourhood's own announcements and its agency's city-wide ones."""
    return found.filter(
        Q(neighbourhood=place) | Q(neighbourhood__isnull=True, agency_id=place.agency_id)
    )


def active_alerts(found: QuerySet[Announcement], now: datetime | None = None) -> Any:
    now = now or timezone.now()
    return found.filter(kind=Announcement.Kind.SAFETY_ALERT).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def announcement_url(announcement: Announcement) -> str:
    return reverse("engagement:announcement", args=[announcement.pk])


def updated(announcement: Announcement) -> datetime:
    """When the entry last changed for a reader: never before it was published."""
    moments = [announcement.updated_at, announcement.published_at]
    return max(m for m in moments if m is not None)


def announcement_data(announcement: Announcement) -> dict[str, Any]:
    agency = announcement.agency
    place = announcement.neighbourhood
    return {
        "id": announcement.pk,
        "url": announcement_url(announcement),
        "agency": agency.slug,
        "agency_name": agency.name,
        "neighbourhood": place.slug if place else None,
        "neighbourhood_name": place.name if place else None,
        "kind": announcement.kind,
        "kind_label": str(announcement.get_kind_display()),
        "title": translated(announcement, "title").text,
        "body": translated(announcement, "body").text,
        "published": iso(agency, announcement.published_at),
        "updated": iso(agency, updated(announcement)),
        "alert_ends": iso(agency, announcement.expires_at),
        "active_alert": announcement.is_active_alert(),
        "time_zone": str(zone(agency)),
    }


# Critical incidents -----------------------------------------------------------------------


def public_incidents() -> QuerySet[CriticalIncident]:
    """Public incidents, most recent first, each with the time of its first public update."""
    return (
        CriticalIncident.objects.filter(published_at__isnull=False)
        .select_related("agency", "neighbourhood")
        .defer("neighbourhood__boundary", "neighbourhood__contact_details")
        .annotate(first_posted=Min("updates__posted_at"))
        .order_by("-occurred_at", "-pk")
    )


def time_to_first_update(incident: CriticalIncident) -> timedelta | None:
    """From the incident to its first public update (None until one is public)."""
    first = getattr(incident, "first_posted", None)
    if first is None:
        first = incident.updates.filter(posted_at__isnull=False).aggregate(m=Min("posted_at"))["m"]
    return first - incident.occurred_at if first is not None else None


def seconds(delay: timedelta | None) -> int | None:
    return int(delay.total_seconds()) if delay is not None else None


def iso_duration(delay: timedelta | None) -> str | None:
    """ISO 8601, e.g. PT2H15M (days counted as hours, as a stopwatch would)."""
    if delay is None:
        return None
    total = int(delay.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def in_words(delay: timedelta | None) -> str:
    """'2 hours 15 minutes' (to the minute), in the page's language."""
    if delay is None:
        return _("no public update yet")
    minutes = int(delay.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def median_delay(incidents: Iterable[CriticalIncident]) -> timedelta | None:
    delays = [d for d in (time_to_first_update(i) for i in incidents) if d is not None]
    return (
        timedelta(seconds=statistics.median(d.total_seconds() for d in delays)) if delays else None
    )


def incident_url(incident: CriticalIncident) -> str:
    return reverse("engagement:incident", args=[incident.pk])


def _stamp(agency: Agency, update: IncidentUpdate, of_day: datetime | None) -> str:
    """An update's time for a heading: the time alone on the same local day, else with the date."""
    if update.posted_at is None:
        return _("draft")
    moment = local(agency, update.posted_at)
    if of_day is not None and local(agency, of_day).date() == moment.date():
        return date_format(moment, "TIME_FORMAT")
    return date_format(moment, "SHORT_DATETIME_FORMAT")


def update_data(update: IncidentUpdate, agency: Agency) -> dict[str, Any]:
    corrections = list(update.corrections.all())
    original = update.corrects
    return {
        "id": update.pk,
        "anchor": f"update-{update.pk}",
        "posted": iso(agency, update.posted_at),
        "body": translated(update, "body").text,
        "body_lang": translated(update, "body").lang,
        "corrects": original.pk if original else None,
        "corrects_time": _stamp(agency, original, update.posted_at) if original else None,
        "draft": not update.is_public,
        "what_was_wrong": translated(update, "correction_note").text if original else None,
        "corrected_by": [c.pk for c in corrections],
        "corrections": [
            {"id": c.pk, "anchor": f"update-{c.pk}", "time": _stamp(agency, c, update.posted_at)}
            for c in corrections
        ],
    }


def link_data(link: IncidentLink) -> dict[str, Any]:
    return {
        "kind": link.kind,
        "kind_label": str(link.get_kind_display()),
        "title": translated(link, "title").text,
        "url": link.url,
        "released": link.released_on.isoformat(),
    }


def incident_data(
    incident: CriticalIncident, *, detail: bool = False, drafts: bool = False
) -> dict[str, Any]:
    """Return an incident's public data (`detail` adds the timeline and links; `drafts` adds
    the updates not yet public, for the staff's preview only)."""
    agency = incident.agency
    place = incident.neighbourhood
    delay = time_to_first_update(incident)
    first = incident.occurred_at + delay if delay is not None else None
    data: dict[str, Any] = {
        "id": incident.pk,
        "url": incident_url(incident),
        "agency": agency.slug,
        "agency_name": agency.name,
        "neighbourhood": place.slug if place else None,
        "neighbourhood_name": place.name if place else None,
        "title": translated(incident, "title").text,
        "summary": translated(incident, "summary").text,
        "occurred": iso(agency, incident.occurred_at),
        "first_public_update": iso(agency, first),
        "time_to_first_update_seconds": seconds(delay),
        "time_to_first_update": iso_duration(delay),
        "time_to_first_update_words": in_words(delay),
        "time_zone": str(zone(agency)),
    }
    if detail:
        updates = [u for u in incident.updates.all() if u.is_public or drafts]
        data["updates"] = [update_data(u, agency) for u in updates]
        data["links"] = [link_data(link) for link in incident.links.all()]
    return data

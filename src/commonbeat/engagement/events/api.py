"""The public shape of an event: what its page, its JSON twin and the listings show.

Registrants are never named here: only counts of places. Minutes and the concerns raised are
public once the minutes are published, not while attendees are still commenting on them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commonbeat.core.languages import translated
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.events import services
from commonbeat.engagement.events.models import Event, MeetingConcern

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def zone(agency: Agency) -> ZoneInfo:
    """The agency's time zone, where its events' times are shown (the site's when unset)."""
    return ZoneInfo(agency.time_zone or settings.TIME_ZONE)


def local(event: Event, moment: datetime) -> datetime:
    return moment.astimezone(zone(event.agency))


def page_url(event: Event) -> str:
    return reverse("engagement:event", args=[event.pk])


def concern_data(concern: MeetingConcern) -> dict[str, Any]:
    return {
        "concern": translated(concern, "summary").text,
        "status": concern.status,
        "status_label": str(concern.get_status_display()),
        "response": translated(concern, "response").text,
        "priority": (
            reverse("engagement:priority", args=[concern.priority_id])
            if concern.priority_id
            else None
        ),
    }


def event_data(event: Event, *, detail: bool = False) -> dict[str, Any]:
    """Return an event's public data (`detail` adds minutes and concerns once published)."""
    left = services.places_left(event) if event.registration else None
    data: dict[str, Any] = {
        "id": event.pk,
        "url": page_url(event),
        "calendar": reverse("engagement:event_ics", args=[event.pk]),
        "agency": event.agency.slug,
        "neighbourhood": event.neighbourhood.slug if event.neighbourhood else None,
        "neighbourhood_name": event.neighbourhood.name if event.neighbourhood else None,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "title": translated(event, "title").text,
        "description": translated(event, "description").text,
        "venue": event.venue,
        "address": event.address,
        "latitude": str(event.latitude) if event.latitude is not None else None,
        "longitude": str(event.longitude) if event.longitude is not None else None,
        "start": local(event, event.starts_at).isoformat(),
        "end": local(event, event.ends_at).isoformat(),
        "time_zone": str(zone(event.agency)),
        "languages": list(event.languages),
        "accessibility": translated(event, "accessibility").text,
        "contact": event.contact,
        "status": event.status,
        "cancellation_note": translated(event, "cancellation_note").text,
        "registration": event.registration,
        "capacity": event.capacity,
        "places_left": left,
        "open_for_registration": services.open_for_registration(event),
        "attendance": event.attendance,
        "organisations": event.organisation_list(),
    }
    if detail:
        published = event.minutes_status == Event.Minutes.PUBLISHED
        data["minutes"] = translated(event, "minutes").text if published else None
        data["minutes_published"] = (
            local(event, event.minutes_published_at).isoformat()
            if published and event.minutes_published_at
            else None
        )
        data["concerns"] = [concern_data(c) for c in event.concerns.all()] if published else []
    return data


def upcoming(queryset: Any) -> Any:
    return queryset.filter(ends_at__gte=timezone.now())


def listing_data(event: Event) -> dict[str, Any]:
    """An event as the neighbourhood listings give it (core.api.NEIGHBOURHOOD_LISTINGS)."""
    contact: dict[str, str] = {}
    if event.contact:
        contact["email" if "@" in event.contact else "telephone"] = event.contact
    return {
        "title": translated(event, "title").text,
        "type": event.kind,
        "description": translated(event, "description").text,
        "address": ", ".join(part for part in (event.venue, event.address) if part),
        "contact_details": contact,
        "start": local(event, event.starts_at),
        "end": local(event, event.ends_at),
    }


def neighbourhood_events(neighbourhood: Neighbourhood) -> Any:
    """Upcoming events of a neighbourhood, city-wide ones of its agency included."""
    return upcoming(
        Event.objects.filter(
            Q(neighbourhood=neighbourhood)
            | Q(neighbourhood__isnull=True, agency_id=neighbourhood.agency_id)
        )
        .filter(status=Event.Status.SCHEDULED)
        .select_related("agency", "neighbourhood")
    ).order_by("starts_at", "pk")

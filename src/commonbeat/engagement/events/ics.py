"""iCalendar (RFC 5545) for events: one `.ics` per event and subscribable feeds per
neighbourhood and per agency, written with the `icalendar` library.

Times carry the agency's zone (the VTIMEZONE is included, so calendars show the right local
time across daylight-saving changes); each event links back to its page; a cancelled event
stays in feeds as STATUS:CANCELLED with a higher SEQUENCE, so subscribed calendars remove it
instead of keeping a ghost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from commonbeat.core.languages import translated
from commonbeat.engagement.events.api import local, page_url
from commonbeat.engagement.events.models import Event

PRODID = "-//Commonbeat//Community events//EN"
FEED_PAST = timedelta(days=90)  # feeds keep recent past events, then let them go
MAX_FEED_EVENTS = 500


def _component(event: Event, base_url: str) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@commonbeat")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", local(event, event.starts_at))
    item.add("dtend", local(event, event.ends_at))
    item.add("summary", translated(event, "title").text)
    description = translated(event, "description").text
    accessibility = translated(event, "accessibility").text
    url = base_url + page_url(event)
    parts = [p for p in (description, accessibility, url) if p]
    item.add("description", "\n\n".join(parts))
    item.add("location", ", ".join(p for p in (event.venue, event.address) if p))
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    item.add("url", url)
    item.add("categories", [event.kind])
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    item.add("sequence", event.sequence)
    item.add("last-modified", event.updated_at)
    return item


def calendar(events: Iterable[Event], name: str, base_url: str = "") -> bytes:
    """Return the events as one VCALENDAR, with the time zones they use."""
    base_url = base_url or settings.SITE_URL
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # Subscribed calendars look again every few hours.
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for event in events:
        cal.add_component(_component(event, base_url))
    cal.add_missing_timezones()
    body: bytes = cal.to_ical()
    return body


def feed_events(queryset: object) -> list[Event]:
    """The events a feed carries: from 90 days ago onwards, cancelled ones included."""
    since = timezone.now() - FEED_PAST
    return list(
        queryset.filter(ends_at__gte=since)  # type: ignore[attr-defined]
        .select_related("agency", "neighbourhood")
        .order_by("starts_at", "pk")[:MAX_FEED_EVENTS]
    )

"""Engagement's panel on core's neighbourhood page: the next events and current priorities,
linking to the neighbourhood's own engagement page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from commonbeat.core.models import Neighbourhood
from commonbeat.core.panels import NeighbourhoodPanel
from commonbeat.engagement.events import api as events_api
from commonbeat.engagement.priorities import api as priorities_api

SHOWN = 3


def engagement_panel(request: HttpRequest, place: Neighbourhood) -> dict[str, Any]:
    found = list(events_api.neighbourhood_events(place)[:SHOWN])
    events = [events_api.event_data(e) for e in found]
    priorities = [
        priorities_api.priority_data(p, parts=False)
        for p in priorities_api.public_priorities(place)[:SHOWN]
    ]
    page = reverse("engagement:neighbourhood", args=[place.agency.slug, place.slug])
    return {
        "data": {"events": events, "priorities": priorities, "url": page},
        "event_items": [{"event": e, "data": d} for e, d in zip(found, events, strict=True)],
        "priorities": priorities,
        "url": page,
        "calendar": reverse("engagement:neighbourhood_ics", args=[place.agency.slug, place.slug]),
    }


PANEL = NeighbourhoodPanel("engagement", "engagement/_neighbourhood_panel.html", engagement_panel)

"""The announcements panel on core's neighbourhood page: the safety alerts in force there and
the latest news (its own and the city-wide), with its Atom feed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from commonbeat.core.models import Neighbourhood
from commonbeat.core.panels import NeighbourhoodPanel
from commonbeat.engagement.announcements import api

SHOWN = 3


def announcements_panel(request: HttpRequest, place: Neighbourhood) -> dict[str, Any]:
    here = api.for_place(api.public_announcements(), place)
    alerts = [api.announcement_data(a) for a in api.active_alerts(here)[:SHOWN]]
    alert_ids = {a["id"] for a in alerts}
    latest = [api.announcement_data(a) for a in here.exclude(pk__in=alert_ids)[:SHOWN]]
    query = urlencode({"agency": place.agency.slug, "neighbourhood": place.slug})
    urls = {
        "list": reverse("engagement:announcements") + "?" + query,
        "feed": reverse("engagement:neighbourhood_feed", args=[place.agency.slug, place.slug]),
    }
    return {
        "data": {"active_alerts": alerts, "latest": latest, **urls},
        "alerts": alerts,
        "latest": latest,
        **urls,
    }


PANEL = NeighbourhoodPanel(
    "announcements", "engagement/_announcements_panel.html", announcements_panel
)

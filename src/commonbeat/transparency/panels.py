"""The transparency panel on core's neighbourhood page: each dashboard's headline there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from commonbeat.core.models import Neighbourhood
from commonbeat.core.panels import NeighbourhoodPanel
from commonbeat.releases.cache import current_release
from commonbeat.transparency.dashboards import memo
from commonbeat.transparency.dashboards.headline import PAGE_MONTHS, headline, months_back
from commonbeat.transparency.dashboards.registry import coverage_by_agency


def neighbourhood_headlines(request: HttpRequest, place: Neighbourhood) -> dict[str, Any] | None:
    """Return the latest quarter against the same quarter a year before, per dashboard."""
    release = current_release()
    if release is None:
        return None
    agency = place.agency.slug
    covered = memo.per_release(release, ("coverage",), lambda: coverage_by_agency(release))
    found = []
    for slug, coverage in covered.get(agency, {}).items():
        end = coverage["last_month"]
        item = headline(
            release,
            slug,
            agency,
            place.slug,
            months_back(end, PAGE_MONTHS),
            end,
            coverage["first_month"],
        )
        if item is not None:
            page = reverse("transparency:dashboard", args=[agency, slug])
            found.append({**item, "url": f"{page}?neighbourhood={place.slug}"})
    if not found:
        return None
    return {"data": found, "headlines": found, "release": release.version}


PANEL = NeighbourhoodPanel(
    "headlines", "transparency/_neighbourhood_headlines.html", neighbourhood_headlines
)

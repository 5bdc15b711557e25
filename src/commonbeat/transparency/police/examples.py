"""Example requests for the API page, built from what this site actually serves.

The coordinates are a representative point of the first neighbourhood served (a point
guaranteed inside its boundary, unlike a centroid of a concave shape), so every example
answers with this city's data rather than an empty list for somewhere in London.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _

from commonbeat.core.geo import BoundaryError, boundary_shape
from commonbeat.core.models import Neighbourhood
from commonbeat.transparency.police.queries import Facts


@dataclass(frozen=True)
class Example:
    title: str
    path: str  # under /api/, with its query

    def url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(f"/api/{self.path}")

    def curl(self, request: HttpRequest) -> str:
        return f"curl '{self.url(request)}'"


@dataclass(frozen=True)
class Place:
    force: str
    neighbourhood: str
    name: str
    latitude: float
    longitude: float


def sample_place() -> Place | None:
    """Return a point inside the first served neighbourhood (by force, then identifier)."""
    found = (
        Neighbourhood.objects.select_related("agency")
        .exclude(boundary__isnull=True)
        .order_by("agency__slug", "slug")
    )
    for neighbourhood in found:
        try:
            point = boundary_shape(neighbourhood.boundary).representative_point()
        except BoundaryError:
            continue  # a boundary that does not validate cannot give a point; try the next
        return Place(
            neighbourhood.agency.slug,
            neighbourhood.slug,
            neighbourhood.name,
            round(point.y, 5),
            round(point.x, 5),
        )
    return None


def examples(place: Place | None, facts: Facts) -> list[Example]:
    """Return the example requests that this site can answer now."""
    found = [Example(_("Every force"), "forces")]
    if place is None:
        return found
    where = {"lat": f"{place.latitude}", "lng": f"{place.longitude}"}
    found += [
        Example(_("The neighbourhoods of a force"), f"{place.force}/neighbourhoods"),
        Example(
            _("One neighbourhood: %(name)s") % {"name": place.name},
            f"{place.force}/{place.neighbourhood}",
        ),
        Example(
            _("Which neighbourhood a point is in"),
            "locate-neighbourhood?" + urlencode({"q": f"{place.latitude},{place.longitude}"}),
        ),
    ]
    if facts.last_month is not None:
        month = {"date": facts.last_month}
        found += [
            Example(_("The month of the latest data"), "crime-last-updated"),
            Example(
                _("Crimes within a mile of the point in the latest month"),
                "crimes-street/all-crime?" + urlencode({**where, **month}),
            ),
            Example(
                _("Stop and search within a mile of the point in the latest month"),
                "stops-street?" + urlencode({**where, **month}),
            ),
        ]
    return found

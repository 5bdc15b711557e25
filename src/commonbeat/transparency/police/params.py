"""The API's request parameters, parsed and checked as data.police.uk checks them.

Each parser raises `Problem` with the status the real service answers for that parameter: a
malformed or too-old `date`, a malformed or self-crossing `poly`, an unknown `force` or crime
category, or a malformed `location_id` is 404; a malformed or missing `lat`/`lng`, a missing
`force`, or a `poly` of more than MAX_POLYGON_VERTICES vertices is 400.
"""

from __future__ import annotations

import math
import re

import shapely
from django.http import HttpRequest
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from commonbeat.core.models import Agency
from commonbeat.releases.cache import Release, current_release
from commonbeat.transparency.police import queries, shapes
from commonbeat.transparency.police.queries import Area, Facts

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
# A custom area may have this many vertices; more is refused with 400 before parsing.
MAX_POLYGON_VERTICES = 2000
ALL_CRIME = "all-crime"


class Problem(Exception):
    """Stop and answer this status with an empty body, as data.police.uk does."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def param(request: HttpRequest, name: str) -> str | None:
    """Return a parameter from the form body (POST) or the query string; empty means absent."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    value = (value or "").strip()
    return value or None


def coordinate(value: str | None, limit: float, status: int) -> float:
    if value is None:
        raise Problem(status)
    try:
        number = float(value)
    except ValueError:
        raise Problem(status) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise Problem(status)
    return number


def point(request: HttpRequest) -> tuple[float, float]:
    """Return (lat, lng); a missing or non-numeric one is 400."""
    return (
        coordinate(param(request, "lat"), 90, 400),
        coordinate(param(request, "lng"), 180, 400),
    )


def polygon(value: str) -> BaseGeometry:
    """Parse `lat,lng:lat,lng:...`: more than MAX_POLYGON_VERTICES is 400; malformed is 404.

    The vertices are counted on the raw text before anything is parsed, so a 50,000-vertex
    area costs one pass over a string. A polygon that is not a simple ring (it crosses
    itself, or has no area) is answered as malformed, 404: repairing it with
    shapely.make_valid can cost far more than the query, and answers a different area.
    """
    if value.count(":") + 1 > MAX_POLYGON_VERTICES + 1:  # +1: the first may close the ring
        raise Problem(400)
    vertices = []
    for pair in value.split(":"):
        parts = pair.split(",")
        if len(parts) != 2:
            raise Problem(404)
        lat = coordinate(parts[0].strip(), 90, 404)
        lng = coordinate(parts[1].strip(), 180, 404)
        vertices.append((lng, lat))
    if len(vertices) > 1 and vertices[0] == vertices[-1]:
        vertices.pop()  # the ring closes itself; so does Polygon
    if len(vertices) > MAX_POLYGON_VERTICES:
        raise Problem(400)
    if len(vertices) < 3:
        raise Problem(404)
    shape = Polygon(vertices)
    if not shape.is_valid:
        raise Problem(404)
    shapely.prepare(shape)  # the grid cells are tested against it in one call
    return shape


def month(request: HttpRequest, facts: Facts) -> str:
    """Return the month asked for, or the latest; malformed or older than the release is 404.

    A month after the release's last one is valid and simply holds nothing.
    """
    value = param(request, "date")
    if value is None:
        if facts.last_month is None:
            raise Problem(404)
        return facts.last_month
    if not MONTH.fullmatch(value) or facts.first_month is None or value < facts.first_month:
        raise Problem(404)
    return value


def force_names() -> dict[str, str]:
    """Return every force: agencies in the database, and agencies only the release names."""
    names: dict[str, str] = dict(Agency.objects.values_list("slug", "name"))
    release = current_release()
    if release is not None:
        for slug in queries.facts(release).agencies:
            names.setdefault(slug, shapes.name_from_slug(slug))
    return names


def known_force(slug: str | None) -> str:
    if slug is None:
        raise Problem(400)
    if slug not in force_names():
        raise Problem(404)
    return slug


def category_filter(facts: Facts, category: str | None) -> tuple[str, tuple[str, ...]]:
    if category in (None, ALL_CRIME):
        return "", ()
    if category not in facts.all_categories():
        raise Problem(404)
    return " AND category = ?", (category,)


def area(
    request: HttpRequest, release: Release | None, table: str, month_column: str, chosen: str
) -> Area:
    """Return the custom area (`poly`) or the mile around (`lat`, `lng`) the request names."""
    poly = param(request, "poly")
    if poly is not None:
        shape = polygon(poly)
        if release is None or not release.has(table):
            return Area("false", ())
        return queries.polygon_area(release, table, month_column, chosen, shape)
    return queries.radius(*point(request))


def location_param(request: HttpRequest) -> int | None:
    value = param(request, "location_id")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Problem(404)
    return int(value)


__all__ = [
    "ALL_CRIME",
    "MAX_POLYGON_VERTICES",
    "MONTH",
    "Problem",
    "area",
    "category_filter",
    "coordinate",
    "force_names",
    "known_force",
    "location_param",
    "month",
    "param",
    "point",
    "polygon",
]

"""Reading crimes and stops for the API from the current release's derived tables.

Every area query filters on the month and a latitude/longitude box first (the tables are
sorted by agency, month and latitude, so DuckDB's zone maps skip the rest), then applies the
exact test: the 1-mile great-circle radius in SQL, or the polygon with shapely on the few
grid cells inside its box.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from commonbeat.releases.cache import Release
from commonbeat.transparency.police import tables

MILE_METRES = 1609.344
EARTH_RADIUS_METRES = 6_371_008.8
METRES_PER_DEGREE_LATITUDE = EARTH_RADIUS_METRES * math.pi / 180
# data.police.uk refuses custom areas holding more than this many records, with a 503.
MAX_RESULTS = 10_000


class TooMany(Exception):
    """More than MAX_RESULTS records in the area: the API answers 503."""


@dataclass
class Facts:
    """What the API needs to know about a release, computed once per release."""

    first_month: str | None
    last_month: str | None
    # month → forces with stops that month; month → {category slug: name}
    stop_forces: dict[str, list[str]] = field(default_factory=dict)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    agencies: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        """Every month from the first to the last the release holds, newest first."""
        if self.first_month is None or self.last_month is None:
            return []
        year, month = int(self.last_month[:4]), int(self.last_month[5:])
        out = []
        while f"{year:04d}-{month:02d}" >= self.first_month:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return out

    def all_categories(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for by_month in self.categories.values():
            merged.update(by_month)
        return merged


_facts: dict[tuple[str, str], Facts] = {}
_facts_lock = threading.Lock()


def facts(release: Release) -> Facts:
    """Return the release's months, categories and forces (memoised per release)."""
    key = (str(release.path), release.version)
    with _facts_lock:
        found = _facts.get(key)
    if found is not None:
        return found
    first, last = release.rows(
        "SELECT min(first_month), max(last_month) FROM coverage "
        "WHERE record_type IN ('stop', 'crime')"
    )[0]
    result = Facts(first, last, agencies=release.agencies())
    if release.has("police_stop"):
        for month, forces in release.rows(
            "SELECT month, list(DISTINCT agency ORDER BY agency) FROM police_stop "
            "WHERE month IS NOT NULL GROUP BY month"
        ):
            result.stop_forces[month] = list(forces)
    if release.has("police_crime"):
        for month, slug, name in release.rows(
            "SELECT month, category, min(category_name) FROM police_crime "
            "WHERE month IS NOT NULL GROUP BY ALL ORDER BY ALL"
        ):
            result.categories.setdefault(month, {})[slug] = name
    with _facts_lock:
        _facts[key] = result
    return result


# Areas ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A place to look: a WHERE clause on latitude/longitude with its parameters."""

    where: str
    params: tuple[Any, ...]


def box(south: float, north: float, west: float, east: float) -> Area:
    return Area(
        "latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?", (south, north, west, east)
    )


def radius(latitude: float, longitude: float, metres: float = MILE_METRES) -> Area:
    """Return the area within `metres` of a point: a box to prune, then the exact distance."""
    reach = metres / METRES_PER_DEGREE_LATITUDE * 1.001
    south, north = max(latitude - reach, -90.0), min(latitude + reach, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        west, east = -180.0, 180.0
    else:
        spread = reach / math.cos(math.radians(widest))
        west, east = max(longitude - spread, -180.0), min(longitude + spread, 180.0)
    pruned = box(south, north, west, east)
    distance = (
        f"2 * {EARTH_RADIUS_METRES!r} * asin(sqrt(pow(sin(radians(latitude - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(latitude)) * pow(sin(radians(longitude - ?) / 2), 2)))"
    )
    return Area(
        f"{pruned.where} AND {distance} <= ?",
        (*pruned.params, latitude, latitude, longitude, metres),
    )


def polygon_area(
    release: Release, table: str, month_column: str, month: str, polygon: BaseGeometry
) -> Area:
    """Return the area inside a polygon: the grid cells in its box that it covers."""
    west, south, east, north = polygon.bounds
    pruned = box(south, north, west, east)
    cells = release.rows(
        f"SELECT DISTINCT location_id, latitude, longitude FROM {table} "  # noqa: S608  fixed table and column names; request values are ? parameters
        f"WHERE {month_column} = ? AND {pruned.where}",
        (month, *pruned.params),
    )
    if not cells:
        return Area("false", ())
    ids = [row[0] for row in cells]
    inside = shapely.intersects_xy(polygon, [row[2] for row in cells], [row[1] for row in cells])
    chosen = [int(i) for i, keep in zip(ids, inside.tolist(), strict=True) if keep]
    return Area(
        f"{pruned.where} AND list_contains(?::BIGINT[], location_id)", (*pruned.params, chosen)
    )


def at_location(release: Release, location: int) -> Area:
    """Return the area of one grid cell (its latitude band prunes, its id decides)."""
    centre = tables.location_latitude(tables.grid_metres(release), location)
    return Area(
        "latitude BETWEEN ? AND ? AND location_id = ?",
        (centre - 0.00001, centre + 0.00001, location),
    )


def known_location(release: Release, location: int) -> bool:
    """Whether any record in the release lies in this grid cell."""
    if not release.has("police_cell"):
        return False
    return bool(
        release.value("SELECT count(*) FROM police_cell WHERE location_id = ?", (location,))
    )


# Fetching ------------------------------------------------------------------------------------


def json_list(
    release: Release,
    select: str,
    select_params: list[Any],
    table: str,
    where: str,
    params: tuple[Any, ...] | list[Any],
    capped: bool,
) -> str:
    """Return a JSON array of one rendered record per matching row.

    With `capped`, more than MAX_RESULTS rows raise TooMany (only MAX_RESULTS + 1 are read).
    """
    limit = f" LIMIT {MAX_RESULTS + 1}" if capped else ""
    rows = release.rows(
        f"SELECT {select} FROM {table} WHERE {where}{limit}",  # noqa: S608  fixed table and column names; request values are ? parameters
        [*select_params, *params],
    )
    if capped and len(rows) > MAX_RESULTS:
        raise TooMany
    return "[" + ",".join(row[0] for row in rows) + "]"

"""Neighbourhood boundaries: validation, and the spatial index from a point to its neighbourhood.

Pure geometry: nothing here reads the database, so models.py can use it without a cycle;
the process-wide index over saved neighbourhoods lives in places.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree


class BoundaryError(ValueError):
    """A boundary that is not a usable polygon; the message says what is wrong."""


def boundary_shape(geojson: Any) -> BaseGeometry:
    """Return the shapely polygon for a GeoJSON Polygon or MultiPolygon, or say why not."""
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise BoundaryError(
            'A boundary must be a GeoJSON object of type "Polygon" or "MultiPolygon".'
        )
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise BoundaryError(f"The boundary's coordinates cannot be read: {exc}") from exc
    if geometry.is_empty:
        raise BoundaryError("The boundary has no area.")
    min_x, min_y, max_x, max_y = geometry.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise BoundaryError(
            "The boundary lies outside longitude -180..180 / latitude -90..90; "
            "GeoJSON puts longitude first."
        )
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise BoundaryError(f"The boundary is not a valid polygon: {reason}.")
    return geometry


def boundary_vertices(geojson: dict[str, Any]) -> list[dict[str, str]]:
    """Return the outer ring of the largest part as data.police.uk lists it, closed."""
    geometry = boundary_shape(geojson)
    polygons = list(getattr(geometry, "geoms", [geometry]))
    largest = max(polygons, key=lambda polygon: polygon.area)
    return [
        {"latitude": f"{lat:.6f}", "longitude": f"{lng:.6f}"}
        for lng, lat in largest.exterior.coords
    ]


@dataclass(frozen=True)
class Located:
    agency_slug: str
    neighbourhood_slug: str
    neighbourhood_id: int


class NeighbourhoodIndex:
    """A spatial index of every neighbourhood boundary.

    A point on a boundary belongs to the neighbourhood (`covers`, not `contains`). A point on
    the line two neighbourhoods share belongs to both; the one whose agency and identifier
    sort first is returned, so the answer never depends on the order of the query.
    """

    def __init__(self, rows: list[tuple[int, str, str, dict[str, Any]]]) -> None:
        ordered = sorted(rows, key=lambda row: (row[1], row[2]))
        self._keys = [Located(row[1], row[2], row[0]) for row in ordered]
        self._shapes = [boundary_shape(row[3]) for row in ordered]
        for geometry in self._shapes:
            shapely.prepare(geometry)
        self._tree = STRtree(self._shapes)

    def locate(self, latitude: float, longitude: float) -> Located | None:
        """Return the neighbourhood covering the point, or None outside every one."""
        hits = self._tree.query(Point(longitude, latitude), predicate="covered_by")
        if len(hits) == 0:
            return None
        return self._keys[int(min(hits))]

    def __len__(self) -> int:
        return len(self._keys)


def line_shape(geojson: Any, name: str = "") -> BaseGeometry:
    """Return the shapely line for a GeoJSON LineString or MultiLineString, or say why not."""
    if not isinstance(geojson, dict) or geojson.get("type") not in (
        "LineString",
        "MultiLineString",
    ):
        raise BoundaryError(
            f'The street {name!r} must be a GeoJSON object of type "LineString" or "MultiLineString".'
        )
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise BoundaryError(
            f"The street {name!r} has coordinates that cannot be read: {exc}"
        ) from exc
    if geometry.is_empty or geometry.length == 0:
        raise BoundaryError(f"The street {name!r} has no length.")
    return geometry

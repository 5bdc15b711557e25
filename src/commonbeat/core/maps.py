"""A boundary drawn as inline SVG, so the map reads without JavaScript (Leaflet enhances it)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry

from commonbeat.core.geo import boundary_shape

SIZE = 400.0


# Streets are shown this far beyond the boundary's box (a fraction of its size), for context.
STREET_MARGIN = 0.08
# A street label needs this much drawn line (in SVG units) to fit along it.
LABEL_MIN_LENGTH = 60.0


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    path: str
    markers: list[dict[str, Any]]
    streets: list[dict[str, Any]] = field(default_factory=list)


def _frame(geometry: BaseGeometry) -> BaseGeometry:
    min_x, min_y, max_x, max_y = geometry.bounds
    pad_x, pad_y = (max_x - min_x) * STREET_MARGIN, (max_y - min_y) * STREET_MARGIN
    return box(min_x - pad_x, min_y - pad_y, max_x + pad_x, max_y + pad_y)


def streets_near(
    boundary: dict[str, Any], streets: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Return the streets cut to the boundary's surroundings, as {name, geometry, label}.

    `label` is the stretch of the street inside the boundary where its name goes (the longest
    one, as GeoJSON coordinates), `labelAt` its middle; both None for a street that only
    passes nearby.
    """
    area = boundary_shape(boundary)
    frame = _frame(area)
    near = []
    for name, geojson in streets:
        piece = shape(geojson).intersection(frame)
        lines = _lines(piece)
        if not lines:
            continue
        inside = _lines(piece.intersection(area))
        longest = max(inside, key=lambda line: line.length) if inside else None
        middle = longest.interpolate(0.5, normalized=True) if longest is not None else None
        near.append(
            {
                "name": name,
                "geometry": mapping(shapely.MultiLineString(lines)),
                "label": [list(xy) for xy in longest.coords] if longest is not None else None,
                # Where Leaflet puts the name: [latitude, longitude].
                "labelAt": [round(middle.y, 6), round(middle.x, 6)] if middle else None,
            }
        )
    return near


def _lines(geometry: BaseGeometry) -> list[Any]:
    parts = getattr(geometry, "geoms", [geometry])
    return [g for g in parts if g.geom_type == "LineString" and g.length > 0]


def boundary_svg(
    geojson: dict[str, Any],
    points: list[tuple[float, float, str]],
    streets: list[dict[str, Any]] | None = None,
) -> SvgMap:
    """Return an SVG path for the boundary, marker positions for (lat, lng, label) points, and
    the streets (from streets_near) as paths with a label along the longest stretch of each."""
    geometry = boundary_shape(geojson)
    min_x, min_y, max_x, max_y = geometry.bounds
    # An equirectangular projection squeezed by cos(latitude) keeps small areas in proportion.
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    width = max((max_x - min_x) * squeeze, 1e-9)
    height = max(max_y - min_y, 1e-9)
    scale = SIZE / max(width, height)

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (lng - min_x) * squeeze * scale, (max_y - lat) * scale

    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [project(x, y) for x, y in ring.coords]
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + " Z")
    markers = []
    for lat, lng, label in points:
        x, y = project(lng, lat)
        markers.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "label": label})
    drawn = [_street_svg(street, project) for street in streets or []]
    view_box = f"-10 -10 {width * scale + 20:.1f} {height * scale + 20:.1f}"
    return SvgMap(view_box=view_box, path=" ".join(parts), markers=markers, streets=drawn)


def _street_svg(street: dict[str, Any], project: Any) -> dict[str, Any]:
    lines = [[project(x, y) for x, y in line] for line in street["geometry"]["coordinates"]]
    path = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in line) for line in lines)
    drawn: dict[str, Any] = {"name": street["name"], "path": path, "label": None}
    if not street.get("label"):
        return drawn
    longest = shapely.LineString([project(x, y) for x, y in street["label"]])
    if longest.length >= LABEL_MIN_LENGTH:
        middle = longest.interpolate(0.5, normalized=True)
        ahead = longest.interpolate(min(longest.length, longest.project(middle) + 1))
        behind = longest.interpolate(max(0.0, longest.project(middle) - 1))
        angle = math.degrees(math.atan2(ahead.y - behind.y, ahead.x - behind.x))
        # Keep text upright: a label never reads upside down.
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        drawn["label"] = {
            "x": f"{middle.x:.1f}",
            "y": f"{middle.y:.1f}",
            "transform": f"rotate({angle:.1f} {middle.x:.1f} {middle.y:.1f})",
        }
    return drawn

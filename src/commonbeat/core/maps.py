"""A boundary drawn as inline SVG, so the map reads without JavaScript (Leaflet enhances it)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from commonbeat.core.geo import boundary_shape

SIZE = 400.0


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    path: str
    markers: list[dict[str, Any]]


def boundary_svg(geojson: dict[str, Any], points: list[tuple[float, float, str]]) -> SvgMap:
    """Return an SVG path for the boundary and marker positions for (lat, lng, label) points."""
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
    view_box = f"-10 -10 {width * scale + 20:.1f} {height * scale + 20:.1f}"
    return SvgMap(view_box=view_box, path=" ".join(parts), markers=markers)

"""A choropleth of neighbourhoods as inline SVG: aggregates by area only, never points.

Drawn on the server so it reads without JavaScript; the table beside it carries the same
numbers for screen readers (the SVG is one labelled image). Shading uses five equal-width
classes between the smallest and largest value, named in a legend.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from commonbeat.core.geo import BoundaryError, boundary_shape
from commonbeat.core.models import Neighbourhood
from commonbeat.transparency.dashboards.memo import LRU

SIZE = 400.0
CLASSES = 5


@dataclass(frozen=True)
class Choropleth:
    view_box: str
    areas: list[dict[str, Any]]  # path, css class, title
    legend: list[dict[str, Any]]  # css class, low, high


def _project(neighbourhoods: list[Neighbourhood]) -> tuple[str, list[tuple[str, str, str]]]:
    """Return the view box and (slug, name, SVG path) of each drawable boundary."""
    shapes = []
    for n in neighbourhoods:
        try:
            shapes.append((n, boundary_shape(n.boundary)))
        except BoundaryError:
            continue
    if not shapes:
        return "", []
    min_x = min(g.bounds[0] for _n, g in shapes)
    min_y = min(g.bounds[1] for _n, g in shapes)
    max_x = max(g.bounds[2] for _n, g in shapes)
    max_y = max(g.bounds[3] for _n, g in shapes)
    # Equirectangular, squeezed by cos(latitude): small areas keep their proportions.
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    width = max((max_x - min_x) * squeeze, 1e-9)
    height = max(max_y - min_y, 1e-9)
    scale = SIZE / max(width, height)
    areas = []
    for n, geometry in shapes:
        parts = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = [
                    f"{(x - min_x) * squeeze * scale:.1f},{(max_y - y) * scale:.1f}"
                    for x, y in ring.coords
                ]
                parts.append("M" + " L".join(points) + " Z")
        areas.append((n.slug, n.name, " ".join(parts)))
    return f"-5 -5 {width * scale + 10:.1f} {height * scale + 10:.1f}", areas


# Projected boundaries, keyed by their content: an edited boundary is a new key.
_projected = LRU(64)


def choropleth(
    neighbourhoods: list[Neighbourhood], values: dict[str, float], describe: Any
) -> Choropleth | None:
    """Shade each neighbourhood by its value; `describe(name, value)` titles each area."""
    if not neighbourhoods or not values:
        return None
    key = hashlib.sha256(
        json.dumps([[n.slug, n.name, n.boundary] for n in neighbourhoods], sort_keys=True).encode()
    ).hexdigest()
    view_box, projected = _projected.get(key, lambda: _project(neighbourhoods))
    if not projected:
        return None
    low, high = min(values.values()), max(values.values())
    step = (high - low) / CLASSES or 1.0

    def shade(value: float | None) -> str:
        if value is None:
            return "choro-none"
        return f"choro-{min(CLASSES - 1, int((value - low) / step))}"

    areas = [
        {"path": path, "css": shade(values.get(slug)), "title": describe(name, values.get(slug))}
        for slug, name, path in projected
    ]
    legend = [
        {"css": f"choro-{i}", "low": low + i * step, "high": low + (i + 1) * step}
        for i in range(CLASSES)
    ]
    return Choropleth(view_box, areas, legend)

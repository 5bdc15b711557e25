"""Where records happen: points inside the neighbourhood polygons, and their location columns.

Points are drawn uniformly inside the neighbourhood polygons (strictly inside, after rounding
to 6 decimals) and the `neighbourhood` column carries the neighbourhood's slug (the standard
mapping reads that column as given); `location` is a made-up block address. The geometry of
planted effects 4 and 5 (the slow neighbourhood, the hot spot) is built on the kilometre
helpers here. See demo/demo-city.md.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape as to_shape

from commonbeat.demo.city import CENTRE_LAT, CENTRE_LNG, KM_PER_DEG_LAT, CityPlan
from commonbeat.demo.records.common import Columns, numbers

STREETS = (
    "Main St",
    "Oak St",
    "Elm St",
    "Grand Ave",
    "Park Ave",
    "River Rd",
    "Cedar St",
    "Walnut St",
    "Maple Ave",
    "University Ave",
    "Hickman Rd",
    "Ingersoll Ave",
    "Army Post Rd",
    "Euclid Ave",
    "Fleur Dr",
    "Keo Way",
)


def km_per_deg_lng() -> float:
    return 111.320 * math.cos(math.radians(CENTRE_LAT))


def to_km(geometry: Any) -> Any:
    """Return the geometry in kilometres east and north of the city centre."""

    def convert(xy: Any) -> Any:
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - CENTRE_LNG) * km_per_deg_lng()
        out[:, 1] = (xy[:, 1] - CENTRE_LAT) * KM_PER_DEG_LAT
        return out

    return shapely.transform(geometry, convert)


class Places:
    """The plan's neighbourhoods (in plan order) as slugs and prepared polygons."""

    def __init__(self, plan: CityPlan) -> None:
        self.slugs = [n.slug for n in plan.neighbourhoods]
        self.shapes = [to_shape(n.boundary) for n in plan.neighbourhoods]
        for polygon in self.shapes:
            shapely.prepare(polygon)

    def sample(
        self, rng: np.random.Generator, neighbourhood: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return uniform points strictly inside each row's neighbourhood (6 decimals)."""
        lat = np.zeros(len(neighbourhood))
        lng = np.zeros(len(neighbourhood))
        for k, polygon in enumerate(self.shapes):
            rows = np.flatnonzero(neighbourhood == k)
            if not len(rows):
                continue
            minx, miny, maxx, maxy = polygon.bounds
            fill = polygon.area / ((maxx - minx) * (maxy - miny))
            xs: list[np.ndarray] = []
            ys: list[np.ndarray] = []
            found = 0
            while found < len(rows):
                size = int((len(rows) - found) * 1.3 / fill) + 16
                x = np.round(rng.uniform(minx, maxx, size), 6)
                y = np.round(rng.uniform(miny, maxy, size), 6)
                inside = shapely.contains_xy(polygon, x, y)
                xs.append(x[inside])
                ys.append(y[inside])
                found += int(inside.sum())
            lng[rows] = np.concatenate(xs)[: len(rows)]
            lat[rows] = np.concatenate(ys)[: len(rows)]
        return lat, lng

    def columns(
        self,
        rng: np.random.Generator,
        neighbourhood: np.ndarray,
        lat: np.ndarray,
        lng: np.ndarray,
    ) -> Columns:
        """Return the location (a drawn block address), latitude, longitude and neighbourhood columns."""
        return {
            "location": _addresses(rng, len(neighbourhood)),
            "latitude": numbers(lat, 6),
            "longitude": numbers(lng, 6),
            "neighbourhood": [self.slugs[k] for k in neighbourhood.tolist()],
        }


def _addresses(rng: np.random.Generator, n: int) -> list[str]:
    blocks = (rng.integers(1, 60, size=n) * 100).tolist()
    streets = rng.integers(0, len(STREETS), size=n).tolist()
    return [f"{b} block of {STREETS[s]}" for b, s in zip(blocks, streets, strict=True)]

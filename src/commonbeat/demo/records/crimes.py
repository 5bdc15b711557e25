"""Crimes (25,000 at full scale), carrying planted effect 5 (demo/demo-city.md).

5. Hot spot. 6% of burglaries and thefts fall uniformly in a 300 m circle centred on the pole
   of inaccessibility of the neighbourhood nearest the city centre (`hot_spot`), many times
   the city's density of those crimes (about 36 times for seed 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import shapely
from shapely.geometry import shape as to_shape
from shapely.ops import polylabel

from commonbeat.demo.city import AGENCY_SLUG, CENTRE_LAT, CENTRE_LNG, KM_PER_DEG_LAT, CityPlan
from commonbeat.demo.records.common import AS_OF, Columns, bools, choice, ids, iso_dates
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.places import Places, km_per_deg_lng, to_km

# 5. Hot spot.
HOT_SPOT_RADIUS_M = 300.0
HOT_SPOT_SHARE = 0.06
HOT_SPOT_CATEGORIES = ("burglary", "theft")

# Relative frequency by local clock hour, 00:00 to 23:00.
# fmt: off
CRIME_HOURS = (4, 3.5, 3, 2, 1.5, 1.2, 1.5, 2.5, 3.5, 4, 4.2, 4.5, 5, 5, 5, 5.2, 5.5, 5.8, 5.8, 5.6, 5.4, 5.2, 5, 4.5)
# fmt: on

CRIME_CATEGORIES = {
    # category: (share, clearance rate)
    "theft": (0.34, 0.10),
    "burglary": (0.12, 0.12),
    "motor vehicle theft": (0.08, 0.09),
    "criminal damage": (0.14, 0.10),
    "assault": (0.15, 0.45),
    "robbery": (0.03, 0.28),
    "drug offences": (0.06, 0.90),
    "fraud": (0.05, 0.15),
    "other": (0.03, 0.30),
}


@dataclass(frozen=True)
class HotSpot:
    neighbourhood: str
    latitude: float
    longitude: float
    radius_m: float


def hot_spot(plan: CityPlan) -> HotSpot:
    """Return the burglary and theft hot spot: a circle deep inside the most central neighbourhood."""
    centre = shapely.Point(0.0, 0.0)
    shapes = [to_km(to_shape(n.boundary)) for n in plan.neighbourhoods]
    index = min(range(len(shapes)), key=lambda i: (shapes[i].distance(centre), i))
    polygon = shapes[index]
    if polygon.geom_type == "MultiPolygon":
        polygon = max(polygon.geoms, key=lambda g: g.area)
    pole = polylabel(polygon, tolerance=0.01)
    return HotSpot(
        plan.neighbourhoods[index].slug,
        round(CENTRE_LAT + pole.y / KM_PER_DEG_LAT, 6),
        round(CENTRE_LNG + pole.x / km_per_deg_lng(), 6),
        HOT_SPOT_RADIUS_M,
    )


def _sample_circle(
    places: Places, rng: np.random.Generator, spot: HotSpot, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return n uniform points in the hot spot's circle, inside its neighbourhood."""
    polygon = places.shapes[places.slugs.index(spot.neighbourhood)]
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    found = 0
    while found < n:
        size = n - found + 16
        radius = spot.radius_m / 1000 * np.sqrt(rng.random(size))
        angle = rng.uniform(0, 2 * np.pi, size)
        x = np.round(spot.longitude + radius * np.cos(angle) / km_per_deg_lng(), 6)
        y = np.round(spot.latitude + radius * np.sin(angle) / KM_PER_DEG_LAT, 6)
        inside = shapely.contains_xy(polygon, x, y) & (
            np.hypot((x - spot.longitude) * km_per_deg_lng(), (y - spot.latitude) * KM_PER_DEG_LAT)
            <= spot.radius_m / 1000
        )
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(ys)[:n], np.concatenate(xs)[:n]


def crime_table(ctx: Context) -> Columns:
    """Return the year's crimes table."""
    rng = ctx.rng("crime")
    n = ctx.count("crime")
    t = ctx.clock.draw(rng, n, CRIME_HOURS, season=0.12)
    names = list(CRIME_CATEGORIES)
    category = choice(rng, names, [CRIME_CATEGORIES[c][0] for c in names], n)
    neighbourhood = ctx.neighbourhoods(rng, n)
    lat, lng = ctx.places.sample(rng, neighbourhood)
    spot = hot_spot(ctx.plan)
    in_spot = np.isin(category, HOT_SPOT_CATEGORIES) & (rng.random(n) < HOT_SPOT_SHARE)
    rows = np.flatnonzero(in_spot)
    lat[rows], lng[rows] = _sample_circle(ctx.places, rng, spot, len(rows))
    neighbourhood[rows] = ctx.places.slugs.index(spot.neighbourhood)

    untimed = np.isin(category, ("burglary", "theft", "motor vehicle theft", "fraud")) & (
        rng.random(n) < 0.15
    )
    dates, times, instants = ctx.clock.render(t)
    for index in np.flatnonzero(untimed).tolist():
        times[index] = instants[index] = ""
    clearance = np.array([CRIME_CATEGORIES[c][1] for c in category.tolist()])
    cleared = rng.random(n) < clearance
    draw = rng.random(n)
    outcome = np.where(
        cleared,
        np.where(draw < 0.8, "charged", "cleared by exceptional means"),
        np.where(draw < 0.7, "no suspect identified", "under investigation"),
    )
    lag = np.where(
        outcome == "under investigation",
        0,
        np.where(cleared, 20 * np.exp(rng.normal(0, 1.0, n)), rng.integers(30, 90, n)),
    ).astype(int)
    first = ctx.clock.start
    outcome_dates = [
        min(first + timedelta(days=d + lag_days), AS_OF)
        for d, lag_days in zip(ctx.clock.local_day(t).tolist(), lag.tolist(), strict=True)
    ]
    return {
        "record_id": ids("C2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "category": category.tolist(),
        "occurred_date": dates,
        "occurred_time": times,
        "occurred_at": instants,
        **ctx.places.columns(rng, neighbourhood, lat, lng),
        "outcome": outcome.tolist(),
        "outcome_date": iso_dates(outcome_dates),
        "cleared": bools(cleared),
    }

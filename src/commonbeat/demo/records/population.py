"""Residents by race per neighbourhood (the benchmark denominator) and stop rates by race.

Planted effect 1, stop disparity (benchmark test). Residents by race per neighbourhood: Black
share ~ Beta(1.3, 7), Hispanic ~ Beta(2, 10), Asian/Pacific Islander ~ Beta(1.5, 20),
multiracial ~ U(3%, 5%), Native American 0.6%, other 1%, white the rest (others scaled to at
most 85%, rounded by largest remainder); counts sum to the planned population. They are
written as `external_series` records (measure `residents`, level `neighbourhood`, group
`race: <code>`) and returned by `resident_population(plan)`. A stop's (neighbourhood, race)
is drawn in proportion to residents x relative stop rate: white 1.0, Black 2.6 (vehicular,
daylight; see stops.py), Hispanic 1.3, Asian/Pacific Islander 0.6, Native American 1.2,
multiracial 1.0, other 0.8. See demo/demo-city.md, "Residents: the benchmark" and "1.".
"""

from __future__ import annotations

import numpy as np

from commonbeat.demo.city import AGENCY_SLUG, CityPlan
from commonbeat.demo.records.common import YEAR, Columns, generator

RACES = (
    "white",
    "black",
    "hispanic",
    "asian_pacific_islander",
    "native_american",
    "multiracial",
    "other",
)
RACE_RAW = {
    "white": "White",
    "black": "Black",
    "hispanic": "Hispanic",
    "asian_pacific_islander": "Asian/Pacific Islander",
    "native_american": "Native American",
    "multiracial": "Multiracial",
    "other": "Other",
    "unknown": "Unknown",
    "not_recorded": "",
}
STOP_RATE = {
    "white": 1.0,
    "black": 2.6,
    "hispanic": 1.3,
    "asian_pacific_islander": 0.6,
    "native_american": 1.2,
    "multiracial": 1.0,
    "other": 0.8,
}


def resident_population(plan: CityPlan) -> dict[str, dict[str, int]]:
    """Return each neighbourhood's residents by race (codes of RACES); each sums to its population."""
    rng = generator(plan.seed, "residents")
    result: dict[str, dict[str, int]] = {}
    for neighbourhood in plan.neighbourhoods:
        others = np.array(
            [
                rng.beta(1.3, 7.0),
                rng.beta(2.0, 10.0),
                rng.beta(1.5, 20.0),
                0.006,
                rng.uniform(0.03, 0.05),
                0.01,
            ]
        )
        if others.sum() > 0.85:
            others *= 0.85 / others.sum()
        shares = np.concatenate([[1.0 - others.sum()], others])
        exact = shares * neighbourhood.population
        counts = np.floor(exact).astype(int)
        remainder = neighbourhood.population - int(counts.sum())
        for index in np.argsort(-(exact - counts), kind="stable")[:remainder]:
            counts[index] += 1
        result[neighbourhood.slug] = {
            race: int(count) for race, count in zip(RACES, counts, strict=True)
        }
    return result


def race_rates(black_factor: float) -> np.ndarray:
    """Return the relative stop rate of each race (RACES order), the Black rate times the factor."""
    rates = np.array([STOP_RATE[r] for r in RACES])
    rates[RACES.index("black")] *= black_factor
    return rates


def residents_series(residents: dict[str, dict[str, int]]) -> Columns:
    """Return the residents as an `external_series` table, one row per neighbourhood and race."""
    rows = [
        (slug, race, count) for slug, races in residents.items() for race, count in races.items()
    ]
    n = len(rows)
    return {
        "record_id": [f"residents-{slug}-{race}" for slug, race, _ in rows],
        "agency": [AGENCY_SLUG] * n,
        "series": ["Riverton resident population (synthetic)"] * n,
        "period_start": [f"{YEAR}-01-01"] * n,
        "period_end": [f"{YEAR}-12-31"] * n,
        "level": ["neighbourhood"] * n,
        "area": [slug for slug, _, _ in rows],
        "measure": ["residents"] * n,
        "group": [f"race: {race}" for _, race, _ in rows],
        "value": [str(count) for _, _, count in rows],
    }

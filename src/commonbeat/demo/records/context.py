"""What every record family draws from: the plan, its clock, places, roster and residents.

Neighbourhoods (and the people in records) are drawn in proportion to residents, by race for
stops, force subjects and complainants (planted effect 1, population.py; demo/demo-city.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from commonbeat.demo.city import CityPlan
from commonbeat.demo.records.clock import Clock
from commonbeat.demo.records.common import COUNTS, generator
from commonbeat.demo.records.places import Places
from commonbeat.demo.records.population import RACES, race_rates
from commonbeat.demo.records.roster import Roster


@dataclass
class Context:
    plan: CityPlan
    scale: float
    counts: dict[str, int]
    clock: Clock
    places: Places
    roster: Roster
    residents: np.ndarray  # neighbourhood x race

    def count(self, record_type: str) -> int:
        if record_type in self.counts:
            return int(self.counts[record_type])
        return max(1, round(COUNTS[record_type] * self.scale))

    def rng(self, stream: str) -> np.random.Generator:
        return generator(self.plan.seed, stream)

    def roster_day(self, t: np.ndarray) -> np.ndarray:
        offset = self.roster.day_index(self.clock.start)
        days: np.ndarray = np.clip(self.clock.local_day(t) + offset, 0, self.roster.days - 1)
        return days

    def cells(
        self, rng: np.random.Generator, rates: np.ndarray, n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw (neighbourhood, race) cells in proportion to residents x rate by race."""
        weights = (self.residents * rates[None, :]).ravel()
        cell = rng.choice(len(weights), size=n, p=weights / weights.sum())
        return cell // len(RACES), cell % len(RACES)

    def race(self, rng: np.random.Generator, black_factor: float) -> str:
        """Draw one person's race as one stop cell would be, with this Black rate factor."""
        return RACES[int(self.cells(rng, race_rates(black_factor), 1)[1][0])]

    def neighbourhoods(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw n neighbourhood indexes in proportion to residents."""
        return rng.choice(
            len(self.places.slugs), size=n, p=self.residents.sum(axis=1) / self.residents.sum()
        )

"""Which officer a record names: the roster day by day, and the five high-force officers.

Officer identifiers are roster uids (RPD-00012) of officers employed and assigned on the
day. Each purpose weighs officers by unit and rank, times a productivity ~ Gamma(2, 0.5) per
officer; officers assigned to the record's neighbourhood are 4 times as likely. Planted
effect 7 (early-intervention signal) starts here: five officers (`high_force_officers`:
Patrol or Gang Unit police officers assigned all year, chosen by the seed) that force.py and
complaints.py favour. See demo/demo-city.md.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from commonbeat.demo.city import RANKS, UNITS, CityPlan
from commonbeat.demo.records.common import YEAR, generator

# Who does what: weights by unit (in city.UNITS order) and by rank (city.RANKS order).
UNIT_WEIGHTS = {
    # Patrol, Traffic, Investigations, Community Policing, Training, Gang Unit
    "vehicular": (1.0, 3.0, 0.0, 0.2, 0.0, 0.3),
    "pedestrian": (1.0, 0.2, 0.05, 0.6, 0.0, 1.5),
    "force": (1.0, 0.4, 0.1, 0.3, 0.02, 1.5),
    "complaint": (1.0, 0.8, 0.4, 0.5, 0.1, 1.2),
}
RANK_WEIGHTS = (1.0, 0.3, 0.4, 0.08, 0.02)
NEIGHBOURHOOD_AFFINITY = 4.0
# 7. Early intervention.
HIGH_FORCE_COUNT = 5


class Roster:
    """Each officer's unit, rank and neighbourhood on each day (-1: not employed or none)."""

    def __init__(self, plan: CityPlan, start: date, end: date) -> None:
        self.plan = plan
        self.start = start
        self.days = (end - start).days + 1
        count = len(plan.officers)
        slugs = {n.slug: i for i, n in enumerate(plan.neighbourhoods)}
        self.unit = np.full((count, self.days), -1, dtype=np.int16)
        self.rank = np.full((count, self.days), -1, dtype=np.int16)
        self.neighbourhood = np.full((count, self.days), -1, dtype=np.int16)
        for i, officer in enumerate(plan.officers):
            for assignment in officer.assignments:
                first = max((assignment.start_date - start).days, 0)
                last = min(((assignment.end_date or end) - start).days, self.days - 1)
                if first > last:
                    continue
                span = slice(first, last + 1)
                self.unit[i, span] = UNITS.index(assignment.unit) if assignment.unit in UNITS else 0
                self.rank[i, span] = RANKS.index(assignment.rank) if assignment.rank in RANKS else 0
                self.neighbourhood[i, span] = slugs.get(assignment.neighbourhood or "", -1)
        key = np.concatenate([self.unit, self.rank, self.neighbourhood]).T
        _, first_day, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        self.group = np.asarray(inverse).reshape(-1)
        self.group_day = first_day
        self.productivity = generator(plan.seed, "roster").gamma(2.0, 0.5, size=count)

    def day_index(self, day: date) -> int:
        return (day - self.start).days

    def weights(self, purpose: str, day: int) -> np.ndarray:
        unit = self.unit[:, day]
        rank = self.rank[:, day]
        active = unit >= 0
        unit_weight = np.asarray(UNIT_WEIGHTS[purpose])[np.where(active, unit, 0)]
        rank_weight = np.asarray(RANK_WEIGHTS)[np.where(active, rank, 0)]
        return np.asarray(np.where(active, unit_weight * rank_weight * self.productivity, 0.0))

    def pick(
        self,
        rng: np.random.Generator,
        purpose: str,
        day: np.ndarray,
        neighbourhood: np.ndarray,
        boost: dict[int, float] | None = None,
    ) -> np.ndarray:
        """Return one officer index per row, employed on the row's day, weighted by purpose."""
        result = np.zeros(len(day), dtype=np.int64)
        if not len(day):
            return result
        width = int(self.neighbourhood.max()) + 2
        combo = self.group[day] * width + (neighbourhood + 1)
        order = np.argsort(combo, kind="stable")
        values, starts = np.unique(combo[order], return_index=True)
        ends = [*starts[1:].tolist(), len(order)]
        for value, begin, finish in zip(values.tolist(), starts.tolist(), ends, strict=True):
            rows = order[begin:finish]
            group, place = divmod(value, width)
            sample_day = int(self.group_day[group])
            weights = self.weights(purpose, sample_day)
            weights = weights * np.where(
                self.neighbourhood[:, sample_day] == place - 1, NEIGHBOURHOOD_AFFINITY, 1.0
            )
            for officer, factor in (boost or {}).items():
                weights[officer] *= factor
            if weights.sum() <= 0:
                weights = (self.unit[:, sample_day] >= 0).astype(float)
            if weights.sum() <= 0:
                weights = np.ones(len(weights))
            cumulative = np.cumsum(weights)
            draws = rng.random(len(rows)) * cumulative[-1]
            result[rows] = np.minimum(
                np.searchsorted(cumulative, draws, side="right"), len(weights) - 1
            )
        return result


def high_force_officers(plan: CityPlan) -> list[str]:
    """Return the uids of the officers planted as the use-of-force early-intervention signal."""
    roster = Roster(plan, date(YEAR, 1, 1), date(YEAR, 12, 31))
    return [plan.officers[i].uid for i in high_force_indexes(plan, roster)]


def high_force_indexes(plan: CityPlan, roster: Roster) -> list[int]:
    """Return the plan indexes of the high-force officers (street officers all year, by seed)."""
    first = roster.day_index(date(YEAR, 1, 1))
    last = roster.day_index(date(YEAR, 12, 31))
    units = roster.unit[:, first : last + 1]
    ranks = roster.rank[:, first : last + 1]
    street = np.isin(units, [UNITS.index("Patrol"), UNITS.index("Gang Unit")]).all(axis=1)
    eligible = np.flatnonzero(street & (ranks == 0).all(axis=1))
    if len(eligible) < HIGH_FORCE_COUNT:
        eligible = np.flatnonzero((units >= 0).all(axis=1))
    rng = generator(plan.seed, "high-force")
    chosen = rng.choice(eligible, size=min(HIGH_FORCE_COUNT, len(eligible)), replace=False)
    return sorted(int(i) for i in chosen)

"""Raking survey respondents to the resident population, and what weighting costs.

Raking (iterative proportional fitting) adjusts each respondent's weight until the weighted
sample matches the population's share in every group of every dimension at once (age, sex,
race), when only each dimension's own counts are known, not their cross-classification. Each
neighbourhood is raked to its own counts and its weights then sum to its residents, so the
city-wide figures weight neighbourhoods by population (neighbourhoods are strata).

Choices made, and why:
- A respondent who did not give a group (skipped, "prefer not to say", or a group the counts do
  not have) keeps that dimension's weight: the missing are their own category whose total is
  held where it is, and the others share out the rest in the population's proportions.
- A group in the counts with no respondents cannot be matched; its share is spread over the
  groups present and the result names it (`absent`).
- Weights are trimmed to between a fifth and five times the mean and raked again, repeatedly, so
  one respondent from a rare group cannot carry a neighbourhood (a common convention, e.g.
  Pew's); the number trimmed is reported. When caps and margins cannot both hold, the caps win
  and the margins are met only roughly.
- Kish's approximate design effect 1 + CV² of the weights says how much weighting widens the
  intervals: the effective sample size is n / deff.

Meta's `balance` would do the raking, but it pins numpy below 2 and an old scikit-learn, which
would downgrade the numerical stack the threshold test runs on; `samplics` is archived. This
module is checked against R's `survey::rake` (tests/test_survey_weights_reference.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

TOLERANCE = 1e-8
MAX_ITERATIONS = 500
TRIM = (0.2, 5.0)
TRIM_ROUNDS = 20


@dataclass
class Raked:
    weights: np.ndarray
    converged: bool
    iterations: int
    trimmed: int = 0
    absent: list[str] = field(default_factory=list)  # "dimension:group" with no respondents
    unmatched: list[str] = field(default_factory=list)  # respondents' groups not in the counts


def _rake_once(
    weights: np.ndarray,
    groups: Mapping[str, Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
) -> tuple[np.ndarray, bool, int]:
    w = weights.copy()
    codes = {d: np.asarray([g if g in targets[d] else "" for g in groups[d]]) for d in targets}
    for iteration in range(1, MAX_ITERATIONS + 1):
        worst = 0.0
        for dimension, wanted in targets.items():
            member = codes[dimension]
            known = member != ""
            observed = w[known].sum()
            present = {g: n for g, n in wanted.items() if np.any(member == g)}
            total = sum(present.values())
            if observed <= 0 or total <= 0:
                continue
            for group, residents in present.items():
                rows = member == group
                current = w[rows].sum()
                goal = observed * residents / total
                worst = max(worst, abs(current / goal - 1.0))
                w[rows] *= goal / current
        if worst < TOLERANCE:
            return w, True, iteration
    return w, False, MAX_ITERATIONS


def _cap(weights: np.ndarray, low: float, high: float) -> np.ndarray:
    """Clip the weights to [low, high] times their mean, where the mean is of the clipped
    weights themselves (clipping moves the mean, so it is repeated until it settles)."""
    w = weights
    for _step in range(200):
        mean = w.mean()
        capped = np.clip(weights, low * mean, high * mean)
        if np.allclose(capped, w, rtol=1e-12, atol=0):
            return np.asarray(capped, dtype=float)
        w = capped
    return w


def rake(
    groups: Mapping[str, Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
    total: float | None = None,
    trim: tuple[float, float] | None = TRIM,
) -> Raked:
    """Weights for n respondents: `groups[dimension][i]` is respondent i's group (or None),
    `targets[dimension][group]` the population count. The weights sum to `total` (or n)."""
    n = len(next(iter(groups.values()))) if groups else 0
    if n == 0:
        return Raked(np.zeros(0), True, 0)
    targets = {d: {g: float(c) for g, c in t.items() if c > 0} for d, t in targets.items() if t}
    absent = sorted(
        f"{d}:{g}" for d, t in targets.items() for g in t if g not in set(groups.get(d, ()))
    )
    unmatched = sorted(
        {f"{d}:{g}" for d in targets for g in groups.get(d, ()) if g and g not in targets[d]}
    )
    targets = {d: t for d, t in targets.items() if d in groups}
    w, converged, iterations = _rake_once(np.ones(n), groups, targets)
    trimmed = 0
    if trim is not None and targets:
        # Rake, cap, rake again: each round moves the weights back toward the margins while
        # the caps pull the extremes in. Where the two cannot both hold (one respondent
        # standing for a large group), the caps win and the margins are met only roughly:
        # `converged` is then False and the page says the weights were trimmed.
        for round_ in range(TRIM_ROUNDS + 1):
            capped = _cap(w, *trim)
            outside = int(np.sum(np.abs(capped - w) > 1e-9 * w.mean()))
            if outside == 0:
                break
            trimmed = max(trimmed, outside)
            if round_ == TRIM_ROUNDS:
                w, converged = capped, False
                break
            w, converged, more = _rake_once(capped, groups, targets)
            iterations += more
    scale = (total if total else n) / w.sum()
    return Raked(w * scale, converged, iterations, trimmed, absent, unmatched)


def kish_deff(weights: np.ndarray) -> float:
    """Kish's design effect from unequal weights, n Σw² / (Σw)² (1 when all are equal)."""
    if len(weights) == 0 or weights.sum() <= 0:
        return 1.0
    return float(len(weights) * np.sum(weights**2) / weights.sum() ** 2)

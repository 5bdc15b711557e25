"""The outcome test recovers the demo city's planted search thresholds.

What the planted parameters imply (demo/demo-city.md, demo/records/stops.py): everyone
stopped carries contraband with probability p ~ Beta(6φ, 6(1 - φ)), φ = logistic(logit(0.05) + d)
with d ~ Normal(0, 0.25) per neighbourhood, whatever their race; officers search when p exceeds
the race's threshold (Black 0.10, Hispanic 0.15, others 0.23) and a search finds contraband with
probability p. So a group's hit rate is E[p | p > threshold], which the test computes with
scipy, averaging over the neighbourhood shift d.

The outcome test's other behaviour is tested in insights/tests/test_outcome.py.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest
from scipy import stats

from commonbeat.demo.records.stops import (
    AREA_PHI_SD,
    CONTRABAND_LAMBDA,
    CONTRABAND_PHI,
    DEFAULT_SEARCH_THRESHOLD,
    SEARCH_THRESHOLD,
)
from commonbeat.insights.outcome import outcome_test
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")


def implied_hit_rate(threshold: float) -> float:
    """E[p | p > threshold] under the planted model, averaged over neighbourhood shifts."""
    shifts = np.linspace(-5 * AREA_PHI_SD, 5 * AREA_PHI_SD, 201)
    weights = stats.norm.pdf(shifts, 0, AREA_PHI_SD)
    logit = math.log(CONTRABAND_PHI / (1 - CONTRABAND_PHI))
    phi = 1 / (1 + np.exp(-(logit + shifts)))
    a, b = CONTRABAND_LAMBDA * phi, CONTRABAND_LAMBDA * (1 - phi)
    searched = stats.beta.sf(threshold, a, b)
    # E[p; p > t] = P(Beta(a + 1, b) > t) · a / (a + b)
    found = stats.beta.sf(threshold, a + 1, b) * phi
    return float((weights * found).sum() / (weights * searched).sum())


def test_it_recovers_the_planted_hit_rates(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = outcome_test(demo_con, select_stops(demo_con, RIVERTON))
    assert result.applicable
    by_race = result.estimates["by_race"]
    implied = {
        race: implied_hit_rate(SEARCH_THRESHOLD.get(race, DEFAULT_SEARCH_THRESHOLD))
        for race in ("black", "hispanic", "white")
    }
    # About 20%, 25% and 33%: the lower the bar, the lower the hit rate.
    assert implied["black"] < implied["hispanic"] < implied["white"]
    for race, rate in implied.items():
        figures = by_race[race]
        assert figures["hit_rate_low"] < figures["hit_rate"] < figures["hit_rate_high"]
        # Ten neighbourhood shifts are drawn, not averaged over: close, not exact.
        assert figures["hit_rate"] == pytest.approx(rate, abs=0.025), race
        assert figures["hit_rate"] == pytest.approx(figures["hits"] / figures["searches"], abs=1e-6)
    black = by_race["black"]
    assert black["difference_high"] < 0  # the Black-white difference excludes 0
    assert black["difference_low"] < implied["black"] - implied["white"] < black["difference_high"]
    assert by_race["hispanic"]["difference_high"] < 0
    assert result.summary[1].params["race"] == "black"
    assert "below white people" in result.summary[1].msgid
    assert any("infra-marginality" in c.msgid for c in result.caveats)
    assert_well_formed(result)

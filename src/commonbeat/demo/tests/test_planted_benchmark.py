"""The benchmark test recovers the demo city's planted stop disparity against its residents.

What the planted parameters imply (demo/demo-city.md, demo/records/stops.py and
population.py): stops are drawn in four groups (vehicular stops in daylight, twilight and dark,
and pedestrian stops), each group's (neighbourhood, race) in proportion to residents x relative
stop rate, the Black rate 2.6 times the white one times the group's factor (1.0, 0.85, 0.70,
0.85). So in group g the stops per resident of a race are n_g x rate / Z_g, with
Z_g = Σ residents x rate, and 2% of stops have their race recorded as unknown or not at all,
whatever the race. The test computes n_g from the stops' own instants (the generator's clock
says which are in daylight) and compares the recovered rates with what that implies.

The benchmark test's other behaviour is tested in insights/tests/test_benchmark.py.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from commonbeat.demo.records.clock import Clock
from commonbeat.demo.records.population import RACES, STOP_RATE, race_rates
from commonbeat.demo.records.stops import (
    PEDESTRIAN_VEIL_FACTOR,
    RACE_NOT_RECORDED_SHARE,
    RACE_UNKNOWN_SHARE,
    VEIL_FACTOR,
)
from commonbeat.insights.benchmark import benchmark_test
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")


def implied_rates(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Stops a year per 1,000 residents the planted parameters imply, for white and Black."""
    columns = con.execute(
        "SELECT epoch(occurred_at)::BIGINT AS t, stop_type = 'vehicular' AS vehicular FROM stop"
    ).fetchnumpy()
    instants, vehicular = np.asarray(columns["t"]), np.asarray(columns["vehicular"])
    light = Clock(2025).light(instants)
    by_race = dict(
        con.execute(
            """SELECT replace("group", 'race: ', ''), sum(value) FROM external_series
               WHERE measure = 'residents' GROUP BY 1"""
        ).fetchall()
    )
    residents = np.array([by_race[race] for race in RACES])
    groups = [(vehicular & (light == state), VEIL_FACTOR[state]) for state in range(3)]
    groups.append((~vehicular, PEDESTRIAN_VEIL_FACTOR))
    recorded = 1 - RACE_UNKNOWN_SHARE - RACE_NOT_RECORDED_SHARE
    white = black = 0.0
    for mask, factor in groups:
        z = float((residents * race_rates(factor)).sum())
        white += mask.sum() / z
        black += mask.sum() * STOP_RATE["black"] * factor / z
    return {"white": 1000 * recorded * white, "black": 1000 * recorded * black}


def test_it_recovers_the_planted_stop_rates_per_resident(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    dataset = select_stops(demo_con, RIVERTON)
    result = benchmark_test(demo_con, dataset)
    assert result.applicable
    implied = implied_rates(demo_con)
    by_race = result.estimates["by_race"]
    white, black = by_race["white"], by_race["black"]
    # The planted parameters imply a ratio of about 2.23 (2.6 in daylight, 1.82 after dark).
    ratio = implied["black"] / implied["white"]
    assert black["stop_ratio_low"] <= ratio <= black["stop_ratio_high"]
    assert 2.1 < black["stop_ratio"] < 2.35
    for race in ("white", "black"):
        figures = by_race[race]
        assert figures["stop_rate_low"] <= implied[race] <= figures["stop_rate_high"]
    # The figures are the counts: stops ÷ residents over 12 months, per 1,000.
    assert result.estimates["months"] == 12
    assert white["stop_rate"] == pytest.approx(1000 * white["stops"] / white["residents"])
    assert result.summary[1].params["race"] == "black"
    assert result.summary[1].params["ratio"] == round(black["stop_ratio"], 2)
    assert_well_formed(result, decided=True)

"""Use-of-force rates per stop and sustained rates by complainant race recover what the demo
city plants.

What the demo city plants (demo/demo-city.md, demo/records/force.py and complaints.py):
the first person force is used on in an incident is drawn like a pedestrian stop (the Black
rate per resident 2.6 x 0.85 times the white one), a second person with the Black rate 2.6;
80% of them are arrested (none who died). A complaint's allegations are sustained with a rate
set by their category alone, and complainants' races are drawn independently of the findings,
so sustained rates should not differ by complainant race beyond chance.

The analyses' other behaviour is tested in insights/tests/test_force_rates.py.
"""

from __future__ import annotations

import duckdb
import pytest

from commonbeat.demo.records.complaints import SUSTAINED_RATE
from commonbeat.demo.records.population import STOP_RATE
from commonbeat.demo.records.stops import PEDESTRIAN_VEIL_FACTOR
from commonbeat.insights.force import force_rates
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.insights.sustained import sustained_rates
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")
MERITS = "('sustained', 'not_sustained', 'unfounded', 'exonerated')"


def one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = con.execute(sql).fetchone()
    assert row is not None
    return float(row[0])


def test_force_rates_per_stop_match_what_the_demo_plants(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    result = force_rates(demo_con, select_stops(demo_con, RIVERTON))
    assert result.applicable
    by_race = result.estimates["by_race"]
    white, black = by_race["white"], by_race["black"]
    assert white["per_1000_stops"] == pytest.approx(1000 * white["subjects"] / white["stops"])
    assert white["per_1000_stops_low"] < white["per_1000_stops"] < white["per_1000_stops_high"]
    # Force per resident: first subjects 2.6 x 0.85 times the white rate, second ones 2.6;
    # divided by the stops per resident actually recorded, that is the ratio per stop.
    first = one(demo_con, "SELECT count(*) FROM force_subject WHERE record_id LIKE '%-S1'")
    second = one(demo_con, "SELECT count(*) FROM force_subject WHERE record_id NOT LIKE '%-S1'")
    per_resident = (
        first * STOP_RATE["black"] * PEDESTRIAN_VEIL_FACTOR + second * STOP_RATE["black"]
    ) / (first + second)
    residents = dict(
        demo_con.execute(
            """SELECT replace("group", 'race: ', ''), sum(value) FROM external_series
               WHERE measure = 'residents' GROUP BY 1"""
        ).fetchall()
    )
    stops_ratio = (black["stops"] / residents["black"]) / (white["stops"] / residents["white"])
    implied = per_resident / stops_ratio  # about 1: force follows stops in the demo
    assert black["stops_ratio_low"] < implied < black["stops_ratio_high"]
    assert result.estimates["subjects"] == one(demo_con, "SELECT count(*) FROM force_subject")
    assert_well_formed(result)


def test_sustained_rates_by_complainant_race(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = sustained_rates(demo_con, select_stops(demo_con, RIVERTON))
    assert result.applicable
    by_race = result.estimates["by_race"]
    for race in ("white", "black", "hispanic"):
        figures = by_race[race]
        assert figures["complaints"] >= 50
        assert figures["sustained_rate_low"] < figures["sustained_rate"]
        assert figures["sustained_rate"] < figures["sustained_rate_high"]
        assert figures["sustained_rate"] == pytest.approx(
            figures["sustained"] / figures["complaints"], abs=1e-6
        )
    # Findings do not depend on the complainant's race in the demo: the differences are chance.
    for race in ("black", "hispanic"):
        assert by_race[race]["difference_low"] < 0 < by_race[race]["difference_high"]
    # The expected share sustained, given the categories of the allegations decided.
    categories = demo_con.execute(
        f"SELECT category, count(*) FROM allegation WHERE final_finding IN {MERITS} GROUP BY 1"  # noqa: S608  the test's own literal list
    ).fetchall()
    decided = sum(n for _, n in categories)
    implied = sum(SUSTAINED_RATE[c] * n for c, n in categories) / decided
    overall = result.estimates["overall"]
    assert overall["allegations"] == decided
    assert (
        overall["allegation_sustained_rate_low"]
        < implied
        < overall["allegation_sustained_rate_high"]
    )
    assert any(
        "Removed complaints with no allegation decided" in d.step.msgid for d in result.decisions
    )
    assert_well_formed(result)

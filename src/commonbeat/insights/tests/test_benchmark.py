"""The benchmark test recovers the demo city's planted stop disparity against its residents.

What the planted parameters imply (docs/demo-city.md, core/demo/records/stops.py and
population.py): stops are drawn in four groups (vehicular stops in daylight, twilight and dark,
and pedestrian stops), each group's (neighbourhood, race) in proportion to residents x relative
stop rate, the Black rate 2.6 times the white one times the group's factor (1.0, 0.85, 0.70,
0.85). So in group g the stops per resident of a race are n_g x rate / Z_g, with
Z_g = Σ residents x rate, and 2% of stops have their race recorded as unknown or not at all,
whatever the race. The tests compute n_g from the stops' own instants (the generator's clock
says which are in daylight) and compare the recovered rates with what that implies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest

from commonbeat.core.demo.records.clock import Clock
from commonbeat.core.demo.records.population import RACES, STOP_RATE, race_rates
from commonbeat.core.demo.records.stops import (
    PEDESTRIAN_VEIL_FACTOR,
    RACE_NOT_RECORDED_SHARE,
    RACE_UNKNOWN_SHARE,
    VEIL_FACTOR,
)
from commonbeat.insights.benchmark import benchmark_test
from commonbeat.insights.results import Result
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

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


def assert_well_formed(result: Result) -> None:
    """Decisions chain, coverage is a share, and the result survives JSON both ways."""
    for before, after in zip(result.decisions, result.decisions[1:], strict=False):
        assert before.rows_after == after.rows_before
    assert result.decisions[-1].rows_after == result.sample_size
    assert all(0 <= share <= 1 for share in result.coverage.values())
    data = json.loads(json.dumps(result.to_dict()))
    assert Result.from_dict(data).to_dict() == data
    sentences = [result.title, result.method, *result.summary, *result.caveats]
    sentences += [*result.assumptions, *(t for d in result.decisions for t in (d.step, d.reason))]
    sentences += [t.title for t in result.tables] + [
        c.label for t in result.tables for c in t.columns
    ]
    sentences += [t for t in (result.uncertainty, result.reason) if t is not None]
    for sentence in sentences:
        shown = sentence.render()
        assert shown and "%(" not in shown and "%%" not in shown, sentence.msgid


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
    assert_well_formed(result)


def test_search_rates_follow_the_planted_search_thresholds(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    result = benchmark_test(demo_con, select_stops(demo_con, RIVERTON))
    by_race = result.estimates["by_race"]
    # With contraband p ~ Beta(0.3, 5.7) (phi 0.05, lambda 6), P(p > threshold) is 17% at
    # Black people's threshold 0.10, 11% at Hispanic people's 0.15, 5% at 0.23 (everyone else).
    assert by_race["black"]["searches_per_stop"] == pytest.approx(0.17, abs=0.02)
    assert by_race["hispanic"]["searches_per_stop"] == pytest.approx(0.11, abs=0.02)
    assert by_race["white"]["searches_per_stop"] == pytest.approx(0.05, abs=0.01)
    assert by_race["black"]["search_ratio_low"] > 5  # searches per resident: 2.2 x 3.5
    for figures in by_race.values():
        assert figures["searches_per_stop_low"] <= figures["searches_per_stop"]
        assert figures["searches_per_stop"] <= figures["searches_per_stop_high"]


def test_areas_add_up_to_the_city(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = benchmark_test(demo_con, select_stops(demo_con, RIVERTON), min_count=0)
    city = {row["race"]: row for row in result.tables[0].rows}
    areas = result.tables[1].rows
    assert len({row["area"] for row in areas}) == 10
    for race, row in city.items():
        in_areas = [r for r in areas if r["race"] == race]
        assert sum(r["stops"] for r in in_areas) == row["stops"]
        assert sum(r["residents"] for r in in_areas) == row["residents"]
    # lakeview, the most Black neighbourhood, has the planted disparity too.
    lakeview = next(r for r in areas if r["area"] == "lakeview" and r["race"] == "black")
    assert lakeview["stop_ratio_low"] > 1.8


def test_small_cells_are_blanked_and_flagged(demo_con: duckdb.DuckDBPyConnection) -> None:
    dataset = select_stops(demo_con, RIVERTON)
    everything = benchmark_test(demo_con, dataset, min_count=0)
    result = benchmark_test(demo_con, dataset, min_count=400)
    assert everything.suppressed == 0 and result.suppressed > 0
    full = {(r["area"], r["race"]): r for r in everything.tables[1].rows}
    for row in result.tables[1].rows:
        counts = full[(row["area"], row["race"])]
        if counts["stops"] < 400:
            assert row["stops"] is None and row["stop_rate"] is None and row["suppressed"]
        else:
            assert row["stops"] == counts["stops"] and row["stop_rate"] == counts["stop_rate"]
        if counts["searches"] < 400:
            assert row["searches"] is None and row["searches_per_stop"] is None
            assert row["suppressed"]
    native = next(r for r in result.tables[0].rows if r["race"] == "native_american")
    assert native["stops"] is None and native["stop_rate"] is None  # 351 stops
    assert native["suppressed"]
    assert_well_formed(result)


def test_it_logs_how_it_annualises_and_what_it_removed(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    dataset = select_stops(
        demo_con, Selection(agency="riverton-pd", start=date(2025, 3, 15), end=date(2025, 5, 31))
    )
    result = benchmark_test(demo_con, dataset)
    steps = [d.step.msgid for d in result.decisions]
    assert steps[0].startswith("Removed stops of people whose race")
    assert result.decisions[0].removed > 0  # 2% of stops have no race
    annualised = result.decisions[-1]
    assert annualised.removed == 0
    assert annualised.step.params == {"months": 3, "first": "2025-03", "last": "2025-05"}
    # A partial month counts as a whole one: 2.5 months of stops over 3 months.
    white = result.estimates["by_race"]["white"]
    assert white["annual_stops"] == pytest.approx(white["stops"] * 4)
    assert_well_formed(result)


def test_it_uses_the_agencys_own_area_codes_or_a_city_total(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    neighbourhoods = benchmark_test(demo_con, select_stops(demo_con, RIVERTON))
    # The same stops recorded with the agency's district codes, and residents at that level,
    # plus a later census the stops must not be compared with.
    demo_con.execute(
        """CREATE TEMP VIEW stop AS
           SELECT * REPLACE (NULL::VARCHAR AS neighbourhood, upper(neighbourhood) AS area)
           FROM memory.main.stop"""
    )
    demo_con.execute(
        """CREATE TEMP VIEW external_series AS
           SELECT * REPLACE ('district' AS level, upper(area) AS area) FROM memory.main.external_series
           UNION ALL
           SELECT * REPLACE ('district' AS level, upper(area) AS area, DATE '2030-01-01' AS period_start,
                             2 * value AS value)
           FROM memory.main.external_series"""
    )
    dataset = select_stops(demo_con, RIVERTON)
    assert dataset.area_field == "area"
    districts = benchmark_test(demo_con, dataset)
    assert districts.diagnostics["level"] == "district"
    assert districts.diagnostics["period_start"] == "2025-01-01"
    assert districts.estimates["by_race"] == neighbourhoods.estimates["by_race"]
    assert {r["area"] for r in districts.tables[1].rows} == {
        r["area"].upper() for r in neighbourhoods.tables[1].rows
    }
    # Only one total per race for the whole city: city-wide rates, no area table.
    demo_con.execute(
        """CREATE OR REPLACE TEMP VIEW external_series AS
           SELECT any_value(record_id) AS record_id, any_value(source) AS source, agency,
                  series, period_start, any_value(period_end) AS period_end, 'city' AS level,
                  NULL::VARCHAR AS area, measure, "group", sum(value) AS value
           FROM memory.main.external_series GROUP BY ALL"""
    )
    city = benchmark_test(demo_con, select_stops(demo_con, RIVERTON))
    assert not city.diagnostics["per_area"]
    assert [t.key for t in city.tables] == ["by_race"]
    assert city.estimates["by_race"] == neighbourhoods.estimates["by_race"]
    assert_well_formed(city)


def test_without_residents_it_says_how_to_load_them(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    demo_con.execute(
        "CREATE TEMP VIEW external_series AS SELECT * FROM memory.main.external_series WHERE FALSE"
    )
    result = benchmark_test(demo_con, select_stops(demo_con, RIVERTON))
    assert not result.applicable
    assert result.reason is not None
    assert "measure 'residents'" in result.reason.msgid
    assert "race: <code>" in result.reason.msgid
    assert result.caveats  # the benchmark's weaknesses are stated even so
    assert json.dumps(result.to_dict())


def test_real_stop_data_has_no_residents_to_compare_with(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(
        shared_data / "nypd_sqf" / "2016.csv",
        shared_data / "seattle_terry_stops" / "Terry_Stops.csv",
        shared_data / "uk_stop_search" / "2018-04-city-of-london-stop-and-search.csv",
    )
    assert report.ok
    con = record_store.connect()
    for agency in ("nypd", "seattle-pd", "city-of-london"):
        dataset = select_stops(con, Selection(agency=agency))
        assert dataset.rows > 0
        result = benchmark_test(con, dataset)
        assert not result.applicable, agency
        assert result.reason is not None and "resident" in result.reason.msgid
        assert json.dumps(result.to_dict())

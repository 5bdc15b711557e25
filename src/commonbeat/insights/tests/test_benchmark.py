"""The benchmark test: stops and searches per resident by race, per area and city-wide, on the
demo city's year of stops (the root conftest's `demo_store`) and on real stop data.

That the rates recovered match what the demo's planted parameters imply is tested with the
demo, in demo/tests/test_planted_benchmark.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from commonbeat.insights.benchmark import benchmark_test
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")


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
    assert_well_formed(result, decided=True)


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
    assert_well_formed(result, decided=True)


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
    assert_well_formed(city, decided=True)


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

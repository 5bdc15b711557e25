"""The outcome test: hit rates by race, overall and per area, on the demo city's year of stops
(the root conftest's `demo_store`), and real searches read as the sources record them.

That the hit rates recovered match what the demo's planted search thresholds imply is tested
with the demo, in demo/tests/test_planted_outcome.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from commonbeat.insights.outcome import outcome_test
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")


def test_every_area_has_hit_rates_that_add_up(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = outcome_test(demo_con, select_stops(demo_con, RIVERTON), min_count=0)
    overall = {row["race"]: row for row in result.tables[0].rows}
    areas = result.tables[1].rows
    assert len({row["area"] for row in areas}) == 10
    assert result.tables[1].note is None  # every search has its neighbourhood
    for race, row in overall.items():
        in_areas = [r for r in areas if r["race"] == race]
        assert sum(r["searches"] for r in in_areas) == row["searches"]
        assert sum(r["hits"] for r in in_areas) == row["hits"]
    assert sum(row["searches"] for row in overall.values()) == result.sample_size


def test_small_cells_are_blanked_and_flagged(demo_con: duckdb.DuckDBPyConnection) -> None:
    dataset = select_stops(demo_con, RIVERTON)
    everything = outcome_test(demo_con, dataset, min_count=0)
    result = outcome_test(demo_con, dataset, min_count=100)
    full = {(r["area"], r["race"]): r for r in everything.tables[1].rows}
    blanked = 0
    for row in result.tables[1].rows:
        counts = full[(row["area"], row["race"])]
        if counts["searches"] < 100:
            assert row["searches"] is None and row["hit_rate"] is None and row["suppressed"]
            blanked += 1
        else:
            assert row["hit_rate"] == counts["hit_rate"]
    assert blanked > 0 and result.suppressed >= blanked
    assert everything.suppressed == 0
    # Where white people's searches are too few, no difference from them is shown.
    white_small = {
        r["area"] for r in result.tables[1].rows if r["race"] == "white" and r["suppressed"]
    }
    for row in result.tables[1].rows:
        if row["area"] in white_small:
            assert row["difference"] is None
    assert_well_formed(result)


def test_it_logs_its_decisions_and_coverage(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = outcome_test(demo_con, select_stops(demo_con, RIVERTON))
    first, missing, race = result.decisions
    assert first.rows_before == 60_000
    assert (
        first.rows_after
        == demo_con.execute("SELECT count(*) FROM stop WHERE search_conducted").fetchone()[0]
    )
    assert missing.removed == 0  # every demo search records its result
    assert race.removed > 0  # 2% of people have no race recorded
    assert set(result.coverage) == {"search_conducted", "subject_race", "contraband_found", "area"}
    assert result.coverage["subject_race"] == pytest.approx(0.02, abs=0.003)
    assert result.coverage["contraband_found"] == 0  # among searches


def test_uk_searches_are_read_as_finds_linked_to_the_object_of_search(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "uk_stop_search"
    report = run_import(
        *(
            folder / f"2018-{month:02d}-{force}-stop-and-search.csv"
            for month in (4, 5, 6)
            for force in ("metropolitan", "city-of-london")
        )
    )
    assert report.ok
    con = record_store.connect()
    result = outcome_test(con, select_stops(con, Selection()))
    assert result.applicable
    assert any("Outcome linked to object of search" in c.msgid for c in result.caveats)
    # Every record is a search; the Metropolitan Police's 2018 extracts never fill "Outcome
    # linked to object of search", so its searches are either "nothing found" or unknown.
    kept, missing, one_sided, _ = result.decisions
    assert kept.removed == 0
    assert missing.removed > 0
    assert one_sided.step.params == {"agencies": "metropolitan"}
    assert 0 < one_sided.rows_after < one_sided.rows_before
    assert 0 < result.coverage["contraband_found"] < 1
    assert result.coverage["area"] == 1  # no areas or neighbourhoods in these extracts
    assert result.tables[1].rows == [] and result.tables[1].note is not None
    for row in result.tables[0].rows:
        if row["hit_rate"] is not None:
            assert 0 < row["hit_rate_low"] <= row["hit_rate"] <= row["hit_rate_high"] < 1
    assert result.estimates["by_race"]["white"]["searches"] >= 100
    assert_well_formed(result)

    metropolitan = outcome_test(con, select_stops(con, Selection(agency="metropolitan")))
    assert not metropolitan.applicable
    assert metropolitan.reason is not None
    assert metropolitan.reason.params == {"agencies": "metropolitan"}


def test_nypd_stop_question_and_frisk_hit_rates_by_precinct(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    assert run_import(shared_data / "nypd_sqf" / "2016.csv").ok
    con = record_store.connect()
    dataset = select_stops(con, Selection(agency="nypd"))
    assert dataset.area_field == "area"  # precincts
    result = outcome_test(con, dataset)
    assert result.applicable
    assert any("NYPD" in c.msgid for c in result.caveats)
    searches = con.execute("SELECT count(*) FROM stop WHERE search_conducted").fetchone()
    assert result.decisions[0].rows_after == searches[0]
    by_race = result.estimates["by_race"]
    assert {"black", "hispanic", "white"} <= set(by_race)
    for figures in by_race.values():
        if figures["hit_rate"] is not None:
            assert 0.05 < figures["hit_rate"] < 0.8
    precincts = {row["area"] for row in result.tables[1].rows}
    assert 50 < len(precincts) <= 77
    assert result.suppressed > 0  # many precinct x race cells have under 10 searches
    assert_well_formed(result)


def test_seattle_terry_stops_do_not_record_searches(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    assert run_import(shared_data / "seattle_terry_stops" / "Terry_Stops.csv").ok
    con = record_store.connect()
    result = outcome_test(con, select_stops(con, Selection(agency="seattle-pd")))
    assert not result.applicable
    assert result.reason is not None and "searched" in result.reason.msgid
    assert_well_formed(result)

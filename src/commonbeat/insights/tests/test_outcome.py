"""The outcome test recovers the demo city's planted search thresholds, and reads real searches.

What the planted parameters imply (docs/demo-city.md, core/demo/records/stops.py): everyone
stopped carries contraband with probability p ~ Beta(6φ, 6(1 - φ)), φ = logistic(logit(0.05) + d)
with d ~ Normal(0, 0.25) per neighbourhood, whatever their race; officers search when p exceeds
the race's threshold (Black 0.10, Hispanic 0.15, others 0.23) and a search finds contraband with
probability p. So a group's hit rate is E[p | p > threshold], which the tests compute with
scipy, averaging over the neighbourhood shift d.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy import stats

from commonbeat.core.demo.records.stops import (
    AREA_PHI_SD,
    CONTRABAND_LAMBDA,
    CONTRABAND_PHI,
    DEFAULT_SEARCH_THRESHOLD,
    SEARCH_THRESHOLD,
)
from commonbeat.insights.outcome import outcome_test
from commonbeat.insights.results import Result
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

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


def assert_well_formed(result: Result) -> None:
    for before, after in zip(result.decisions, result.decisions[1:], strict=False):
        assert before.rows_after == after.rows_before
    if result.decisions:
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
    )  # type: ignore[index]
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
    assert result.decisions[0].rows_after == searches[0]  # type: ignore[index]
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

"""Use-of-force rates per stop and per arrest, and sustained rates by complainant race.

What the demo city plants (demo/demo-city.md, demo/records/force.py and complaints.py):
80% of the people force is used on are arrested (none who died), and complainants' races are
drawn independently of the findings. That the force rates per stop and the sustained rates
match the planted parameters is tested with the demo, in
demo/tests/test_planted_force_and_complaints.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from commonbeat.insights.force import force_rates
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.insights.sustained import sustained_rates
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.testing.analyses import assert_well_formed

RIVERTON = Selection(agency="riverton-pd")


def one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = con.execute(sql).fetchone()
    assert row is not None
    return float(row[0])


def test_force_per_arrest_counts_arrested_people_against_stop_arrests(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    result = force_rates(demo_con, select_stops(demo_con, RIVERTON))
    assert result.estimates["arrested_recorded"]
    for race in ("white", "black", "hispanic"):
        figures = result.estimates["by_race"][race]
        arrests = one(
            demo_con,
            f"SELECT count(*) FROM stop WHERE subject_race = '{race}' AND outcome = 'arrest'",  # noqa: S608  the test's own race codes
        )
        assert figures["arrests"] == arrests
        assert figures["per_100_arrests"] == pytest.approx(
            100 * figures["arrested_subjects"] / arrests, abs=1e-6
        )
        # 80% of the people force is used on are arrested (planted).
        assert figures["arrested_share_low"] < 0.8 < figures["arrested_share_high"]
    assert any("only the arrests recorded in stop records" in c.msgid for c in result.caveats)
    assert any("recorded as arrested" in a.msgid for a in result.assumptions)
    # Small groups (2 Native American, 5 "other" people) are blanked and flagged.
    native = result.estimates["by_race"]["native_american"]
    assert native["subjects"] is None and native["per_1000_stops"] is None
    assert native["suppressed"] and result.suppressed > 0


def test_without_arrests_recorded_force_per_arrest_counts_everyone(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    demo_con.execute(
        """CREATE TEMP VIEW force_subject AS
           SELECT * REPLACE (NULL::BOOLEAN AS arrested) FROM memory.main.force_subject"""
    )
    result = force_rates(demo_con, select_stops(demo_con, RIVERTON))
    white = result.estimates["by_race"]["white"]
    assert not result.estimates["arrested_recorded"]
    assert white["arrested_subjects"] is None and white["arrested_share"] is None
    assert white["per_100_arrests"] == pytest.approx(
        100 * white["subjects"] / white["arrests"], abs=1e-6
    )
    assert result.coverage["arrested"] == 1
    assert_well_formed(result)


def test_force_rates_cover_only_the_stops_period(demo_con: duckdb.DuckDBPyConnection) -> None:
    selection = Selection(agency="riverton-pd", start=date(2025, 7, 1), end=date(2025, 9, 30))
    result = force_rates(demo_con, select_stops(demo_con, selection))
    in_period = one(
        demo_con,
        """SELECT count(*) FROM force_subject s JOIN force_incident i ON i.record_id = s.parent_id
           WHERE i.occurred_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30'""",
    )
    dated = result.decisions[1]
    assert dated.step.params == {"start": "2025-07-01", "end": "2025-09-30"}
    assert dated.rows_after == in_period < dated.rows_before
    assert result.sample_size == in_period
    assert_well_formed(result)


def test_complainants_of_small_groups_are_withheld(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = sustained_rates(demo_con, select_stops(demo_con, RIVERTON))
    complaints, allegations = result.tables
    small = {row["race"] for row in complaints.rows if row["suppressed"]}
    assert small  # fewer than 10 decided complaints from Asian, Native American, ... people
    for row in complaints.rows:
        if row["race"] in small:
            assert row["complaints"] is None and row["sustained_rate"] is None
    # Their allegations are withheld with them, whatever their number.
    for row in allegations.rows:
        if row["race"] in small:
            assert row["allegations"] is None and row["sustained"] is None and row["suppressed"]
    dedupe = result.decisions[-1]
    assert dedupe.step.msgid == "Counted each complaint once per complainant race"
    assert dedupe.rows_after == result.sample_size <= dedupe.rows_before
    assert result.suppressed > 0


def test_agencies_without_force_or_complaint_records_are_not_applicable(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    for view in ("force_subject", "complaint"):
        demo_con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM memory.main.{view} WHERE FALSE")  # noqa: S608  the test's own view names
    dataset = select_stops(demo_con, RIVERTON)
    for analysis in (force_rates, sustained_rates):
        result = analysis(demo_con, dataset)
        assert not result.applicable
        assert result.reason is not None and "no " in result.reason.msgid
        assert json.dumps(result.to_dict())


def test_chicago_force_and_complaints_cannot_be_rated_by_race(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "chicago_invinst"
    report = run_import(
        folder / "TRR-main_2004-2018_2018-08_p456008.csv.gz",
        folder / "TRR-subjects_2004-2016_2016-09.csv.gz",
        folder / "complaints-complaints_2000-2016_2016-11.csv.gz",
        folder / "complaints-accused_2000-2016_2016-11.csv.gz",
    )
    assert report.ok
    con = record_store.connect()
    assert one(con, "SELECT count(*) FROM force_subject WHERE agency = 'chicago-pd'") > 0
    assert one(con, "SELECT count(*) FROM allegation WHERE agency = 'chicago-pd'") > 0
    dataset = select_stops(con, Selection(agency="chicago-pd"))
    assert dataset.rows == 0  # no stop records from Chicago: nothing to divide force by
    force = force_rates(con, dataset)
    assert not force.applicable
    assert force.reason is not None and "no stop records" in force.reason.msgid
    # The complaint releases have findings but nothing about who complained.
    sustained = sustained_rates(con, dataset)
    assert not sustained.applicable
    assert sustained.reason is not None and "complainants" in sustained.reason.msgid
    for result in (force, sustained):
        assert json.loads(json.dumps(result.to_dict()))["applicable"] is False

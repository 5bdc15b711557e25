from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore


def test_every_uk_stop_and_search_file_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "uk_stop_search")
    assert report.ok and report.committed
    assert len(report.files) == 43
    assert {f.mapping for f in report.files} == {"uk_stop_search"}
    totals = report.totals()["stop"]
    assert (totals.read, totals.stored, totals.rejected) == (158_349, 158_349, 0)
    con = record_store.connect()
    by_force = dict(con.execute("SELECT agency, count(*) FROM stop GROUP BY 1").fetchall())
    assert by_force == {
        "metropolitan": by_force["metropolitan"],
        "city-of-london": by_force["city-of-london"],
    }
    assert sum(by_force.values()) == 158_349
    # The first row of the Metropolitan Police's April 2018 file, standardised.
    first = con.execute(
        """SELECT occurred_at::VARCHAR, occurred_date::VARCHAR, occurred_time::VARCHAR, latitude, longitude,
                  stop_type, subject_gender, subject_age_range, subject_race, subject_race_self,
                  subject_race_self_raw, legislation, object_of_search, outcome, search_conducted
           FROM stop WHERE agency = 'metropolitan' ORDER BY occurred_at, latitude LIMIT 1"""
    ).fetchone()
    assert first == (
        "2018-03-31 23:00:00+00",
        "2018-04-01",  # midnight in London (BST) is 23:00 UTC the day before
        "00:00:00",
        51.394229,
        -0.113877,
        "person_search",
        "male",
        "25-34",
        "white",
        "white",
        "White - Any other White background",
        "Misuse of Drugs Act 1971 (section 23)",
        "Controlled drugs",
        "none",
        True,
    )
    # Officer-defined and self-defined ethnicity are kept apart, raw values beside them.
    assert (
        con.execute("SELECT count(*) FROM stop WHERE subject_race_self = 'unknown'").fetchone()[0]
        > 0
    )
    assert (
        con.execute(
            "SELECT count(*) FROM stop WHERE subject_race_raw IS NULL AND subject_race <> 'not_recorded'"
        ).fetchone()[0]
        == 0
    )


def test_importing_the_same_files_again_stores_nothing_new(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    month = shared_data / "uk_stop_search" / "2019-01-city-of-london-stop-and-search.csv"
    first = run_import(month)
    catalog = record_store.catalog()
    again = run_import(month)
    assert [f.status for f in first.files] == ["stored"]
    assert [f.status for f in again.files] == ["unchanged"]
    assert record_store.catalog() == catalog
    assert record_store.count("stop") == first.totals()["stop"].stored

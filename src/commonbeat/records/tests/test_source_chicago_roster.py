from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore


def test_chicago_roster_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "chicago_invinst" / "roster_1936-2017_2017-04.csv.gz")
    assert report.ok and report.committed
    assert [f.mapping for f in report.files] == ["chicago_roster"]
    totals = report.totals()["roster"]
    assert (totals.read, totals.stored, totals.rejected) == (32_446, 32_388, 58)
    assert dict(totals.reasons) == {
        # The Institute gave 45 officer identifiers to two or three rows each (same name, birth
        # year and appointment date, but different race, unit, star or status in most): the
        # release's own merge. The first row keeps the identifier; the 48 later ones are
        # rejected as duplicates.
        "record_id: duplicate identifier": 48,
        # Ten officers' resignation dates are before their appointment dates.
        "rule: separated before appointed": 10,
    }
    con = record_store.connect()
    rows = con.execute(
        """SELECT record_id, gender, race, race_raw, birth_year, appointed_date::VARCHAR,
                  separation_date::VARCHAR, status, rank, unit, badge_number
           FROM roster WHERE record_id IN ('12683', '4770') ORDER BY record_id"""
    ).fetchall()
    assert rows == [
        (
            "12683",
            "male",
            "white",
            "WHITE",
            1971,
            "2005-09-26",
            None,
            "active",
            "SERGEANT OF POLICE",
            "DISTRICT 016",
            "1424",  # stars 13001 then 1424: the last is the current one
        ),
        (
            "4770",
            "male",
            "white",
            "WHITE",
            1942,
            "1970-06-15",
            "2004-02-15",
            "inactive",
            "POLICE OFFICER",
            "DETACHED SERVICES - MISCELLANEOUS DETAIL",
            "2628",
        ),
    ]
    summary = con.execute(
        """SELECT count(*) FILTER (WHERE race = 'not_recorded' AND race_raw IS NULL),
                  count(*) FILTER (WHERE status = 'active'),
                  count(*) FILTER (WHERE badge_number IS NULL),
                  count(first_name), count(last_name)
           FROM roster"""
    ).fetchone()
    assert summary == (67, 12_099, 5_313, 32_387, 32_387)  # one row has no name

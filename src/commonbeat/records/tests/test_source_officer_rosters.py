from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from commonbeat.records.engine import ImportReport
from commonbeat.records.mappings.officer_rosters import OpenOversightFile
from commonbeat.records.sources import InputError
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader

# The roster and assignment files. Chicago's links file and Rochester's incidents and their
# links are mapped too (officer_roster_links.py, tested in test_source_officer_roster_links.py).
MAPPED = (
    "NYPD_October_2020",
    "CPD_August_2020/4_out_select_officers.csv",
    "CPD_August_2020/4_out_select_assignments.csv",
    "IMPD_January_2021",
    "RPD/Roster_October_2020",
)


def test_every_roster_and_assignment_file_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "officer_rosters"
    report = run_import(*(folder / name for name in MAPPED))
    assert report.ok and report.committed
    files = {f.name: f for f in report.files}
    assert {name: f.mapping for name, f in files.items()} == {
        "NYPD_officers_1.csv": "openoversight_officers_born",
        "NYPD_assignments_1.csv": "openoversight_assignments",
        "4_out_select_officers.csv": "openoversight_officers_separated",
        "4_out_select_assignments.csv": "openoversight_assignments_dated",
        "IMPD_oos_officers.csv": "openoversight_officers",
        "IMPD_oos_assignments.csv": "openoversight_assignments",
        "officers_1.csv": "openoversight_officers_born",
        "assignments_1.csv": "openoversight_assignments_started",
    }
    counts = {
        name: (f.outputs[0].read, f.outputs[0].stored, f.outputs[0].rejected)
        for name, f in files.items()
    }
    assert counts == {
        "NYPD_officers_1.csv": (50_097, 50_097, 0),
        "NYPD_assignments_1.csv": (52_822, 52_818, 4),
        "4_out_select_officers.csv": (15_708, 15_708, 0),
        "4_out_select_assignments.csv": (23_902, 23_899, 3),
        "IMPD_oos_officers.csv": (1_668, 1_668, 0),
        "IMPD_oos_assignments.csv": (1_668, 1_668, 0),
        "officers_1.csv": (1_053, 1_053, 0),
        "assignments_1.csv": (1_055, 1_055, 0),
    }
    # NYPD: four rows repeat another row of the same officer exactly (same title and badge,
    # and the file has no dates), so they are the same assignment listed twice.
    nypd = files["NYPD_assignments_1.csv"]
    assert dict(nypd.outputs[0].reasons) == {"record_id: duplicate identifier": 4}
    assert [p.split(": ")[0] for p in nypd.problems] == [
        "NYPD_assignments_1.csv, line 9254",
        "NYPD_assignments_1.csv, line 32570",
        "NYPD_assignments_1.csv, line 34246",
        "NYPD_assignments_1.csv, line 43831",
    ]
    # Chicago: three assignments end before they start (a day before, or three years before).
    chicago = files["4_out_select_assignments.csv"]
    assert dict(chicago.outputs[0].reasons) == {"rule: ends before it starts": 3}

    con = record_store.connect()

    one = row_reader(con)

    # The agency comes from the file name; every assignment's officer is in the same agency's roster.
    assert dict(con.execute("SELECT agency, count(*) FROM roster GROUP BY 1").fetchall()) == {
        "nypd": 50_097,
        "chicago-pd": 15_708,
        "indianapolis-pd": 1_668,
        "rochester-pd": 1_053,
    }
    assert dict(
        con.execute("SELECT agency, count(*) FROM roster_assignment GROUP BY 1").fetchall()
    ) == {"nypd": 52_818, "chicago-pd": 23_899, "indianapolis-pd": 1_668, "rochester-pd": 1_055}
    assert one(
        """SELECT count(*) FROM roster_assignment a
           LEFT JOIN roster r ON r.agency = a.agency AND r.record_id = a.parent_id
           WHERE r.record_id IS NULL"""
    ) == (0,)

    # Known officers, by id.
    assert one(
        """SELECT gender, race, race_raw, birth_year, appointed_date::VARCHAR, separation_date
           FROM roster WHERE agency = 'nypd' AND record_id = '#NYPD_0'"""
    ) == ("male", "white", "WHITE", 1971, "2001-07-02", None)
    # Most NYPD rows have no demographics at all: not recorded, not unknown.
    assert one(
        """SELECT gender, race, race_raw, birth_year, appointed_date::VARCHAR
           FROM roster WHERE agency = 'nypd' AND record_id = '#NYPD_1'"""
    ) == ("not_recorded", "not_recorded", None, None, "1996-07-18")
    assert one("SELECT count(*) FROM roster WHERE agency = 'nypd' AND race = 'not_recorded'") == (
        46_630,
    )
    assert one(
        """SELECT gender, race, birth_year, appointed_date::VARCHAR
           FROM roster WHERE agency = 'chicago-pd' AND record_id = '11958'"""
    ) == ("male", "hispanic", 1982, "2009-12-16")
    assert one(
        "SELECT count(separation_date), count(*) FROM roster WHERE agency = 'chicago-pd'"
    ) == (2_360, 15_708)
    assert one(
        """SELECT gender, race, birth_year, appointed_date::VARCHAR
           FROM roster WHERE agency = 'indianapolis-pd' AND record_id = '#1'"""
    ) == ("female", "white", None, "2008-04-28")
    assert one(
        "SELECT count(*), min(race_raw) FROM roster WHERE agency = 'indianapolis-pd' AND race = 'other'"
    ) == (23, "Other")
    assert one(
        """SELECT gender, race, birth_year, appointed_date::VARCHAR
           FROM roster WHERE agency = 'rochester-pd' AND record_id = '#1'"""
    ) == ("male", "white", 1983, "2005-03-28")
    # Rochester's 1900-01-01 employment date is a placeholder, not a date.
    assert one(
        "SELECT appointed_date FROM roster WHERE agency = 'rochester-pd' AND record_id = '#29'"
    ) == (None,)

    # Badge history: a Chicago officer who held five star numbers over ten assignments.
    history = con.execute(
        """SELECT badge_number, rank, start_date::VARCHAR, end_date::VARCHAR
           FROM roster_assignment WHERE agency = 'chicago-pd' AND parent_id = '14300'
           ORDER BY start_date"""
    ).fetchall()
    assert len(history) == 10
    assert history[0] == ("9644", "POLICE OFFICER", "2001-03-21", "2002-07-01")
    assert history[1] == ("9559", "POLICE OFFICER", "2002-07-01", "2002-07-02")
    assert history[-1] == ("9644", "POLICE OFFICER", "2017-10-25", None)
    assert {row[0] for row in history} == {"9644", "9559", "11720", "16741", "9605"}
    # A promotion: police officer, then detective with a new star on the same day.
    assert con.execute(
        """SELECT badge_number, rank, start_date::VARCHAR, end_date::VARCHAR
           FROM roster_assignment WHERE agency = 'chicago-pd' AND parent_id = '11958'
           ORDER BY start_date"""
    ).fetchall() == [
        ("7792", "POLICE OFFICER", "2010-06-14", "2018-11-02"),
        ("20009", "DETECTIVE", "2018-11-02", None),
    ]
    # NYPD's assignments have no dates, but an officer's several shields are all kept.
    assert con.execute(
        """SELECT badge_number, rank FROM roster_assignment
           WHERE agency = 'nypd' AND parent_id = '#NYPD_3085' ORDER BY badge_number"""
    ).fetchall() == [("23357", "Sergeant"), ("3443", "Sergeant"), ("4020", "Sergeant")]
    assert one(
        """SELECT count(*) FROM (SELECT parent_id FROM roster_assignment WHERE agency = 'nypd'
           GROUP BY 1 HAVING count(DISTINCT badge_number) > 1)"""
    ) == (2_663,)
    assert one(
        """SELECT badge_number, rank, start_date::VARCHAR FROM roster_assignment
           WHERE agency = 'rochester-pd' AND parent_id = '#1'"""
    ) == ("1663", "Officer", "2005-03-28")
    # Chicago's "Not Sure" titles are no rank; Indianapolis keeps its lettered badges.
    assert one(
        "SELECT count(*) FROM roster_assignment WHERE agency = 'chicago-pd' AND rank IS NULL"
    ) == (27,)
    assert one(
        "SELECT count(*) FROM roster_assignment WHERE agency = 'indianapolis-pd' AND badge_number = 'DT832'"
    ) == (1,)
    # Badge numbers are private: an assignment's identifier is its officer and a digest.
    assert one(
        """SELECT count(*) FROM roster_assignment
           WHERE NOT starts_with(record_id, parent_id || '-')
              OR NOT regexp_full_match(substr(record_id, length(parent_id) + 1), '-[0-9a-f]{12}')"""
    ) == (0,)


def test_the_folder_as_a_whole_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "officer_rosters")
    assert report.ok and report.committed
    assert len(report.files) == 11
    assert {f.status for f in report.files} == {"stored"}
    assert {
        name: (total.read, total.stored, total.rejected) for name, total in report.totals().items()
    } == {
        "roster": (68_526, 68_526, 0),
        "roster_assignment": (79_447, 79_440, 7),
        "reference_link": (14_638, 14_638, 0),
        "documented_incident": (177, 177, 0),
    }
    assert record_store.count("reference_link") == 14_638


def test_a_file_not_named_for_its_department_is_refused() -> None:
    assert OpenOversightFile.agency_for(Path("NYPD_officers_2.csv")) == "nypd"
    assert OpenOversightFile.agency_for(Path("4_out_select_officers.csv")) == "chicago-pd"
    assert OpenOversightFile.agency_for(Path("IMPD_oos_assignments.csv")) == "indianapolis-pd"
    assert OpenOversightFile.agency_for(Path("assignments_1.csv")) == "rochester-pd"
    with pytest.raises(InputError, match="which department"):
        OpenOversightFile.agency_for(Path("roster.csv"))

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

TRR_FILES = (
    "TRR-main_2004-2018_2018-08_p456008.csv.gz",
    "TRR-actions-responses_2004-2018_2018-08_p456008.csv.gz",
    "TRR-officers_2004-2018_2018-08_p456008.csv.gz",
    "TRR-subjects_2004-2016_2016-09.csv.gz",
)


def test_chicago_tactical_response_reports_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "chicago_invinst"
    report = run_import(*(folder / name for name in TRR_FILES))
    assert report.ok and report.committed
    assert [f.mapping for f in report.files] == [
        "chicago_trr_main",
        "chicago_trr_actions",
        "chicago_trr_officers",
        "chicago_trr_subjects",
    ]
    totals = report.totals()
    counts = {rt: (t.read, t.stored, t.rejected) for rt, t in totals.items()}
    assert counts == {
        "force_incident": (75_759, 75_759, 0),
        "force_officer": (75_759, 75_759, 0),
        "force_subject": (67_019, 67_019, 0),
        # Five action rows (row_id 101285, 488539, 581290, 581571, 582041) have a trr_id and
        # nothing else: no actor, resistance type or action. They record nothing.
        "force_action": (587_538, 587_533, 5),
    }
    assert dict(totals["force_action"].reasons) == {
        "action: empty row, no actor or action recorded": 5
    }

    con = record_store.connect()
    incident = con.execute(
        """SELECT occurred_date::VARCHAR, occurred_time::VARCHAR, occurred_at::VARCHAR, location,
                  area, conditions, agency
           FROM force_incident WHERE record_id = '4'"""
    ).fetchone()
    assert incident == (
        "2004-01-17",
        "14:47:00",
        "2004-01-17 20:47:00+00",  # 14:47 in Chicago (CST, UTC-6)
        "17XX West DIVISION ST, PARKING LOT/GARAGE (NON-RESIDENTIAL)",
        "1322",
        "Outdoor; lighting DAYLIGHT; weather OTHER",
        "chicago-pd",
    )
    # Report 7 happened at 20:04 local time, the next day in UTC; its conditions were left blank.
    assert con.execute(
        "SELECT occurred_at::VARCHAR, area, conditions FROM force_incident WHERE record_id = '7'"
    ).fetchone() == ("2004-01-18 02:04:00+00", "1131", None)

    actions = con.execute(
        """SELECT record_id, parent_id, actor, resistance_type, force_type, action
           FROM force_action WHERE parent_id = '4' ORDER BY record_id::INTEGER LIMIT 3"""
    ).fetchall()
    assert actions == [
        (
            "1",
            "4",
            "officer",
            None,
            "TAKE DOWN/EMERGENCY HANDCUFFING",
            "TAKE DOWN/EMERGENCY HANDCUFFING",
        ),
        ("2", "4", "officer", None, "VERBAL COMMANDS", "VERBAL COMMANDS"),
        ("3", "4", "subject", "Active Resister", None, "PULLED AWAY"),
    ]
    by_actor = dict(con.execute("SELECT actor, count(*) FROM force_action GROUP BY 1").fetchall())
    assert by_actor == {"officer": 303_362, "subject": 284_171}

    officer = con.execute(
        """SELECT parent_id, officer_id, officer_gender, officer_race, officer_race_raw,
                  officer_rank, years_of_service, injured
           FROM force_officer WHERE record_id = '2'"""
    ).fetchone()
    assert officer == ("5", "2", "male", "hispanic", "HISPANIC", "POLICE OFFICER", 18.16, True)
    # Rank given as a CPD position code (9161) reads as its title, as in the roster.
    assert (
        con.execute("SELECT count(*) FROM force_officer WHERE officer_rank = '9161'").fetchone()[0]
        == 0
    )
    # 35 officers have no race recorded; 20 were appointed after the incident date.
    assert con.execute(
        """SELECT count(*) FILTER (WHERE officer_race = 'not_recorded'),
                  count(*) FILTER (WHERE years_of_service IS NULL)
           FROM force_officer"""
    ).fetchone() == (35, 20)

    subject = con.execute(
        """SELECT parent_id, subject_age, subject_gender, subject_race, subject_race_raw, armed,
                  injured
           FROM force_subject WHERE record_id = '7'"""
    ).fetchone()
    assert subject == ("7", 25, "male", "black", "BLACK", False, False)
    assert con.execute(
        """SELECT count(*) FILTER (WHERE subject_race = 'not_recorded' AND subject_race_raw IS NULL),
                  count(*) FILTER (WHERE subject_gender = 'not_recorded')
           FROM force_subject"""
    ).fetchone() == (878, 58)

    # Every child row belongs to a stored report (the subjects file ends in 2016, so 8,740
    # reports have none).
    for child in ("force_action", "force_officer", "force_subject"):
        orphans = con.execute(
            f"SELECT count(*) FROM {child} WHERE parent_id NOT IN (SELECT record_id FROM force_incident)"  # noqa: S608  test SQL over fixed names
        ).fetchone()[0]
        assert orphans == 0, child

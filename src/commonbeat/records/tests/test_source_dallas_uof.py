from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore


def test_the_dallas_use_of_force_file_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "dallas_uof_2016")
    assert report.ok and report.committed
    assert [(f.name, f.mapping) for f in report.files] == [
        ("37-00049_UOF-P_2016_prepped.csv", "dallas_uof")
    ]
    totals = report.totals()
    counts = {name: (t.read, t.stored, t.rejected) for name, t in totals.items()}
    assert counts == {
        # 2,383 data rows (this copy has no descriptive second header) in 2,328 reports.
        "force_incident": (2_328, 2_328, 0),
        "force_officer": (2_328, 2_328, 0),
        "force_subject": (2_383, 2_383, 0),
        # TYPE_OF_FORCE_USED1..10, the non-empty ones of each report's first row.
        "force_action": (5_422, 5_422, 0),
    }
    con = record_store.connect()
    con.execute("SET TimeZone = 'UTC'")
    # Line 2 of the file is a use of force, not a second header: it is imported.
    assert con.execute(
        """SELECT agency, occurred_date::VARCHAR, occurred_time::VARCHAR, occurred_at::VARCHAR,
                  latitude, longitude, area
           FROM force_incident WHERE record_id = '37702'"""
    ).fetchone() == (
        "dallas-pd",
        "2016-09-03",  # "09-03-2016" is month first
        "04:14:00",
        "2016-09-03 09:14:00+00",  # CDT
        32.782205,
        -96.797461,
        "134",
    )
    assert con.execute(
        """SELECT officer_gender, officer_race, officer_race_raw, years_of_service, injured
           FROM force_officer WHERE parent_id = '37702'"""
    ).fetchone() == ("male", "black", "Black", 2, False)
    assert con.execute(
        """SELECT record_id, subject_gender, subject_race, injured, arrested, mental_health_crisis
           FROM force_subject WHERE parent_id = '37702'"""
    ).fetchall() == [("37-00049_UOF-P_2016_prepped:1", "female", "black", True, True, True)]
    assert con.execute(
        "SELECT record_id, actor, force_type FROM force_action WHERE parent_id = '37702'"
    ).fetchall() == [("37702/force1", "officer", "Hand/Arm/Elbow Strike")]
    # "3/22/16 11:00:00 PM" is 04:00 UTC the next day.
    assert con.execute(
        "SELECT occurred_date::VARCHAR, occurred_at::VARCHAR FROM force_incident WHERE record_id = '33413'"
    ).fetchone() == ("2016-03-22", "2016-03-23 04:00:00+00")

    # One officer's report on one subject listing two report numbers, and two force types.
    assert con.execute(
        "SELECT occurred_date::VARCHAR, area FROM force_incident WHERE record_id = '37879,37898'"
    ).fetchone() == ("2016-11-08", "346")
    assert con.execute(
        "SELECT record_id, force_type FROM force_action WHERE parent_id = '37879,37898' ORDER BY 1"
    ).fetchall() == [
        ("37879,37898/force1", "Verbal Command"),
        ("37879,37898/force2", "Take Down - Arm"),
    ]
    # Report 36520 has four rows: one officer, four unidentified subjects. One incident, one
    # officer row and one force action; four subjects.
    counts_36520 = [
        con.execute(f"SELECT count(*) FROM {table} WHERE {column} = '36520'").fetchone()  # noqa: S608  test SQL over fixed names
        for table, column in (
            ("force_incident", "record_id"),
            ("force_officer", "parent_id"),
            ("force_action", "parent_id"),
            ("force_subject", "parent_id"),
        )
    ]
    assert counts_36520 == [(1,), (1,), (1,), (4,)]
    assert con.execute(
        "SELECT subject_gender, count(*) FROM force_subject WHERE parent_id = '36520' GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("female", 1), ("male", 3)]
    # Reports with several rows: 50, with 105 subjects between them.
    assert con.execute(
        """SELECT count(*), sum(n) FROM (
               SELECT parent_id, count(*) AS n FROM force_subject GROUP BY 1 HAVING count(*) > 1)"""
    ).fetchone() == (50, 105)
    # Every child row has its incident.
    for table in ("force_officer", "force_subject", "force_action"):
        assert con.execute(
            f"""SELECT count(*) FROM {table} c
                WHERE NOT EXISTS (SELECT 1 FROM force_incident i WHERE i.record_id = c.parent_id)"""  # noqa: S608  test SQL over fixed names
        ).fetchone() == (0,)

    # Demographics: raw values kept, empty ones not recorded.
    assert con.execute(
        "SELECT subject_race, subject_race_raw, count(*) FROM force_subject GROUP BY 1, 2 ORDER BY 3 DESC"
    ).fetchall() == [
        ("black", "Black", 1_333),
        ("hispanic", "Hispanic", 524),
        ("white", "White", 470),
        ("not_recorded", None, 39),
        ("other", "Other", 11),
        ("asian_pacific_islander", "Asian", 5),
        ("native_american", "American Ind", 1),
    ]
    assert dict(
        con.execute("SELECT subject_gender, count(*) FROM force_subject GROUP BY 1").fetchall()
    ) == {"male": 1_932, "female": 440, "not_recorded": 10, "unknown": 1}
    assert con.execute(
        """SELECT mental_health_crisis, armed, weapon, count(*) FROM force_subject
           GROUP BY ALL ORDER BY 4 DESC"""
    ).fetchall() == [
        (False, None, None, 1_327),
        (None, None, None, 552),
        (True, None, None, 412),
        (None, True, "gun", 36),
        (None, False, None, 29),
        (None, True, "other weapon", 25),
        (None, True, "motor vehicle", 2),
    ]
    # Ten reports have no time; 55 have no coordinates.
    assert con.execute(
        """SELECT count(*) FILTER (WHERE occurred_time IS NULL), count(*) FILTER (WHERE occurred_at IS NULL),
                  count(*) FILTER (WHERE latitude IS NULL), min(occurred_date)::VARCHAR, max(occurred_date)::VARCHAR
           FROM force_incident"""
    ).fetchone() == (10, 10, 55, "2016-01-01", "2016-12-31")

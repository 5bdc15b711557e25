from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.mappings.wapo_fatal_shootings import WapoFatalShootings
from commonbeat.records.store import RecordStore


def test_the_whole_wapo_folder_imports(
    shared_data: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    tmp_path: Path,
) -> None:
    report = run_import(shared_data / "wapo_fatal_shootings")
    assert report.ok and report.committed
    assert {f.name: f.mapping for f in report.files} == {
        "fatal-police-shootings-agencies.csv": "wapo_agencies",
        "fatal-police-shootings-data.csv": "wapo_fatal_shootings",
    }
    counts = {name: (t.read, t.stored, t.rejected) for name, t in report.totals().items()}
    assert counts == {
        "force_incident": (9_518, 9_518, 0),
        "force_subject": (9_518, 9_518, 0),
        "agency_reference": (3_528, 3_528, 0),
    }
    # Nothing rejected, so no rejects file either (it would hold whole raw rows).
    assert not (tmp_path / "rejects").exists() or not any((tmp_path / "rejects").iterdir())
    catalog = record_store.catalog()["partitions"]
    assert {p["licence"] for p in catalog.values()} == {"CC BY-NC-SA 4.0"}

    con = record_store.connect()
    assert con.execute(
        """SELECT agency, occurred_date::VARCHAR, location, latitude, longitude, area, fatal,
                  firearm_discharged
           FROM force_incident WHERE record_id = '3'"""
    ).fetchone() == ("wapo", "2015-01-02", "Shelton, WA", 47.246826, -123.121592, "WA", True, True)
    assert con.execute(
        """SELECT parent_id, subject_age, subject_gender, subject_race, subject_race_raw, armed,
                  weapon, mental_health_crisis, killed
           FROM force_subject WHERE record_id = '3'"""
    ).fetchone() == ("3", 53, "male", "asian_pacific_islander", "A", True, "gun", True, True)
    # Its longitude is -9007175462532118.0: the shooting is kept, without coordinates.
    assert con.execute(
        "SELECT occurred_date::VARCHAR, location, latitude, longitude FROM force_incident WHERE record_id = '9473'"
    ).fetchone() == ("2023-08-22", "Canton, MS", None, None)
    assert con.execute(
        """SELECT count(*) FROM force_incident
           WHERE abs(latitude) > 90 OR abs(longitude) > 180 OR (latitude IS NULL) <> (longitude IS NULL)"""
    ).fetchone() == (0,)
    # Several race codes: Hispanic ethnicity overrides race, other combinations are multiracial.
    assert con.execute(
        "SELECT record_id, subject_race, subject_race_raw FROM force_subject WHERE subject_race_raw LIKE '%;%' ORDER BY record_id::INTEGER"
    ).fetchall() == [
        ("6223", "multiracial", "W;B;N"),
        ("7104", "hispanic", "N;H"),
        ("7376", "hispanic", "W;H"),
        ("8366", "hispanic", "B;H"),
        ("8542", "multiracial", "W;B"),
        ("8843", "hispanic", "B;H"),
        ("10209", "multiracial", "W;B"),
    ]
    assert dict(
        con.execute("SELECT subject_race, count(*) FROM force_subject GROUP BY 1").fetchall()
    ) == {
        "white": 4_288,
        "black": 2_239,
        "hispanic": 1_552,
        "not_recorded": 1_111,
        "asian_pacific_islander": 167,
        "native_american": 128,
        "other": 30,
        "multiracial": 3,
    }
    assert dict(
        con.execute("SELECT subject_gender, count(*) FROM force_subject GROUP BY 1").fetchall()
    ) == {"male": 9_073, "female": 418, "not_recorded": 26, "nonbinary": 1}
    # "unarmed" is not armed; "undetermined", "unknown" and empty leave it unknown.
    assert dict(con.execute("SELECT armed, count(*) FROM force_subject GROUP BY 1").fetchall()) == {
        True: 8_225,
        False: 541,
        None: 752,
    }
    assert con.execute(
        """SELECT count(*) FILTER (WHERE mental_health_crisis), count(*) FILTER (WHERE subject_age IS NULL),
                  min(subject_age), max(subject_age), count(*) FILTER (WHERE NOT killed)
           FROM force_subject"""
    ).fetchone() == (1_902, 383, 2, 92, 0)
    assert con.execute(
        "SELECT min(occurred_date)::VARCHAR, max(occurred_date)::VARCHAR, count(*) FILTER (WHERE latitude IS NULL) FROM force_incident"
    ).fetchone() == ("2015-01-02", "2024-04-04", 1_054)

    # The agencies table, as agency references with their ORI codes.
    assert con.execute(
        """SELECT agency, name, agency_type, state, ori_codes, total_shootings
           FROM agency_reference WHERE record_id = '2114'"""
    ).fetchone() == ("wapo", "Abilene Police Department", "local_police", "TX", "TX22101", 4)
    assert con.execute(
        "SELECT ori_codes FROM agency_reference WHERE ori_codes LIKE 'AKASP00;%'"
    ).fetchone() == ("AKASP00;AKAST01",)
    assert con.execute(
        """SELECT count(*) FILTER (WHERE ori_codes IS NULL), sum(total_shootings),
                  count(DISTINCT agency_type) FROM agency_reference"""
    ).fetchone() == (126, 10_285, 7)


def test_names_are_never_read() -> None:
    # The victims' names are private: the mapping does not read the column at all.
    assert "name" not in WapoFatalShootings.required_columns()

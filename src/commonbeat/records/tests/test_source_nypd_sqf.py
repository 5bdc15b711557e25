from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader

# Rough boxes (latitude, longitude) around New York City and around the Bronx.
NYC = ((40.47, 40.93), (-74.27, -73.69))
BRONX = ((40.78, 40.92), (-73.94, -73.76))


def _within(point: tuple[float, float], box: tuple[tuple[float, float], ...]) -> bool:
    (south, north), (west, east) = box
    return south <= point[0] <= north and west <= point[1] <= east


def test_both_years_of_stop_question_and_frisk_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    # The folder holds 2014.zip (2014.csv), 2016.csv and the specification workbooks (skipped).
    report = run_import(shared_data / "nypd_sqf")
    assert report.ok and report.committed
    files = {f.partition: f for f in report.files}
    assert set(files) == {"2014", "2016"}
    assert {f.mapping for f in report.files} == {"nypd_sqf"}
    counts = {
        p: (f.outputs[0].read, f.outputs[0].stored, f.outputs[0].rejected) for p, f in files.items()
    }
    assert counts == {"2014": (45_787, 45_787, 0), "2016": (12_405, 12_404, 1)}
    # The one reject is the last line of 2016.csv: every one of its 112 fields is blank, so it
    # is not a stop at all (no precinct, serial number, date, ...).
    assert dict(files["2016"].outputs[0].reasons) == {"record_id: required value missing": 1}
    assert files["2016"].problems == ["2016.csv, line 12406: record_id: required value missing ()"]
    # Contraband or a weapon found in a stop without a search: not a search outcome, cleared.
    rule = "no search, so no search basis or contraband result"
    assert dict(files["2014"].outputs[0].corrected) == {rule: 1_097}
    assert dict(files["2016"].outputs[0].corrected) == {rule: 314}

    con = record_store.connect()

    one = row_reader(con)

    # Identifiers are year-precinct-serial number, unique in both files.
    assert one("SELECT count(*), count(DISTINCT record_id) FROM stop") == (58_191, 58_191)
    assert one("SELECT DISTINCT agency, stop_type FROM stop") == ("nypd", "pedestrian")

    # 2014.csv, first row: datestop "1012014" (leading zero dropped) and timestop "2330".
    assert one(
        """SELECT occurred_date::VARCHAR, occurred_time::VARCHAR, occurred_at::VARCHAR, area
           FROM stop WHERE record_id = '2014-67-15'"""
    ) == ("2014-01-01", "23:30:00", "2014-01-02 04:30:00+00", "67")

    # 2014.csv, second row: an arrest in precinct 7 (Lower East Side) at Essex and Delancey
    # Streets, by the subway mezzanine.
    row = one(
        """SELECT occurred_at::VARCHAR, latitude, longitude, reason, subject_age, subject_gender,
                  subject_race, subject_race_raw, frisk_performed, search_conducted, search_basis,
                  contraband_found, contraband_weapons, outcome, force_used
           FROM stop WHERE record_id = '2014-7-26'"""
    )
    assert row[0] == "2014-01-03 20:30:00+00"  # 15:30 in New York (EST)
    assert abs(row[1] - 40.7186) < 0.0005 and abs(row[2] - -73.9881) < 0.0005
    assert row[3:] == (
        "CRIMINAL MISCHIEF",
        31,
        "male",
        "black",
        "B",
        True,
        True,
        "other",
        False,
        False,
        "arrest",
        True,
    )

    # The conversion from State Plane feet (x 987521, y 201066) agrees with pyproj.
    from pyproj import Transformer

    lng, lat = Transformer.from_crs("EPSG:2263", "EPSG:4326", always_xy=True).transform(
        987521, 201066
    )
    assert (row[1], row[2]) == (round(lat, 6), round(lng, 6))

    # 2016.csv, first row: precinct 41 (Hunts Point), timestop "100" is 01:00; the point is in
    # the Bronx. Stopped on suspicion of burglary, frisked and searched, summonsed.
    row = one(
        """SELECT occurred_date::VARCHAR, occurred_time::VARCHAR, area, latitude, longitude, reason,
                  subject_age, subject_race, frisk_performed, search_conducted, search_basis,
                  contraband_found, outcome
           FROM stop WHERE record_id = '2016-41-22'"""
    )
    assert row[:3] == ("2016-02-07", "01:00:00", "41")
    assert _within((row[3], row[4]), BRONX)
    assert row[5:] == ("BURG", 48, "black", True, True, "other", False, "summons")
    # timestop "30" is half past midnight.
    assert one("SELECT occurred_time::VARCHAR FROM stop WHERE record_id = '2016-10-22'") == (
        "00:30:00",
    )

    # Every 2016 point is in New York City; stops without x/y have no point.
    south, north, west, east, located, total = one(
        """SELECT min(latitude), max(latitude), min(longitude), max(longitude), count(latitude),
                  count(*) FROM stop WHERE record_id LIKE '2016-%'"""
    )
    assert _within((south, west), NYC) and _within((north, east), NYC)
    assert (located, total) == (12_053, 12_404)
    assert one("SELECT count(latitude) FROM stop WHERE record_id LIKE '2014-%'") == (44_137,)

    # Race codes: P (black-Hispanic) and Q (white-Hispanic) are Hispanic; U is unknown.
    races = dict(
        con.execute(
            "SELECT subject_race, count(*) FROM stop WHERE record_id LIKE '2014-%' GROUP BY 1"
        ).fetchall()
    )
    assert races == {
        "black": 24_319,
        "hispanic": 9_700 + 2_789,
        "white": 5_467,
        "asian_pacific_islander": 2_281,
        "other": 739,
        "unknown": 300,
        "native_american": 192,
    }
    assert one(
        "SELECT count(*) FROM stop WHERE subject_race_raw IN ('P', 'Q') AND subject_race <> 'hispanic'"
    ) == (0,)

    # 2014's July-September block writes ticked boxes as "1" and unticked ones as blank: force
    # and weapons are read there as well as in the Y/N rows (pf_hands alone: 1,727 + 5,478).
    assert one(
        """SELECT count(*) FILTER (WHERE force_used), count(*) FILTER (WHERE occurred_date
                  BETWEEN '2014-07-01' AND '2014-09-30' AND force_used)
           FROM stop WHERE record_id LIKE '2014-%'"""
    ) == (11_584, 2_786)
    # Contraband is a search outcome: missing whenever there was no search.
    assert one(
        "SELECT count(*) FROM stop WHERE NOT search_conducted AND contraband_found IS NOT NULL"
    ) == (0,)
    assert one(
        """SELECT count(*), count(*) FILTER (WHERE contraband_found),
                  count(*) FILTER (WHERE contraband_weapons)
           FROM stop WHERE search_conducted"""
    ) == (10_241, 3_001, 1_658)
    # Bases of search: hard object, outline of weapon or admission are probable cause.
    bases = con.execute(
        "SELECT search_basis, count(*) FROM stop WHERE record_id LIKE '2014-%' GROUP BY 1"
    ).fetchall()
    assert dict(bases) == {"probable_cause": 3_651, "other": 3_632, None: 38_504}
    # Ages: "**" and impossible ages (1, 565, 999, ...) are not recorded.
    assert one("SELECT min(subject_age), max(subject_age), count(subject_age) FROM stop") == (
        10,
        100,
        57_941,
    )
    # No officer identifier in these files.
    assert one("SELECT count(officer_id) FROM stop") == (0,)

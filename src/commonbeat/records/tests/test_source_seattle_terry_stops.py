from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader


def test_seattle_terry_stops_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "seattle_terry_stops" / "Terry_Stops.csv")
    assert report.ok and report.committed
    assert [(f.mapping, f.partition) for f in report.files] == [
        ("seattle_terry_stops", "Terry_Stops")
    ]
    totals = report.totals()["stop"]
    assert (totals.read, totals.stored, totals.rejected) == (19_753, 19_753, 0)
    assert not report.files[0].outputs[0].corrected

    con = record_store.connect()

    one = row_reader(con)

    assert one("SELECT count(*), count(DISTINCT record_id) FROM stop") == (19_753, 19_753)
    assert one("SELECT DISTINCT agency, stop_type FROM stop") == ("seattle-pd", "pedestrian")

    fields = """occurred_date::VARCHAR, occurred_time::VARCHAR, occurred_at::VARCHAR, area, reason,
                subject_age_range, subject_gender, subject_race, subject_race_raw,
                frisk_performed, outcome"""
    # The first row: 21:08 on 30 March 2015 in Seattle (PDT, UTC-7).
    assert one(f"SELECT {fields} FROM stop WHERE record_id = '10207'") == (  # noqa: S608  test SQL over fixed names
        "2015-03-30",
        "21:08:00",
        "2015-03-31 04:08:00+00",
        "East/E/E2",
        "PROPERTY - DAMAGE",
        "26 - 35",
        "male",
        "white",
        "White",
        False,
        "none",
    )
    # "NULL" call type and place: missing, not the text NULL.
    assert one(f"SELECT {fields} FROM stop WHERE record_id = '10403'") == (  # noqa: S608  test SQL over fixed names
        "2015-04-24",
        "02:45:00",
        "2015-04-24 09:45:00+00",
        None,
        None,
        "36 - 45",
        "male",
        "black",
        "Black",
        False,
        "none",
    )
    # "-" for age group, race, gender and frisk: not recorded.
    assert one(f"SELECT {fields} FROM stop WHERE record_id = '11797'") == (  # noqa: S608  test SQL over fixed names
        "2015-06-20",
        "01:09:00",
        "2015-06-20 08:09:00+00",
        None,
        None,
        None,
        "not_recorded",
        "not_recorded",
        None,
        None,
        "none",
    )
    # A frisk and an arrest in winter (PST, UTC-8), Precinct "Unknown" with Sector "-" kept as
    # recorded.
    assert one(
        "SELECT occurred_at::VARCHAR, area, subject_race, frisk_performed, outcome "
        "FROM stop WHERE record_id = '24838'"
    ) == ("2016-12-15 05:30:00+00", "Unknown/-/S", "white", True, "arrest")

    # Counts across the file, as recorded.
    races = dict(con.execute("SELECT subject_race, count(*) FROM stop GROUP BY 1").fetchall())
    assert races == {
        "white": 9_619,
        "black": 6_105,
        "unknown": 936,
        "hispanic": 893,
        "native_american": 643,
        "asian_pacific_islander": 616,
        "multiracial": 576,
        "not_recorded": 287,
        "other": 78,
    }
    assert one(
        "SELECT count(*) FROM stop WHERE (subject_race_raw IS NULL) <> (subject_race = 'not_recorded')"
    ) == (0,)
    genders = dict(con.execute("SELECT subject_gender, count(*) FROM stop GROUP BY 1").fetchall())
    assert genders == {"male": 15_316, "female": 4_079, "unknown": 223, "not_recorded": 135}
    assert one(
        """SELECT count(*) FILTER (WHERE frisk_performed), count(*) FILTER (WHERE frisk_performed
                  IS NULL), count(*) FILTER (WHERE outcome = 'arrest'), count(subject_age_range),
                  count(area), count(reason), count(officer_id)
           FROM stop"""
    ) == (4_182, 297, 4_248, 19_753 - 673, 19_753 - 7_655, 12_098, 19_753)
    # Nothing to search for: the file records frisks, not searches.
    assert one("SELECT count(search_conducted), count(contraband_found) FROM stop") == (0, 0)

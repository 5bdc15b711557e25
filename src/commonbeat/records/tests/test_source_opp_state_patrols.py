from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader

REFERENCE = "threshold_test_reference_CO_CT_IL"


def test_the_whole_opp_state_patrols_folder_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "opp_state_patrols")
    assert report.ok and report.committed
    files = {f.name: f for f in report.files}
    assert {name: f.mapping for name, f in files.items()} == {
        "acs_2017_5_year_state_level_race_data.csv": "acs_2017_state_race",
        "fig2_stop_rate_county.csv": "opp_stop_rate_county",
        "fig3a_search_rate_county.csv": "opp_search_rate_county",
        "fig4a_hit_rate_county.csv": "opp_hit_rate_county",
        "threshold_test_counts.csv": "opp_threshold_counts",
        "threshold_test_reference_CO_CT_IL.csv": "opp_threshold_reference",
    }
    counts = {
        name: [(o.record_type, o.read, o.stored, o.rejected) for o in f.outputs]
        for name, f in files.items()
    }
    assert counts == {
        # One output per population group, one record per state (50, DC and Puerto Rico).
        "acs_2017_5_year_state_level_race_data.csv": [("external_series", 52, 52, 0)] * 8,
        "fig2_stop_rate_county.csv": [("stop_aggregate", 2_581, 2_581, 0)],
        "fig3a_search_rate_county.csv": [("stop_aggregate", 2_589, 2_589, 0)],
        "fig4a_hit_rate_county.csv": [("stop_aggregate", 702, 702, 0)],
        "threshold_test_counts.csv": [("stop_aggregate", 1_130, 1_130, 0)],
        "threshold_test_reference_CO_CT_IL.csv": [("stop_aggregate", 237, 237, 0)],
    }

    con = record_store.connect()

    one = row_reader(con)

    assert dict(
        con.execute('SELECT "table", count(*) FROM stop_aggregate GROUP BY 1').fetchall()
    ) == {
        "fig2_stop_rate_county": 2_581,
        "fig3a_search_rate_county": 2_589,
        "fig4a_hit_rate_county": 702,
        "threshold_test_counts": 1_130,
        REFERENCE: 237,
    }
    assert one("SELECT DISTINCT agency FROM stop_aggregate") == ("opp-state-patrols",)
    assert one("SELECT DISTINCT agency FROM external_series") == ("us-census",)
    # Every row has a state, a level and a standard race; the three groups are all there is.
    assert one(
        """SELECT count(*) FROM stop_aggregate
           WHERE state IS NULL OR level IS NULL OR subject_race NOT IN ('white', 'black', 'hispanic')"""
    ) == (0,)
    assert one("SELECT count(*) FROM stop_aggregate WHERE searches > stops OR hits > searches") == (
        0,
    )

    # A county FIPS code keeps its leading zero; the state comes from its prefix.
    assert one(
        """SELECT area, state, level, subject_race, subject_race_raw, stops, population, searches
           FROM stop_aggregate WHERE "table" = 'fig2_stop_rate_county'
             AND area = '04001' AND subject_race = 'black'"""
    ) == ("04001", "AZ", "county", "black", "Black drivers", 214, 215, None)
    # Round counts written in scientific notation are read as the whole numbers they are.
    assert one(
        """SELECT stops, population FROM stop_aggregate WHERE "table" = 'fig2_stop_rate_county'
             AND area = '39159' AND subject_race = 'white'"""
    ) == (5_881, 38_000)
    assert one(
        """SELECT stops FROM stop_aggregate WHERE "table" = 'fig2_stop_rate_county'
             AND area = '48303' AND subject_race = 'black'"""
    ) == (1_000,)
    # Patrol areas instead of counties: Illinois districts, North Carolina troop districts,
    # Rhode Island zones.
    assert dict(
        con.execute(
            """SELECT state, count(*) FROM stop_aggregate
               WHERE "table" = 'fig3a_search_rate_county' AND level = 'district' GROUP BY 1"""
        ).fetchall()
    ) == {"IL": 69, "NC": 168, "RI": 18}
    assert one(
        """SELECT state, level, searches, hits FROM stop_aggregate
           WHERE "table" = 'fig4a_hit_rate_county' AND area = 'ILLINOIS STATE POLICE 01'
             AND subject_race = 'white'"""
    ) == ("IL", "district", 454, 187)
    # Counties named, not coded, with the state in the identifier (Adams County, CO and WA).
    assert con.execute(
        """SELECT record_id, stops, searches, hits FROM stop_aggregate
           WHERE "table" = 'threshold_test_counts' AND area = 'Adams County'
             AND subject_race = 'white' ORDER BY state"""
    ).fetchall() == [
        ("CO|Adams County|White drivers", 69_036, 175, 123),
        ("WA|Adams County|White drivers", 48_423, 658, 180),
    ]

    # The published thresholds, stored in the file's order: the first row is El Paso County's
    # white drivers, and each state's first area is its busiest (the one the test pins).
    assert one(
        f"""SELECT state, area, level, subject_race, stops, searches, hits, inferred_threshold
            FROM stop_aggregate WHERE "table" = '{REFERENCE}' LIMIT 1"""  # noqa: S608  test SQL over fixed names
    ) == ("CO", "El Paso County", "county", "white", 109_426, 222, 156, 0.5739479066756501)
    assert one(
        f"""SELECT count(inferred_threshold) FROM stop_aggregate WHERE "table" = '{REFERENCE}'"""  # noqa: S608  test SQL over fixed names
    ) == (237,)
    with (shared_data / "opp_state_patrols" / f"{REFERENCE}.csv").open(newline="") as stream:
        published = [
            (row["state"], row["location"], row["driver_race"]) for row in csv.DictReader(stream)
        ]
    [stored_file] = [f for f in record_store.files("stop_aggregate") if REFERENCE in str(f)]
    stored = con.execute(
        f"""SELECT state, area, subject_race_raw
            FROM read_parquet('{stored_file}', file_row_number = true) ORDER BY file_row_number"""  # noqa: S608  test SQL over fixed names
    ).fetchall()
    assert stored == published
    assert con.execute(
        f"""SELECT state, arg_max(area, total) = first(area ORDER BY first_row)
            FROM (SELECT state, area, sum(stops) AS total, min(file_row_number) AS first_row
                  FROM read_parquet('{stored_file}', file_row_number = true) GROUP BY 1, 2)
            GROUP BY 1 ORDER BY 1"""  # noqa: S608  test SQL over fixed names
    ).fetchall() == [("CO", True), ("CT", True), ("IL", True)]

    # ACS 2017 5-year state population: Colorado (FIPS 08).
    colorado = dict(
        con.execute(
            """SELECT "group", value FROM external_series
               WHERE series = 'acs_2017_5_year' AND level = 'state' AND area = '08'
                 AND measure = 'population'"""
        ).fetchall()
    )
    assert colorado["race: white"] == 3_731_976
    assert colorado["all"] == 5_436_519
    assert colorado["race: hispanic"] == 1_157_200
    assert colorado["race: asian_pacific_islander"] == 161_733 + 7_471
    # Hispanic origin overrides race, so the groups add up to the total, state by state.
    assert one(
        """SELECT count(*) FROM (
               SELECT area, sum(value) FILTER ("group" <> 'all') AS groups,
                      sum(value) FILTER ("group" = 'all') AS total
               FROM external_series GROUP BY area) WHERE groups <> total"""
    ) == (0,)
    assert one(
        """SELECT min(period_start)::VARCHAR, max(period_end)::VARCHAR, count(DISTINCT area)
           FROM external_series"""
    ) == ("2013-01-01", "2017-12-31", 52)

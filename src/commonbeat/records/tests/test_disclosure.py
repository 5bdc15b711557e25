"""Disclosure risk is measured over the quasi-identifiers, and rows carry only generalised
values of them: ages in bands, service in bands, no hour unless chosen, people's places at
their neighbourhood's point (records/disclosure.py, records/privacy.py)."""

from __future__ import annotations

from typing import Any

import duckdb

from commonbeat.records.disclosure import measure, quasi_identifiers, refusal
from commonbeat.records.privacy import AGE_BANDS, SERVICE_BANDS, Treatment, public_fields
from commonbeat.records.schema import RECORD_TYPES, SQL_TYPES


def published(
    record_type: str, rows: list[dict[str, Any]], **treatment: Any
) -> list[dict[str, Any]]:
    """Return rows as a release would carry them (the public columns' SQL over a table)."""
    rt = RECORD_TYPES[record_type]
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE {rt.name} ({', '.join(f'{f.name} {SQL_TYPES[f.type]}' for f in rt.fields)})"
    )
    for row in rows:
        names = list(row)
        con.execute(
            f"INSERT INTO {rt.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",  # noqa: S608  schema names; values are ? parameters
            [row[n] for n in names],
        )
    fields = public_fields(rt, 250.0, Treatment(**treatment))
    selects = ", ".join(f"{f.sql} AS {f.name}" for f in fields)
    cursor = con.execute(f"SELECT {selects} FROM {rt.name}")  # noqa: S608  schema names
    header = [d[0] for d in cursor.description]
    return [dict(zip(header, values, strict=True)) for values in cursor.fetchall()]


def test_it_counts_unique_rows_and_the_smallest_group() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1), ('a', 1), ('a', 1), ('b', 1), "
        "('b', 2), (NULL, 2)) AS v(x, y)"
    )
    assert measure(con, "t", ["x", "y"]) == {
        "rows": 6,
        "unique_rows": 3,
        "unique_share": 0.5,
        "smallest_group": 1,
    }
    assert measure(con, "t", ["y"])["smallest_group"] == 2
    assert measure(con, "t", ["y"])["unique_rows"] == 0


def test_missing_values_count_as_one_value() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (NULL), (NULL)) AS v(x)")
    assert measure(con, "t", ["x"])["unique_rows"] == 0


def test_ages_are_published_in_data_police_uks_bands_never_exact() -> None:
    ages = [None, 5, 10, 17, 18, 24, 25, 34, 35, 80]
    rows = published(
        "stop",
        [
            {"record_id": str(i), "source": "s", "agency": "a", "subject_age": age}
            for i, age in enumerate(ages)
        ]
        + [{"record_id": "r", "source": "s", "agency": "a", "subject_age_range": "26 - 35"}],
    )
    assert "subject_age" not in rows[0]
    assert [r["subject_age_range"] for r in rows] == [
        None,
        "under 10",
        "10-17",
        "10-17",
        "18-24",
        "18-24",
        "25-34",
        "25-34",
        "over 34",
        "over 34",
        "26 - 35",  # a source's own range, with no age, cannot be split
    ]
    assert set(AGE_BANDS) == {r["subject_age_range"] for r in rows[1:-1]}


def test_officers_years_of_service_are_published_in_bands_never_exact() -> None:
    # The planted finding: service to 0.1 year picked out one officer in the roster.
    years = [0.4, 2.9, 3.0, 5.9, 6.0, 10.5, 11.0, 20.9, 21.0, 33.3, None]
    rows = published(
        "force_officer",
        [
            {
                "record_id": str(i),
                "source": "s",
                "agency": "a",
                "parent_id": "1",
                "years_of_service": y,
            }
            for i, y in enumerate(years)
        ],
        person_rows=frozenset({"force_officer"}),
    )
    assert "years_of_service" not in rows[0]
    assert [r["years_of_service_band"] for r in rows] == [
        "0-2",
        "0-2",
        "3-5",
        "3-5",
        "6-10",
        "6-10",
        "11-20",
        "11-20",
        "over 20",
        "over 20",
        None,
    ]
    assert set(SERVICE_BANDS) == {r["years_of_service_band"] for r in rows[:-1]}


def test_stops_carry_no_hour_unless_the_operator_lists_them() -> None:
    row = {"record_id": "1", "source": "s", "agency": "a", "occurred_time": "14:35:00"}
    assert "occurred_hour" not in published("stop", [row])[0]
    assert published("stop", [row], hour_tables=frozenset({"stop"}))[0]["occurred_hour"] == 14


def test_rows_about_people_carry_their_neighbourhoods_point_not_their_own_cell() -> None:
    base = {"source": "s", "agency": "a"}
    rows = published(
        "stop",
        [
            {
                **base,
                "record_id": "1",
                "latitude": 41.80,
                "longitude": -87.60,
                "neighbourhood": "n",
            },
            {
                **base,
                "record_id": "2",
                "latitude": 41.83,
                "longitude": -87.63,
                "neighbourhood": "n",
            },
            {**base, "record_id": "3", "latitude": 41.80, "longitude": -87.60},
            {**base, "record_id": "4", "latitude": 41.8045, "longitude": -87.6045},
        ],
    )
    assert (rows[0]["latitude"], rows[0]["longitude"]) == (
        rows[1]["latitude"],
        rows[1]["longitude"],
    )
    # Outside any neighbourhood, a 1000 m cell: two points 500 m apart share it.
    assert (rows[2]["latitude"], rows[2]["longitude"]) == (
        rows[3]["latitude"],
        rows[3]["longitude"],
    )
    # Crimes are not rows about people: they keep the 250 m cell.
    crime = published(
        "crime",
        [
            {**base, "record_id": "1", "category": "c", "latitude": 41.80, "longitude": -87.60},
            {**base, "record_id": "2", "category": "c", "latitude": 41.83, "longitude": -87.63},
        ],
    )
    assert crime[0]["latitude"] != crime[1]["latitude"]


def test_the_quasi_identifiers_are_when_where_age_gender_race_rank_and_service() -> None:
    stop = quasi_identifiers(public_fields(RECORD_TYPES["stop"], 250.0))
    assert {
        "agency",
        "occurred_month",
        "latitude",
        "longitude",
        "neighbourhood",
        "subject_age_range",
        "subject_gender",
        "subject_race",
    } <= set(stop)
    assert "outcome" not in stop
    officer = quasi_identifiers(
        public_fields(
            RECORD_TYPES["force_officer"],
            250.0,
            Treatment(person_rows=frozenset({"force_officer"})),
        )
    )
    assert {"officer_rank", "years_of_service_band", "officer_gender", "officer_race"} <= set(
        officer
    )
    assert {rt.name for rt in RECORD_TYPES.values() if rt.about_people} == {
        "stop",
        "force_subject",
        "force_officer",
        "complainant",
        "roster",
        "roster_assignment",
    }
    assert {rt.name for rt in RECORD_TYPES.values() if not rt.publish_rows} == {
        "force_subject",
        "force_officer",
        "complainant",
        "roster",
        "roster_assignment",
    }


def test_the_refusal_names_the_table_its_share_the_threshold_and_what_to_do() -> None:
    message = refusal(
        "stop",
        {
            "rows": 1000,
            "unique_rows": 315,
            "unique_share": 0.315,
            "threshold": 0.05,
            "quasi_identifiers": ["occurred_month", "occurred_hour"],
        },
    )
    assert "stop" in message and "31.5%" in message and "5.0%" in message
    assert "DISCLOSURE_MAX_UNIQUE_SHARE" in message and "PUBLISH_HOUR_TABLES" in message


def test_a_treatment_publishes_person_rows_only_when_chosen() -> None:
    officer = RECORD_TYPES["force_officer"]
    assert not Treatment().publishes_rows(officer)
    assert Treatment(person_rows=frozenset({"force_officer"})).publishes_rows(officer)
    assert Treatment().publishes_rows(RECORD_TYPES["stop"])

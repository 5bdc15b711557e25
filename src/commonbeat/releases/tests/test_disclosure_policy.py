"""The disclosure policy holds at publication: the demo's release passes it with its figures in
the manifest, and the planted re-identifications of issue 12 are refused or not published.

The demo store holds the seed-1 city's 60,000 stops, 651 force subjects, 1,004 force officers
and 469 complainants (conftest.py's demo_store).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import override_settings

from commonbeat.records.privacy import Treatment
from commonbeat.records.store import RecordStore
from commonbeat.releases import services
from commonbeat.releases.publish import PublishError, publish

# Publication records the audit log's head, read from the database.
pytestmark = pytest.mark.django_db

PERSON_TABLES = ("force_subject", "force_officer", "complainant")


def manifest(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def demo_release(
    demo_store: RecordStore,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: Any,
) -> dict[str, Any]:
    """The demo store published under the default policy (without the equity reports).

    Publication reads the audit log's head, so the module's one release is made with the
    database open."""
    with django_db_blocker.unblock():
        summary = publish(demo_store, tmp_path_factory.mktemp("releases"), equity=False)
    return {"path": summary.path, "manifest": manifest(summary.path)}


def test_the_demo_release_passes_the_default_policy(demo_release: dict[str, Any]) -> None:
    stop = demo_release["manifest"]["tables"]["stop"]["disclosure"]
    assert stop["about_people"] and stop["passed"] is True
    assert stop["threshold"] == 0.05
    assert stop["rows"] == 60_000
    # Measured: 1,763 of 60,000 stops (2.9%) are unique on month, neighbourhood point, age
    # range, gender and race, against 59,984 unique on month, hour, 250 m cell, age, gender
    # and race before.
    assert stop["unique_share"] <= 0.05
    assert stop["unique_share"] == round(stop["unique_rows"] / 60_000, 4)
    assert stop["smallest_group"] >= 1
    assert {"occurred_month", "subject_age_range", "subject_gender", "subject_race"} <= set(
        stop["quasi_identifiers"]
    )
    privacy = demo_release["manifest"]["privacy"]
    assert privacy["max_unique_share"] == 0.05
    assert privacy["hour_tables"] == [] and privacy["person_rows"] == []


def test_every_row_level_table_has_its_figures_and_count_tables_none(
    demo_release: dict[str, Any],
) -> None:
    tables = demo_release["manifest"]["tables"]
    for name, table in tables.items():
        if table["kind"] == "records":
            assert set(table["disclosure"]) >= {
                "quasi_identifiers",
                "rows",
                "unique_rows",
                "unique_share",
                "smallest_group",
                "threshold",
                "passed",
            }, name
        else:
            assert "disclosure" not in table, name


def test_people_force_was_used_on_officers_and_complainants_are_counts_only(
    demo_release: dict[str, Any],
) -> None:
    tables = demo_release["manifest"]["tables"]
    for name in PERSON_TABLES:
        assert name not in tables
        assert not (demo_release["path"] / "data" / f"{name}.csv").exists()
        assert f"{name}_counts" in tables
    with (demo_release["path"] / "data" / "force_officer_counts.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert "years_of_service" not in rows[0] and "years_of_service_band" in rows[0]
    assert {r["years_of_service_band"] for r in rows} <= {
        "0-2",
        "3-5",
        "6-10",
        "11-20",
        "over 20",
        "unknown",
    }
    assert all(r["records"] == "" or int(r["records"]) >= 10 for r in rows)


def test_force_incidents_carry_their_people_as_counts(
    demo_release: dict[str, Any], demo_store: RecordStore
) -> None:
    con = duckdb.connect()
    parquet = demo_release["path"] / "data" / "force_incident.parquet"
    found = con.execute(
        f"SELECT sum(subjects), sum(officers) FROM read_parquet('{parquet}')"  # noqa: S608  a path of ours
    ).fetchone()
    store = demo_store.connect()
    try:
        expected = store.execute(
            "SELECT (SELECT count(*) FROM force_subject), (SELECT count(*) FROM force_officer)"
        ).fetchone()
    finally:
        store.close()
    assert found == expected


def test_stops_published_with_the_hour_are_refused(demo_store: RecordStore, tmp_path: Path) -> None:
    # The planted finding: month, hour and place made nearly every stop unique.
    with pytest.raises(PublishError) as caught:
        publish(
            demo_store,
            tmp_path,
            equity=False,
            treatment=Treatment(hour_tables=frozenset({"stop"})),
        )
    message = str(caught.value)
    assert message.startswith("Table stop was not published")
    assert "occurred_hour" in message and "5.0%" in message
    assert "PUBLISH_HOUR_TABLES" in message
    assert [p for p in tmp_path.iterdir() if not p.name.startswith(".")] == []
    assert not any(tmp_path.iterdir())  # the staging folder is gone too


@pytest.mark.parametrize("table", ["force_officer", "force_subject", "complainant"])
def test_person_rows_an_operator_opts_into_are_still_held_to_the_threshold(
    demo_store: RecordStore, tmp_path: Path, table: str
) -> None:
    # Force officers: gender, race, rank and service beside the incident's month and place
    # single out nearly every officer, even with service in bands (the planted finding gave
    # service to 0.1 year: 725 of 1,004 rows matched one officer of the roster).
    treatment = Treatment(person_rows=frozenset({table}))
    with pytest.raises(PublishError, match=f"Table {table} was not published"):
        publish(demo_store, tmp_path, equity=False, treatment=treatment)
    summary = publish(demo_store, tmp_path, equity=False, treatment=treatment, max_unique_share=1.0)
    figures = manifest(summary.path)["tables"][table]["disclosure"]
    assert figures["unique_share"] > 0.5 and figures["passed"] is True
    # A child table is measured with its parent's published month and place joined on.
    if table.startswith("force_"):
        assert "occurred_month" in figures["quasi_identifiers"]


def test_no_stop_row_is_unique_beyond_the_threshold_inside_a_suppressed_count_cell(
    demo_release: dict[str, Any],
) -> None:
    # stop_counts withholds cells under 10; the rows of those cells are in stop.csv (as on
    # data.police.uk, rows and counts of them are both public). What the policy bounds is how
    # many of those rows stand alone on what someone could know of the person stopped.
    data = demo_release["path"] / "data"
    stop = demo_release["manifest"]["tables"]["stop"]["disclosure"]
    keys = ", ".join(stop["quasi_identifiers"])
    con = duckdb.connect()
    for view, name in (("stop", "stop"), ("counts", "stop_counts")):
        path = data / f"{name}.parquet"
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{path}')")  # noqa: S608  paths of ours
    found = con.execute(
        f"""WITH groups AS (SELECT {keys}, count(*) OVER (PARTITION BY {keys}) AS k,
                   agency AS a, coalesce(neighbourhood, 'unknown') AS n, occurred_month AS m,
                   coalesce(subject_race, 'unknown') AS r,
                   coalesce(CAST(search_conducted AS VARCHAR), 'unknown') AS s,
                   coalesce(outcome, 'unknown') AS o FROM stop)
            SELECT count(*), count(*) FILTER (WHERE k = 1) FROM groups g JOIN counts c
            ON c.agency = g.a AND c.neighbourhood = g.n AND c.occurred_month = g.m
            AND c.subject_race = g.r AND c.search_conducted = g.s AND c.outcome = g.o
            WHERE c.suppressed"""  # noqa: S608  names from the manifest
    ).fetchone()
    assert found is not None
    in_suppressed, unique = found
    assert in_suppressed > 0
    assert unique / stop["rows"] <= stop["threshold"]


@pytest.mark.django_db
def test_the_settings_decide_the_treatment_and_unknown_names_are_refused() -> None:
    with override_settings(
        PUBLISH_HOUR_TABLES=["crime"],
        PUBLISH_PERSON_ROWS=["force_officer"],
        PUBLISH_PERSON_GRID_METRES=2000,
    ):
        treatment = services.treatment(250.0)
    assert treatment.hour_tables == {"crime"}
    assert treatment.person_rows == {"force_officer"}
    assert treatment.person_grid_metres == 2000.0
    with (
        override_settings(PUBLISH_PERSON_ROWS=["force_officers"]),
        pytest.raises(PublishError, match="PUBLISH_PERSON_ROWS names force_officers"),
    ):
        services.treatment(250.0)


@pytest.mark.django_db
def test_publish_release_applies_the_threshold_setting(
    demo_store: RecordStore, tmp_path: Path
) -> None:
    with (
        override_settings(DISCLOSURE_MAX_UNIQUE_SHARE=0.01),
        pytest.raises(PublishError, match=r"above the threshold of 1\.0%"),
    ):
        services.publish_release(store=demo_store, releases_dir=tmp_path, equity=False)

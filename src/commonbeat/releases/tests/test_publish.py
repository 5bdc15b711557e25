from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import frictionless
import pytest
from django.core.management import call_command
from django.test import override_settings

from commonbeat.core.models import Agency
from commonbeat.records.engine import ImportReport
from commonbeat.records.mapping import all_mappings
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER
from commonbeat.records.zones import agency_time_zones
from commonbeat.releases.publish import PublishError, publish, releases, verify_release
from commonbeat.testing.records import standard_csv

PRIVATE = {
    f.name
    for rt in RECORD_TYPES.values()
    for f in rt.fields
    if f.private and f.privacy != "location"
}


@pytest.fixture
def loaded(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> RecordStore:
    month = tmp_path / "2019-01-city-of-london-stop-and-search.csv"
    stops = [
        GOOD.replace("14:30", f"14:{m:02d}").replace("51.51,", f"51.51{m % 3},") for m in range(12)
    ]
    month.write_text("\n".join([HEADER, *stops]) + "\n", encoding="utf-8")
    complaints = standard_csv(
        tmp_path / "complaints.csv",
        "complaint",
        [
            {
                "record_id": "C1",
                "agency": "force",
                "received_date": "2024-03-05",
                "closed_date": "2024-06-01",
                "category": "force",
                "location": "12 Private Lane",
                "narrative": "Secret narrative text",
            },
            {
                "record_id": "C2",
                "agency": "force",
                "received_date": "2024-03-09",
                "category": "courtesy",
            },
        ],
    )
    allegations = standard_csv(
        tmp_path / "allegations.csv",
        "allegation",
        [
            {
                "record_id": "A1",
                "parent_id": "C1",
                "agency": "force",
                "officer_id": "OFFICER-4471",
                "category": "force",
                "final_finding": "sustained",
            }
        ],
    )
    complainants = standard_csv(
        tmp_path / "complainants.csv",
        "complainant",
        [
            {
                "record_id": f"P{i}",
                "parent_id": "C1",
                "agency": "force",
                "complainant_age": "34",
                "complainant_gender": "female",
                "complainant_race": "black",
            }
            for i in range(3)
        ],
    )
    report = run_import(month, complaints, allegations, complainants)
    assert report.ok, report.as_dict()
    return record_store


def test_a_release_has_public_columns_only(loaded: RecordStore, tmp_path: Path) -> None:
    summary = publish(loaded, tmp_path / "releases", min_count=5)
    assert summary.tables["stop"] == 12
    text = ""
    for path in (summary.path / "data").iterdir():
        if path.suffix == ".csv":
            content = path.read_text(encoding="utf-8")
            header = content.splitlines()[0].split(",")
            assert PRIVATE.isdisjoint(header), (path.name, PRIVATE & set(header))
            text += content
    for secret in ("OFFICER-4471", "Secret narrative", "12 Private Lane", "2024-03-05", "14:05"):
        assert secret not in text
    assert "2024-03" in text  # dates are published as months


def test_locations_are_snapped_to_grid_cell_centres(loaded: RecordStore, tmp_path: Path) -> None:
    summary = publish(loaded, tmp_path / "releases", grid_metres=250)
    with (summary.path / "data" / "stop.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    points = {(r["latitude"], r["longitude"]) for r in rows}
    raw_points = {("51.510", "-0.09"), ("51.511", "-0.09"), ("51.512", "-0.09")}
    assert points.isdisjoint(raw_points)
    # Stops are rows about people: outside any neighbourhood they fall to the coarser grid
    # (PUBLISH_PERSON_GRID_METRES, 1000 m), where three points 100 m apart share at most two.
    assert len(points) <= 2
    step = 1000 / 111_320
    for lat, _ in points:
        assert abs((float(lat) / step) % 1 - 0.5) < 1e-3


def test_small_aggregate_cells_are_suppressed(loaded: RecordStore, tmp_path: Path) -> None:
    summary = publish(loaded, tmp_path / "releases", min_count=5)
    with (summary.path / "data" / "complaint_counts.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(r["records"] == "" and r["suppressed"] == "true" for r in rows)
    with (summary.path / "data" / "stop_counts.csv").open(encoding="utf-8") as stream:
        stop_rows = list(csv.DictReader(stream))
    assert [r["records"] for r in stop_rows] == ["12"]


def test_the_release_validates_as_a_frictionless_data_package(
    loaded: RecordStore, tmp_path: Path
) -> None:
    summary = publish(loaded, tmp_path / "releases", licences={"force": "CC-BY-4.0"})
    report = frictionless.validate(str(summary.path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((summary.path / "datapackage.json").read_text())
    assert {lic["name"] for lic in package["licenses"]} == {"CC-BY-4.0", "OGL-UK-3.0"}
    assert all(lic["title"] and lic["path"].startswith("https://") for lic in package["licenses"])
    resources = {r["name"]: r for r in package["resources"]}
    # The UK extract's rows are under the OGL; the agency's own complaints under its licence.
    assert [lic["name"] for lic in resources["stop"]["licenses"]] == ["OGL-UK-3.0"]
    assert resources["complaint"]["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    assert [lic["name"] for lic in resources["complaint-counts"]["licenses"]] == ["CC-BY-4.0"]


def test_an_agency_without_a_licence_is_named_as_not_stated_and_still_validates(
    loaded: RecordStore, tmp_path: Path
) -> None:
    summary = publish(loaded, tmp_path / "releases")
    report = frictionless.validate(str(summary.path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    manifest = json.loads((summary.path / "manifest.json").read_text())
    (licence,) = manifest["tables"]["complaint"]["licences"]
    assert licence["name"] == "LicenseRef-force-not-set"
    assert "commonbeat agency force --licence" in licence["title"]
    assert "path" not in licence


def test_unknown_licence_text_from_a_source_is_carried_as_its_title() -> None:
    from commonbeat.core.licences import resolve

    found = resolve("public record (NYC CCRB); no licence stated")
    assert found.title == "public record (NYC CCRB); no licence stated"
    assert found.id.startswith("LicenseRef-") and not found.known
    assert resolve("ODC-By 1.0").id == "ODC-By-1.0"
    assert resolve("OGL-3.0").url.startswith("https://www.nationalarchives.gov.uk/")


def test_the_manifest_lists_rows_and_checksums_and_catches_tampering(
    loaded: RecordStore, tmp_path: Path
) -> None:
    summary = publish(loaded, tmp_path / "releases")
    manifest = json.loads((summary.path / "manifest.json").read_text())
    assert manifest["version"] == summary.version
    assert manifest["schema_version"]
    assert manifest["tables"]["stop"]["rows"] == 12
    assert {s["licence"] for s in manifest["sources"]} >= {"OGL-3.0"}
    assert verify_release(summary.path) == []
    target = summary.path / "data" / "stop.csv"
    os.chmod(target, 0o644)
    target.write_text(target.read_text().replace("person_search", "vehicle_search"))
    assert verify_release(summary.path) == ["data/stop.csv"]


def test_releases_are_immutable_and_versioned(loaded: RecordStore, tmp_path: Path) -> None:
    first = publish(loaded, tmp_path / "releases")
    second = publish(loaded, tmp_path / "releases")
    assert first.version != second.version
    assert [m["version"] for m in releases(tmp_path / "releases")] == [
        second.version,
        first.version,
    ]
    assert all(not os.access(p, os.W_OK) or os.geteuid() == 0 for p in first.path.rglob("*.csv"))
    assert oct((first.path / "data" / "stop.csv").stat().st_mode & 0o777) == "0o444"
    with pytest.raises(PublishError, match="already exists"):
        publish(loaded, tmp_path / "releases", version=first.version)


def test_an_empty_store_has_nothing_to_publish(record_store: RecordStore, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="store is empty"):
        publish(record_store, tmp_path / "releases")


def test_complainants_are_published_only_as_suppressed_counts(
    loaded: RecordStore, tmp_path: Path
) -> None:
    summary = publish(loaded, tmp_path / "releases", min_count=5)
    assert not (summary.path / "data" / "complainant.csv").exists()
    assert "complainant" not in summary.tables
    with (summary.path / "data" / "complainant_counts.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows == [
        {
            "agency": "force",
            "complainant_race": "black",
            "complainant_gender": "female",
            "records": "",
            "suppressed": "true",
        }
    ]


# Time zones -------------------------------------------------------------------------------


def test_the_manifest_records_each_agency_time_zone_and_where_it_came_from(
    loaded: RecordStore, tmp_path: Path
) -> None:
    summary = publish(loaded, tmp_path / "releases")
    manifest = json.loads((summary.path / "manifest.json").read_text())
    agencies = manifest["agencies"]
    assert summary.agencies == agencies
    # The UK extract's mapping declares London time; the standard CSVs say nothing.
    assert agencies["city-of-london"] == {
        "mappings": ["uk_stop_search"],
        "time_zone": "Europe/London",
        "time_zone_from": "source",
    }
    # Not known, and not assumed: no zone is written, and the note says how to set it.
    assert "time_zone" not in agencies["force"]
    assert agencies["force"]["time_zone_from"] == "unknown"
    assert "No time zone is known" in agencies["force"]["note"]
    assert "commonbeat agency force --time-zone" in agencies["force"]["note"]
    assert agencies["force"]["mappings"] == [
        "standard_allegation",
        "standard_complainant",
        "standard_complaint",
    ]


def test_an_agency_own_time_zone_wins_over_its_sources(loaded: RecordStore, tmp_path: Path) -> None:
    summary = publish(
        loaded,
        tmp_path / "releases",
        time_zones={"force": "America/Chicago", "city-of-london": "Europe/Dublin", "x": "UTC"},
    )
    zones = {slug: (e["time_zone"], e["time_zone_from"]) for slug, e in summary.agencies.items()}
    # Agencies without records in the release are not listed.
    assert zones == {
        "city-of-london": ("Europe/Dublin", "agency"),
        "force": ("America/Chicago", "agency"),
    }


def test_a_time_zone_that_is_not_an_iana_name_is_refused(
    loaded: RecordStore, tmp_path: Path
) -> None:
    with pytest.raises(PublishError, match="Mars/Olympus_Mons"):
        publish(loaded, tmp_path / "releases", time_zones={"force": "Mars/Olympus_Mons"})
    assert not any((tmp_path / "releases").glob("2*"))


def test_sources_that_disagree_on_the_zone_leave_it_unknown_with_a_note() -> None:
    agencies = agency_time_zones({"both": {"uk_stop_search", "seattle_terry_stops"}}, {})
    assert "time_zone" not in agencies["both"]
    assert agencies["both"]["time_zone_from"] == "unknown"
    assert "America/Los_Angeles, Europe/London" in agencies["both"]["note"]
    assert "commonbeat agency both --time-zone" in agencies["both"]["note"]


def test_every_declared_mapping_time_zone_is_a_real_zone() -> None:
    declared = {m.name: m.time_zone for m in all_mappings().values() if m.time_zone}
    assert declared["dispatch_911_calls"] == "America/New_York"
    assert declared["chicago_trr_main"] == "America/Chicago"
    for name, zone in declared.items():
        assert ZoneInfo(zone).key == zone, name


def test_the_publish_command_takes_time_zones_from_the_agencies(
    loaded: RecordStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Agency.objects.create(slug="force", name="The Force", time_zone="America/Denver")
    with override_settings(RECORD_STORE_DIR=loaded.root, RELEASES_DIR=tmp_path / "out"):
        call_command("publish")
    out = capsys.readouterr().out
    assert "force" in out and "America/Denver" in out
    (manifest,) = releases(tmp_path / "out")
    assert manifest["agencies"]["force"]["time_zone"] == "America/Denver"
    assert manifest["agencies"]["city-of-london"]["time_zone"] == "Europe/London"


def test_publish_says_which_agencies_have_no_time_zone_and_how_to_set_it(
    loaded: RecordStore, tmp_path: Path
) -> None:
    from commonbeat.insights.release import describe
    from commonbeat.releases.services import time_zone_lines

    summary = publish(loaded, tmp_path / "releases", equity=False)
    lines = time_zone_lines(summary)
    assert "  force                    time zone NOT KNOWN: clock-time analyses skipped" in lines
    assert any("commonbeat agency force --time-zone" in line for line in lines)
    assert any("Europe/London (its sources)" in line for line in lines)
    section = {
        "force": {
            "stops": 12,
            "analyses": ["veil_of_darkness", "outcome"],
            "applicable": ["outcome"],
            "path": "equity/force.json",
            "time_zone": None,
            "refused": {"veil_of_darkness": "No time zone is known for force"},
        }
    }
    (headline, skipped) = describe(section)
    assert "1 of 2 analyses applicable" in headline
    assert skipped.startswith("    SKIPPED for force: no time zone is known")
    assert "veil_of_darkness" in skipped and "commonbeat agency force --time-zone" in skipped

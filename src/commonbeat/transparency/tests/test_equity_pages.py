"""The equity analyses on the public side: the page, its twins, the stops dashboard's headlines,
and the equity files of a release (listed, checksummed, and holding aggregate figures only)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation
from django.utils.html import escape

from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.insights.equity import Report
from commonbeat.records.privacy import PRIVATE_NAMES
from commonbeat.records.sources import file_sha256
from commonbeat.releases.cache import Release, forget_releases
from commonbeat.releases.publish import verify_release
from commonbeat.testing.personas import PERSONAS
from commonbeat.transparency.dashboards.equity import CSV_HEADER
from commonbeat.transparency.reports import equity_agencies, equity_report

PAGE = f"/dashboards/{AGENCY_SLUG}/stops/equity/"
JSON = f"/dashboards/{AGENCY_SLUG}/stops/equity.json"
CSV = f"/dashboards/{AGENCY_SLUG}/stops/equity.csv"
# Real agencies with stops, and the folder of ../shared/data their stops come from.
REAL_STOP_AGENCIES = ("metropolitan", "city-of-london", "nypd", "seattle-pd")


def report_of(release: Release, agency: str = AGENCY_SLUG) -> Report:
    report = equity_report(release, agency)
    assert report is not None, equity_agencies(release)
    return report


def get_json(path: str, **params: str) -> dict[str, Any]:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content[:500]
    data: dict[str, Any] = response.json()
    return data


def keys_outside_coverage(value: Any, parent: str = "") -> set[str]:
    """Every key in a JSON document, except the field names of coverage blocks."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if parent != "coverage":
                found.add(key)
            found |= keys_outside_coverage(item, key)
    elif isinstance(value, list):
        for item in value:
            found |= keys_outside_coverage(item, parent)
    return found


# The release's equity files ---------------------------------------------------------------


def test_the_release_carries_an_equity_report_for_the_agency_with_stops(
    published: Release,
) -> None:
    assert equity_agencies(published) == [AGENCY_SLUG]
    report = report_of(published)
    assert report.dataset["rows"] == published.value("SELECT count(*) FROM stop")
    assert report.min_count == published.manifest["privacy"]["min_count"]
    assert report.generated == published.manifest["created"]
    analyses = [r.analysis for r in report.results]
    assert {"benchmark", "outcome", "force", "sustained"} <= set(analyses)
    assert equity_report(published, "nowhere-pd") is None


def test_the_manifest_lists_each_equity_file_with_its_size_and_checksum(
    published: Release, client: Client
) -> None:
    entries = published.manifest["equity"]
    assert set(entries) == {AGENCY_SLUG}
    for agency, entry in entries.items():
        assert entry["path"] == f"equity/{agency}.json"
        path = published.path / entry["path"]
        assert entry["sha256"] == file_sha256(path)
        assert entry["bytes"] == path.stat().st_size
    assert verify_release(published.path) == []
    # The release page lists it, its CSV twin (what `sha256sum -c` reads) gives its checksum,
    # and the file is served with the checksum as its ETag.
    entry = entries[AGENCY_SLUG]
    url = f"/data/releases/{published.version}/files/{entry['path']}"
    page = client.get(f"/data/releases/{published.version}/").content.decode()
    assert f'href="{url}"' in page and entry["sha256"] in page
    sums = list(
        csv.DictReader(
            io.StringIO(client.get(f"/data/releases/{published.version}.csv").content.decode())
        )
    )
    listed = [row for row in sums if row["table"] == "equity"]
    assert [(r["sha256"], r["bytes"]) for r in listed] == [(entry["sha256"], str(entry["bytes"]))]
    assert listed[0]["file"] == f"commonbeat-{published.version}-equity-{AGENCY_SLUG}.json"
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{entry["sha256"]}"'
    # A file response: the test client's type does not know its streaming_content.
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert json.loads(body) == report_of(published).to_dict()
    data = get_json(f"/data/releases/{published.version}.json")
    assert data["links"]["equity"] == {AGENCY_SLUG: url}


def test_a_changed_equity_file_fails_verification(published: Release, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "release"
    shutil.copytree(published.path, copy)
    target = copy / published.manifest["equity"][AGENCY_SLUG]["path"]
    target.chmod(0o644)
    target.write_text(target.read_text().replace('"sample_size": ', '"sample_size": 1'))
    assert verify_release(copy) == [f"equity/{AGENCY_SLUG}.json"]


def test_the_equity_file_holds_no_private_field_and_no_record_or_officer(
    published: Release,
) -> None:
    text = (published.path / published.manifest["equity"][AGENCY_SLUG]["path"]).read_text()
    data = json.loads(text)
    assert keys_outside_coverage(data) & PRIVATE_NAMES == set()
    assert not re.search(r"RPD-\d", text), "an officer's identifier"
    assert not re.search(r"\b(S|UF|CP|C)2025-\d", text), "a record's identifier"
    assert not re.search(r"-93\.\d{3,}", text), "a longitude"
    # Every figure is an aggregate: each table row is a group (race, area, ...), never a record.
    for result in data["results"]:
        for table in result["tables"]:
            assert len(table["rows"]) < 500, (result["analysis"], table["key"])


def test_cells_under_the_release_minimum_are_withheld_and_marked(published: Release) -> None:
    report = report_of(published)
    marked = [
        row
        for result in report.results
        for table in result.tables
        for row in table.rows
        if row.get("suppressed")
    ]
    assert marked, "the small city has groups under the minimum count"
    assert sum(r.suppressed for r in report.results) >= len(marked)
    html = Client().get(PAGE).content.decode()
    assert 'class="withheld"' in html


# The page and its twins -------------------------------------------------------------------


def test_the_equity_page_shows_every_analysis_with_its_parts(published: Release) -> None:
    report = report_of(published)
    response = Client().get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for result in report.results:
        anchor = f'id="analysis-{result.analysis.replace("_", "-")}"'
        assert anchor in html, result.analysis
        assert escape(result.title.msgid) in html
        if not result.applicable:
            assert "Not applicable to these records:" in html
        if result.decisions:
            assert f'id="analysis-{result.analysis.replace("_", "-")}-decisions"' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "(95% interval)" in html  # intervals shown beside their estimates
    assert f'href="{JSON}"' in html and f'href="{CSV}"' in html
    assert f'href="/data/releases/{published.version}/files/equity/{AGENCY_SLUG}.json"' in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_may_see_the_equity_page_and_its_twins(
    published: Release, client_as: Any, persona: str
) -> None:
    client = client_as(persona)
    for url in (PAGE, JSON, CSV, f"/es{PAGE}"):
        assert client.get(url).status_code == 200, url


def test_the_json_twin_holds_the_report_with_sentences_in_the_readers_language(
    published: Release,
) -> None:
    report = report_of(published)
    data = get_json(JSON)
    assert data["release"] == published.version
    assert data["agency"]["slug"] == AGENCY_SLUG
    assert data["file"].endswith(f"/files/equity/{AGENCY_SLUG}.json")
    assert [r["analysis"] for r in data["results"]] == [r.analysis for r in report.results]
    benchmark = next(r for r in data["results"] if r["analysis"] == "benchmark")
    assert isinstance(benchmark["title"], str) and isinstance(benchmark["summary"][0], str)
    assert benchmark["tables"][0]["rows"] == report.result("benchmark").tables[0].to_dict()["rows"]
    spanish = Client().get(f"/es{JSON}").json()
    with translation.override("es"):
        black = translation.gettext("Black")
    sentences = " ".join(s for r in spanish["results"] for s in r["summary"])
    assert black != "Black" and black in sentences
    assert keys_outside_coverage(data) & PRIVATE_NAMES == set()


def test_the_csv_twin_is_one_long_table_of_every_result_table(published: Release) -> None:
    report = report_of(published)
    response = Client().get(CSV)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == CSV_HEADER
    for result in report.results:
        for table in result.tables:
            measures = [c.key for c in table.columns if c.kind != "text"]
            found = [
                r for r in rows if r["analysis"] == result.analysis and r["table"] == table.key
            ]
            assert len(found) == len(table.rows) * len(measures), (result.analysis, table.key)
        size = [
            r for r in rows if r["analysis"] == result.analysis and r["measure"] == "sample_size"
        ]
        assert [int(r["value"]) for r in size] == [result.sample_size]
    benchmark = report.result("benchmark")
    assert benchmark is not None
    by_race = {row["race"]: row["stops"] for row in benchmark.tables[0].rows}
    from_csv = {
        r["key"]: int(r["value"]) if r["value"] else None
        for r in rows
        if r["analysis"] == "benchmark"
        and r["table"] == benchmark.tables[0].key
        and r["measure"] == "stops"
    }
    assert from_csv == by_race
    # A row flagged as withheld has its withheld figures empty (its other figures may stand).
    withheld: dict[tuple[str, ...], list[str]] = {}
    for r in rows:
        if r["suppressed"] == "true":
            withheld.setdefault((r["analysis"], r["table"], r["key"]), []).append(r["value"])
    assert withheld and all("" in values for values in withheld.values())


def test_one_analysis_can_be_asked_for(published: Release) -> None:
    data = get_json(JSON, analysis="outcome")
    assert [r["analysis"] for r in data["results"]] == ["outcome"]
    html = Client().get(PAGE, {"analysis": "outcome"}).content.decode()
    assert 'id="analysis-outcome"' in html and 'id="analysis-benchmark"' not in html
    assert f'href="{PAGE}?analysis=benchmark"' in html  # the others stay one click away


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("analysis", "astrology"),
        ("neighbourhood", "lakeview"),
        ("from", "2025-03"),
        ("to", "2025-06"),
    ],
)
def test_a_bad_filter_is_refused_with_400_naming_the_parameter(
    published: Release, parameter: str, value: str
) -> None:
    client = Client()
    response = client.get(JSON, {parameter: value})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["error"]
    response = client.get(CSV, {parameter: value})
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{parameter}:")
    page = client.get(PAGE, {parameter: value})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'role="alert"' in html and parameter in html
    assert 'class="equity-result"' not in html


def test_an_agency_without_an_equity_report_is_not_found(published: Release) -> None:
    assert Client().get("/dashboards/nowhere-pd/stops/equity/").status_code == 404
    assert Client().get("/dashboards/nowhere-pd/stops/equity.json").status_code == 404


def test_without_a_release_the_equity_page_says_so_politely(db: None, tmp_path: Path) -> None:
    with override_settings(RELEASES_DIR=tmp_path / "releases", RELEASE_CACHE_DIR=tmp_path / "c"):
        forget_releases()
        try:
            client = Client()
            page = client.get(PAGE)
            assert page.status_code == 200 and 'id="no-release"' in page.content.decode()
            assert client.get(JSON).json()["release"] is None
        finally:
            forget_releases()


# The stops dashboard's headlines ----------------------------------------------------------


def test_the_stops_dashboard_gives_one_sentence_per_analysis_and_links_to_it(
    published: Release,
) -> None:
    report = report_of(published)
    html = Client().get(f"/dashboards/{AGENCY_SLUG}/stops/").content.decode()
    section = html[html.index('id="equity"') :]
    for result in report.results:
        anchor = f"{PAGE}#analysis-{result.analysis.replace('_', '-')}"
        assert f'href="{anchor}"' in section, result.analysis
    data = get_json(f"/dashboards/{AGENCY_SLUG}/stops.json")
    lines = data["equity"]["analyses"]
    assert [line["analysis"] for line in lines] == [r.analysis for r in report.results]
    benchmark = next(line for line in lines if line["analysis"] == "benchmark")
    # The headline is about the group compared (Black residents), with its interval.
    assert (
        benchmark["headline"].startswith("Black residents")
        and "95% interval" in benchmark["headline"]
    )
    assert data["equity"]["url"].endswith(PAGE)
    # Other dashboards have no equity section.
    assert "equity" not in get_json(f"/dashboards/{AGENCY_SLUG}/calls.json")


# Real data -------------------------------------------------------------------------------


def test_every_real_stop_agency_has_its_equity_page_and_twins(real_release: Release) -> None:
    assert set(REAL_STOP_AGENCIES) <= set(equity_agencies(real_release))
    client = Client()
    for agency in REAL_STOP_AGENCIES:
        for suffix in ("/", ".json", ".csv"):
            response = client.get(f"/dashboards/{agency}/stops/equity{suffix}")
            assert response.status_code == 200, (agency, suffix)
        data = client.get(f"/dashboards/{agency}/stops/equity.json").json()
        assert keys_outside_coverage(data) & PRIVATE_NAMES == set()
        assert data["dataset"]["rows"] > 0

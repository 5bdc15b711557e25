"""The open-data catalogue (/data/) and the page, twins and files of each release."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.test import Client, override_settings

from commonbeat.demo.city import CityPlan
from commonbeat.demo.records import FILES, generate_records
from commonbeat.records.engine import Importer
from commonbeat.records.store import RecordStore
from commonbeat.releases.cache import Release, all_releases, forget_releases
from commonbeat.releases.publish import publish
from commonbeat.testing.personas import PERSONAS

OLD, NEW = "2025-01-01.1", "2025-02-01.1"
OLD_NOTE = "Described as it was in January."
_BUILT: dict[str, Path] = {}


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def files_of(release: Release) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (table, format, manifest entry) for every data file of a release."""
    return [
        (name, fmt, entry)
        for name, table in release.manifest["tables"].items()
        for fmt, entry in table["files"].items()
    ]


def file_url(version: str, relative: str) -> str:
    return f"/data/releases/{version}/files/{relative}"


@pytest.fixture
def two_releases(
    db: None, small_plan: CityPlan, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Serve two small releases: January's with stops only, February's with everything."""
    if "two" not in _BUILT:
        root = tmp_path_factory.mktemp("two-releases")
        generated = generate_records(small_plan, root / "csv", scale=0.01)
        store = RecordStore(root / "store")
        stops = [p for p in generated.files if p.name == FILES["stop"]]
        assert Importer(store, rejects_dir=root / "rejects").run(stops).ok
        # Without equity reports: they cost seconds each (the threshold test) and these
        # releases are about files and catalogues (test_equity_pages.py covers the reports).
        # A hundredth of a year is 600 stops, 42% unique on their quasi-identifiers: the
        # disclosure policy is lifted explicitly, since these tests are about files.
        old = publish(store, root / "releases", version=OLD, equity=False, max_unique_share=1.0)
        assert Importer(store, rejects_dir=root / "rejects").run(generated.files).ok
        publish(store, root / "releases", version=NEW, equity=False, max_unique_share=1.0)
        # Schemas change between releases; January's release must keep describing its columns
        # as it did then. Stand in for such a change by editing its own dictionary.
        package_path = old.path / "datapackage.json"
        package = json.loads(package_path.read_text())
        package["resources"][0]["schema"]["fields"][0]["description"] = OLD_NOTE
        os.chmod(package_path, 0o644)
        package_path.write_text(json.dumps(package))
        os.chmod(package_path, 0o444)
        _BUILT["two"] = root
    root = _BUILT["two"]
    with override_settings(RELEASES_DIR=root / "releases", RELEASE_CACHE_DIR=root / "cache"):
        forget_releases()
        try:
            yield root / "releases"
        finally:
            forget_releases()


# Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_may_read_the_catalogue_and_releases_and_download_files(
    persona: str, published: Release, client_as: Callable[..., Client]
) -> None:
    client = client_as(persona)
    version = published.version
    for url in (
        "/data/",
        "/data.json",
        "/data.csv",
        f"/data/releases/{version}/",
        f"/data/releases/{version}.json",
        f"/data/releases/{version}.csv",
        "/es/data/",
        f"/es/data/releases/{version}/",
        file_url(version, "manifest.json"),
        file_url(version, published.manifest["tables"]["complaint"]["files"]["csv"]["path"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert client.get("/data/releases/latest/").status_code == 302


# The catalogue -----------------------------------------------------------------------------


def test_the_catalogue_lists_every_dataset_and_every_release(
    two_releases: Path, client: Client
) -> None:
    old, new = (json.loads((two_releases / v / "manifest.json").read_text()) for v in (OLD, NEW))
    data = client.get("/data.json").json()
    assert data["latest_release"] == NEW
    assert [r["version"] for r in data["releases"]] == [NEW, OLD]
    by_name = {d["name"]: d for d in data["datasets"]}
    assert set(by_name) == set(old["tables"]) | set(new["tables"])
    assert by_name["stop"]["releases"] == [NEW, OLD]
    assert by_name["call"]["releases"] == [NEW]
    assert "call" not in old["tables"]
    package = json.loads((two_releases / NEW / "datapackage.json").read_text())
    descriptions = {r["path"]: r["description"] for r in package["resources"]}
    for name, table in new["tables"].items():
        assert by_name[name]["kind"] == table["kind"]
        assert by_name[name]["latest_rows"] == table["rows"]
        assert by_name[name]["description"] == descriptions[table["files"]["csv"]["path"]]
    (listed_old,) = [r for r in data["releases"] if r["version"] == OLD]
    assert listed_old["privacy"] == old["privacy"]
    assert listed_old["rows"] == old["tables"]["stop"]["rows"]  # aggregates are not counted again
    assert listed_old["licences"] == old["licences"]
    assert all(lic["name"] and lic["title"] for lic in listed_old["licences"])

    page = client.get("/data/").content.decode()
    for version in (OLD, NEW):
        assert f'href="/data/releases/{version}/"' in page
    assert page.count("<h1") == 1 and "<caption" in page and 'scope="col"' in page


def test_the_catalogue_has_a_csv_of_its_datasets(two_releases: Path, client: Client) -> None:
    response = client.get("/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    new = json.loads((two_releases / NEW / "manifest.json").read_text())
    assert {r["name"] for r in rows} == set(new["tables"])
    stop = next(r for r in rows if r["name"] == "stop")
    assert stop["releases"].split() == [NEW, OLD]
    assert int(stop["latest_rows"]) == new["tables"]["stop"]["rows"]


def test_with_nothing_published_the_catalogue_says_so_politely(
    client: Client, db: None, tmp_path: Path
) -> None:
    with override_settings(RELEASES_DIR=tmp_path / "none", RELEASE_CACHE_DIR=tmp_path / "cache"):
        forget_releases()
        try:
            response = client.get("/data/")
            assert response.status_code == 200
            assert "Nothing has been published yet" in response.content.decode()
            assert client.get("/data.json").json() == {
                "latest_release": None,
                "datasets": [],
                "releases": [],
            }
            latest = client.get("/data/releases/latest/")
            assert latest.status_code == 302 and latest["Location"] == "/data/"
        finally:
            forget_releases()


def test_latest_leads_to_the_newest_release(two_releases: Path, client: Client) -> None:
    response = client.get("/data/releases/latest/")
    assert response.status_code == 302
    assert response["Location"] == f"/data/releases/{NEW}/"
    assert all_releases()[0].version == NEW


# The release page --------------------------------------------------------------------------


def test_the_release_page_shows_files_checksums_dictionary_and_rules(
    published: Release, client: Client
) -> None:
    response = client.get(f"/data/releases/{published.version}/")
    page = response.content.decode()
    manifest = published.manifest
    for name, fmt, entry in files_of(published):
        assert f'href="{file_url(published.version, entry["path"])}"' in page, (name, fmt)
        assert entry["sha256"] in page
        assert f">{entry['bytes']}<" in page
    package = json.loads(published.file("datapackage.json").read_text())
    for resource in package["resources"]:
        assert f'id="table-{resource["path"].split("/")[1].removesuffix(".csv")}"' in page
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in page
    assert f'href="{file_url(published.version, "manifest.json")}"' in page
    assert f'href="{file_url(published.version, "datapackage.json")}"' in page
    assert "sha256sum" in page
    assert f"{manifest['privacy']['grid_metres']:g} m grid" in page
    assert f"a count under {manifest['privacy']['min_count']} is withheld" in page
    for source in manifest["sources"]:
        assert source["licence"] in page
    assert page.count("<h1") == 1


def test_the_release_page_names_the_licence_of_every_table(
    published: Release, client: Client
) -> None:
    page = client.get(f"/data/releases/{published.version}/").content.decode()
    manifest = published.manifest
    # The demo city's agency sets its own licence; its records are the standard CSV format.
    assert manifest["tables"]["stop"]["licences"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    for table in manifest["tables"].values():
        assert table["licences"], table
        for lic in table["licences"]:
            assert f'<a href="{lic["path"]}" rel="license">{lic["title"]}</a>' in page
    assert "as declared by the publisher" not in page
    data = client.get(f"/data/releases/{published.version}.json").json()
    assert data["licences"] == manifest["licences"]


def test_the_api_docs_and_openapi_name_the_served_licence(
    published: Release, client: Client
) -> None:
    info = client.get("/api/openapi.json").json()["info"]
    assert info["license"] == {
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    page = client.get("/api/").content.decode()
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">'
        "Creative Commons Attribution 4.0 International</a>"
    ) in page
    assert f'href="/data/releases/{published.version}/"' in page


def test_the_release_json_is_its_manifest_with_its_data_dictionary(
    published: Release, client: Client
) -> None:
    data = client.get(f"/data/releases/{published.version}.json").json()
    dictionary = data.pop("dictionary")
    links = data.pop("links")
    assert data == published.manifest
    package = json.loads(published.file("datapackage.json").read_text())
    for resource in package["resources"]:
        name = resource["path"].split("/")[1].removesuffix(".csv")
        assert dictionary[name]["description"] == resource["description"]
        assert dictionary[name]["fields"] == resource["schema"]["fields"]
        assert dictionary[name]["primary_key"] == resource["schema"]["primaryKey"]
    assert links["files"]["stop"]["parquet"] == file_url(published.version, "data/stop.parquet")


def test_an_old_release_keeps_its_own_dictionary_and_points_to_the_latest(
    two_releases: Path, client: Client
) -> None:
    old = client.get(f"/data/releases/{OLD}/").content.decode()
    new = client.get(f"/data/releases/{NEW}/").content.decode()
    assert OLD_NOTE in old and OLD_NOTE not in new
    assert f'href="/data/releases/{NEW}/"' in old  # "the latest is ..."
    assert 'id="table-call"' in new and 'id="table-call"' not in old
    first = client.get(f"/data/releases/{OLD}.json").json()["dictionary"]
    assert next(iter(first.values()))["fields"][0]["description"] == OLD_NOTE


def test_an_unknown_release_is_not_found(published: Release, client: Client) -> None:
    for url in (
        "/data/releases/1999-01-01.1/",
        "/data/releases/1999-01-01.1.json",
        "/data/releases/1999-01-01.1/files/manifest.json",
    ):
        assert client.get(url).status_code == 404, url


# Downloads ---------------------------------------------------------------------------------


def test_a_download_is_the_published_file_and_matches_its_checksum(
    two_releases: Path, client: Client
) -> None:
    release = all_releases()[0]
    for name, fmt, entry in files_of(release):
        response = client.get(file_url(release.version, entry["path"]))
        assert response.status_code == 200
        content = body(response)
        assert content == (release.path / entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["bytes"]
        expected_type = "text/csv" if fmt == "csv" else "application/vnd.apache.parquet"
        assert response["Content-Type"].startswith(expected_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="commonbeat-{release.version}-{name}.{fmt}"'
        )
        assert response["ETag"] == f'"{entry["sha256"]}"'
        assert "immutable" in response["Cache-Control"]


def test_a_browser_holding_a_file_is_told_it_has_not_changed(
    two_releases: Path, client: Client
) -> None:
    release = all_releases()[0]
    url = file_url(release.version, "data/stop.parquet")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_the_manifest_and_data_package_open_as_json(two_releases: Path, client: Client) -> None:
    for name in ("manifest.json", "datapackage.json"):
        response = client.get(file_url(NEW, name))
        assert response["Content-Type"] == "application/json"
        assert not response["Content-Disposition"].startswith("attachment")
        assert json.loads(body(response)) == json.loads((two_releases / NEW / name).read_text())
        assert response["ETag"]


def test_the_release_csv_lists_every_file_with_a_checksum_that_holds(
    two_releases: Path, client: Client
) -> None:
    response = client.get(f"/data/releases/{NEW}.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    release = all_releases()[0]
    assert len(rows) == len(files_of(release))
    for row in rows:
        path = row["url"].removeprefix("http://testserver")
        downloaded = body(client.get(path))
        assert hashlib.sha256(downloaded).hexdigest() == row["sha256"]
        assert int(row["bytes"]) == len(downloaded)


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "../../../../../../etc/passwd",
        "store/catalog.json",
        "data/../manifest.json",
        "data/secret.csv",
        "data",
        "/etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_a_path_the_manifest_does_not_list_is_not_served(
    path: str, two_releases: Path, client: Client
) -> None:
    # A file that exists in the release folder is still refused when the manifest omits it.
    secret = two_releases / NEW / "data" / "secret.csv"
    if not secret.exists():
        secret.write_text("not for the public\n")
    response = client.get(f"/data/releases/{NEW}/files/{path}")
    assert response.status_code == 404
    assert b"not for the public" not in body(response)
    assert b"root:" not in body(response)


def test_a_release_served_here_validates_as_a_frictionless_data_package(
    two_releases: Path, client: Client, tmp_path: Path
) -> None:
    # Fetch the package and its CSVs through the site, as a user would, and validate those.
    package = json.loads(body(client.get(file_url(NEW, "datapackage.json"))))
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    for resource in package["resources"]:
        target = tmp_path / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body(client.get(file_url(NEW, resource["path"]))))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

"""The dashboards' and lists' CSV twins neutralise spreadsheet formulas from the records."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonbeat.records.engine import Importer
from commonbeat.records.store import RecordStore
from commonbeat.releases.cache import Release
from commonbeat.releases.publish import publish
from commonbeat.testing.records import standard_csv
from commonbeat.testing.releases import serving

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://x")'
AGENCY = "riverton-pd"


@pytest.fixture
def planted(city: object, tmp_path: Path) -> Iterator[Release]:
    """Serve a release whose crimes have categories that are spreadsheet formulas."""
    rows = [
        {
            "record_id": f"K{i}",
            "agency": AGENCY,
            "category": (CMD, LINK, "burglary")[i % 3],
            "occurred_date": f"2025-03-{1 + i % 28:02d}",
            "outcome": "charged",
            "cleared": "true" if i % 2 else "false",
        }
        for i in range(60)
    ]
    store = RecordStore(tmp_path / "store")
    report = Importer(store, rejects_dir=tmp_path / "rejects").run(
        [standard_csv(tmp_path / "crimes.csv", "crime", rows)]
    )
    assert report.ok, report.as_dict()
    publish(store, tmp_path / "releases", min_count=10)
    with serving(tmp_path) as release:
        yield release


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def _csv(path: str) -> list[dict[str, str]]:
    response = Client().get(path)
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_dashboard_csv_twin_neutralises_formula_categories(planted: Release) -> None:
    rows = _csv(f"/dashboards/{AGENCY}/crime.csv")
    values = {v for r in rows for v in r.values()}
    assert {"'" + CMD, "'" + LINK} <= values
    assert not [v for v in values if v.startswith(("=", "+", "@", "\t", "\r"))]
    # The JSON twin and the page carry the true category.
    data = Client().get(f"/dashboards/{AGENCY}/crime.json").json()
    (figure,) = [f for f in data["figures"] if f["id"] == "crimes-by-category"]
    assert {CMD, LINK} <= {r["category"] for r in figure["rows"]}


def test_the_release_files_list_and_the_downloaded_csv_are_neutralised(planted: Release) -> None:
    listed = _csv(f"/data/releases/{planted.version}.csv")
    assert listed and all(not v.startswith("=") for r in listed for v in r.values())
    (crime,) = [r for r in listed if r["table"] == "crime" and r["format"] == "csv"]
    response = Client().get(crime["url"].replace("http://testserver", ""))
    assert response.status_code == 200
    body = _body(response).decode()
    categories = {r["category"] for r in csv.DictReader(io.StringIO(body))}
    assert categories == {"'" + CMD, "'" + LINK, "burglary"}

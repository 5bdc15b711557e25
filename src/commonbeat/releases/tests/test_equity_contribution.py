"""The insights contribution to releases: publish() puts one equity report per agency into a
release, made with the release's minimum count, or none when asked not to, and refuses a report
that names a private field. The analyses are stand-ins (insights/tests/test_equity_report.py),
named by dotted path like the real ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from commonbeat.insights import equity
from commonbeat.insights.equity import Analysis, Report
from commonbeat.insights.results import Column, Result, Table, text
from commonbeat.insights.stops import Dataset
from commonbeat.insights.tests.test_equity_report import fake
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import PublishError, publish
from commonbeat.testing.analyses import registry_of
from commonbeat.testing.records import standard_csv


def leaks(con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int) -> Result:
    ids = [row[0] for row in con.execute("SELECT officer_id FROM stop LIMIT 3").fetchall()]
    table = Table(
        "officers",
        text("Stops per officer"),
        [Column("officer_id", text("Officer"), "text")],
        [{"officer_id": i} for i in ids],
    )
    return Result("leaks", text("Leaks"), text("A method"), tables=[table])


LEAKS = Analysis("leaks", f"{__name__}.leaks")


@pytest.fixture
def few_stops(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> RecordStore:
    """Thirty stops of one agency in the standard CSV format."""
    rows = [
        {
            "record_id": f"R{i}",
            "agency": "small-pd",
            "occurred_date": f"2025-0{1 + i % 3}-1{i % 10}",
            "occurred_time": "14:30:00",
            "latitude": "41.5",
            "longitude": "-93.6",
            "area": f"beat-{i % 2}",
            "stop_type": "vehicular",
            "subject_race": "black" if i % 2 else "white",
            "search_conducted": "true" if i % 4 == 0 else "false",
            "contraband_found": "true" if i % 8 == 0 else ("false" if i % 4 == 0 else ""),
            "officer_id": f"OFFICER-{i}",
        }
        for i in range(30)
    ]
    report = run_import(standard_csv(tmp_path / "stops.csv", "stop", rows))
    assert report.ok, report.as_dict()
    return record_store


def test_a_release_made_without_equity_carries_no_equity_files(
    few_stops: RecordStore, tmp_path: Path
) -> None:
    summary = publish(few_stops, tmp_path / "releases", equity=False)
    manifest = json.loads((summary.path / "manifest.json").read_text())
    assert manifest["equity"] == {} and summary.sections["equity"] == {}
    assert not (summary.path / "equity").exists()


def test_a_release_carries_each_agencys_report_made_with_its_minimum_count(
    few_stops: RecordStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(equity, "ANALYSES", registry_of(*fake("counts_stops", "compares")))
    summary = publish(few_stops, tmp_path / "releases", min_count=7)
    entry = summary.sections["equity"]["small-pd"]
    assert entry["path"] == "equity/small-pd.json" and entry["stops"] == 30
    assert entry["analyses"] == ["counts", "compares"] and entry["applicable"] == ["counts"]
    report = Report.from_dict(json.loads((summary.path / entry["path"]).read_text()))
    assert report.min_count == 7 and report.results[0].sample_size == 30


def test_publishing_refuses_a_report_that_names_a_private_field(
    few_stops: RecordStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(equity, "ANALYSES", registry_of(LEAKS))
    with pytest.raises(PublishError, match="officer_id"):
        publish(few_stops, tmp_path / "releases")
    assert not any((tmp_path / "releases").glob("2*")), "nothing was published"

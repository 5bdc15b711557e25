"""Release CSVs neutralise spreadsheet formulas; their Parquet twins keep the true values."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import duckdb

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import publish, verify_release
from commonbeat.testing.records import standard_csv

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://x")'


def test_release_csvs_are_neutralised_and_the_parquet_keeps_true_values(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    rows = [
        {
            "record_id": f"K{i}",
            "agency": "force",
            "category": (CMD, LINK, "burglary")[i % 3],
            "occurred_date": f"2024-03-{1 + i % 28:02d}",
            "outcome": "-" if i % 3 == 2 else "charged",
        }
        for i in range(36)
    ]
    report = run_import(standard_csv(tmp_path / "crimes.csv", "crime", rows))
    assert report.ok, report.as_dict()
    summary = publish(record_store, tmp_path / "releases", min_count=1)
    data = summary.path / "data"
    for table in ("crime", "crime_counts"):
        with (data / f"{table}.csv").open(encoding="utf-8") as stream:
            found = list(csv.DictReader(stream))
        categories = {r["category"] for r in found}
        assert categories == {"'" + CMD, "'" + LINK, "burglary"}, table
        for row in found:
            assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row.values())
        parquet = str(data / f"{table}.parquet")
        true = duckdb.sql(f"SELECT DISTINCT category FROM read_parquet('{parquet}')").fetchall()  # noqa: S608  fixed SQL and a test's own path
        assert {r[0] for r in true} == {CMD, LINK, "burglary"}, table
    # The checksums in the manifest are those of the neutralised files.
    assert verify_release(summary.path) == []

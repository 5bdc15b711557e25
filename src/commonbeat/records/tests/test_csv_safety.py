"""The rejects CSV and the standard CSV template neutralise spreadsheet formulas."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from commonbeat.records import standard_csv
from commonbeat.records.engine import ImportReport
from commonbeat.records.schema import Field, RecordType
from commonbeat.testing.records import standard_csv as write_standard_csv

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://x")'


def test_the_rejects_csv_neutralises_a_file_name_that_is_a_formula(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source = write_standard_csv(
        folder / "=SUM(1,2)+crimes.csv",
        "crime",
        [
            {"record_id": "K1", "agency": "force", "category": CMD, "occurred_date": "2024-03-05"},
            {"record_id": "K2", "agency": "force", "category": LINK, "occurred_date": "not a date"},
        ],
    )
    report = run_import(source, mapping="standard_crime")
    rejects = report.files[0].rejects_file
    assert rejects, report.as_dict()
    with open(rejects, encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["file"] for r in rows] == ["'=SUM(1,2)+crimes.csv"]
    assert all(not value.startswith(("=", "+", "@")) for r in rows for value in r.values())
    # The raw row is JSON (it starts with "{"), so its values stay as the source gave them.
    assert json.loads(rows[0]["raw"])["category"] == LINK


def test_the_standard_template_neutralises_its_header() -> None:
    record_type = RecordType(
        "evil",
        "Evil",
        "A record type with a formula for a column.",
        (Field("=1+1", "string", "x"),),
    )
    assert standard_csv.template(record_type) == "'=1+1\n"

"""Record files for the tests of records and the layers above: standard CSV written by hand."""

from __future__ import annotations

from pathlib import Path

from commonbeat.core import csvsafe
from commonbeat.records.schema import RECORD_TYPES


def standard_csv(path: Path, record_type: str, rows: list[dict[str, str]]) -> Path:
    """Write `rows` as a Commonbeat standard CSV of `record_type` (missing fields empty)."""
    names = [f.name for f in RECORD_TYPES[record_type].fields if f.name != "source"]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csvsafe.source_writer(stream)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(n, "") for n in names])
    return path

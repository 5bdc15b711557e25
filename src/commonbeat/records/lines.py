"""Where a rejected row is in its file: the line it starts on, as an editor counts (header = 1).

DuckDB numbers records, not lines, and skips blank lines; a value quoted across lines makes one
record of several lines. So a malformed line is located by its byte offset, and a row rejected for
its values by a CSV reader's count of the lines each record starts on (read only when some row
was rejected).
"""

from __future__ import annotations

import bisect
import csv
import gzip
from typing import Any

from commonbeat.records import csvread
from commonbeat.records.mapping import Mapping
from commonbeat.records.sources import InputFile


def physical_lines(source: InputFile, mapping: type[Mapping], offsets: list[int]) -> list[int]:
    """Return the line of the file (header = line 1) on which each byte offset falls."""
    wanted = sorted(set(offsets))
    lines: dict[int, int] = {}
    opener: Any = gzip.open if source.gzipped else open
    newlines = 0
    seen = 0
    index = 0
    with opener(source.path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            end = seen + len(block)
            while index < len(wanted) and wanted[index] < end:
                lines[wanted[index]] = newlines + block.count(b"\n", 0, wanted[index] - seen) + 1
                index += 1
            newlines += block.count(b"\n")
            seen = end
    return [lines.get(offset, newlines + 1) for offset in offsets]


def record_lines(source: InputFile, mapping: type[Mapping], count: int) -> list[int]:
    """Return the line on which each of the first `count` data records starts.

    Lines, not records: a quoted value may span lines, and blank lines (which the scan skips)
    still count, so the person opening the file in an editor lands on the record.
    """
    starts: list[int] = []
    encoding = mapping.csv.encoding
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    opener: Any = gzip.open if source.gzipped else open
    with opener(source.path, "rt", encoding=codec, errors="replace", newline="") as stream:
        reader = csv.reader(
            stream, delimiter=mapping.csv.delimiter, quotechar='"', doublequote=True
        )
        if mapping.csv.header:
            next(reader, None)
        consumed = reader.line_num
        try:
            for record in reader:
                if record:
                    starts.append(consumed + 1)
                    if len(starts) >= count:
                        break
                consumed = reader.line_num
        except csv.Error:
            pass  # the rest is numbered by position; DuckDB has named the broken line itself
    while len(starts) < count:
        starts.append((starts[-1] if starts else 1) + 1)
    return starts


def locate(
    source: InputFile,
    mapping: type[Mapping],
    bad_lines: list[tuple[Any, ...]],
    pending: list[list[Any]],
) -> list[list[Any]]:
    """Return every rejected row with the line of the file it starts on (header = line 1)."""
    if not bad_lines and not pending:
        return []
    rejects: list[list[Any]] = []
    bad_at = physical_lines(source, mapping, [int(b[0]) for b in bad_lines])
    needed = max([r[1] for r in pending], default=0) + len(bad_lines)
    starts = record_lines(source, mapping, needed)
    # Lines the scan could not parse are missing from its row numbering: each one's place
    # among the file's records says which parsed rows come after it.
    gaps = []
    for i, line in enumerate(sorted(bad_at), start=1):
        gaps.append(bisect.bisect_left(starts, line) + 1 - i)
    for line, (_offset, column, kind, text_line, message) in zip(bad_at, bad_lines, strict=True):
        problem = csvread.csv_problem(kind, column, message)
        rejects.append([source.name, line, "", problem, text_line.lstrip("\r\n")])
    for name, row, record_type, problems, raw_json in pending:
        record = row + _shift(gaps, row)
        rejects.append([name, starts[record - 1], record_type, problems, raw_json])
    return rejects


def _shift(gaps: list[int], row: int) -> int:
    # Rows DuckDB could not parse are missing from the numbering; add back those before `row`.
    return sum(1 for gap in gaps if gap < row)


__all__ = ["locate", "physical_lines", "record_lines"]

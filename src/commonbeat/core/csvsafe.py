"""Safe CSV: the one way Commonbeat writes a CSV file that a person may open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some treat a
leading tab or carriage return the same way (OWASP, "CSV Injection"). Text that reaches our
CSVs comes from sources we do not control (a crime category, a file name, a free-text field),
so every text cell that starts with one of those characters is written with a single quote in
front (`'=HYPERLINK(...)`), which a spreadsheet shows as text; the quote is visible to a
program reading the file, which is the price OWASP accepts for safety.

Decision: a cell that is a plain number (`-3.5`, `+12`, `-1e-3`) is kept as it is, because a
spreadsheet reads it as that number and nothing else, and prefixing it would turn every
negative figure into text. Numbers given as numbers (int, float, Decimal) are never touched.

Three ways in, one rule:
- `neutralise(value)` for one cell;
- `writer(stream)` / `write_rows(...)`: a `csv.writer` whose every cell goes through it
  (`source_writer` is the plain one, only for files made to be imported: the demo's exports);
- `sql_cell(expression)` / `safe_select(con, query)` for DuckDB's `COPY ... (FORMAT csv)`,
  so release CSVs are neutralised in the database while their Parquet twins keep true values.

A test (core/tests/test_csv_safety.py) scans the source and fails when a module writes CSV
with `csv.writer`, `csv.DictWriter` or a `COPY ... csv` without coming through here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

# The characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number a spreadsheet reads as a number: kept as written.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
# The same two rules in DuckDB's regular expressions (RE2), for sql_cell.
_SQL_FORMULA_START = r"^[=+\-@\t\r]"
_SQL_PLAIN_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# DuckDB column types whose CSV text can never start with a formula character on its own
# (numbers are written by DuckDB as numbers; a negative one is a plain number).
_SQL_SAFE_TYPES = re.compile(
    r"(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT"
    r"|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|BOOLEAN|DATE|TIME|TIMESTAMP(_S|_MS|_NS)?"
    r"|TIMESTAMP WITH TIME ZONE|TIME WITH TIME ZONE|INTERVAL|UUID)"
)


class _Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: Any) -> Any:
    """Return the cell as a spreadsheet should read it: text that would run as a formula
    gets a leading single quote; numbers and plain numeric text are left alone."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Return the row with every cell neutralised."""
    return [neutralise(cell) for cell in row]


class SafeWriter:
    """A `csv.writer` that neutralises every cell it writes."""

    def __init__(self, stream: _Writer, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._writer.writerow(safe_row(row))


def writer(stream: _Writer, **options: Any) -> SafeWriter:
    """Return a CSV writer on `stream` (options as for csv.writer) that neutralises cells."""
    return SafeWriter(stream, **options)


def source_writer(stream: _Writer, **options: Any) -> Any:
    """Return a plain csv.writer for a file made to be imported, never opened as published data.

    The demo writes a department's exports and the tests write input files; a leading quote
    there would become part of the imported value, so these keep every cell as written. What
    Commonbeat publishes or serves is written with `writer`.
    """
    return csv.writer(stream, **options)


def write_rows(
    stream: _Writer, header: Sequence[str], rows: Iterable[Iterable[Any]], **options: Any
) -> None:
    """Write a header and rows to `stream` as safe CSV."""
    out = writer(stream, **options)
    out.writerow(header)
    out.writerows(rows)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_cell(expression: str) -> str:
    """Return DuckDB SQL that gives `expression`'s text neutralised as `neutralise` would."""
    text = f"CAST({expression} AS VARCHAR)"
    return (
        f"CASE WHEN regexp_matches({text}, '{_SQL_FORMULA_START}') "
        f"AND NOT regexp_matches({text}, '{_SQL_PLAIN_NUMBER}') "
        f"THEN '''' || {text} ELSE {text} END"
    )


def safe_select(con: Any, query: str) -> str:
    """Return `query` wrapped so that its text columns are neutralised (for COPY to CSV).

    Columns are kept in order and by name; numbers, booleans and times pass untouched, so
    the CSV reads as the Parquet file written from the same query, except for the quote.
    """
    relation = con.sql(query)
    columns = []
    for name, kind in zip(relation.columns, relation.types, strict=True):
        quoted = _quote_ident(name)
        if _SQL_SAFE_TYPES.fullmatch(str(kind).upper()):
            columns.append(quoted)
        else:
            columns.append(f"{sql_cell(quoted)} AS {quoted}")
    return f"SELECT {', '.join(columns)} FROM ({query}) AS unsafe"  # noqa: S608  names quoted; the query is the caller's own SQL


__all__ = [
    "neutralise",
    "safe_row",
    "safe_select",
    "source_writer",
    "sql_cell",
    "write_rows",
    "writer",
]

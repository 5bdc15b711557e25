"""Reading an input CSV: which mapping fits its header, and the DuckDB scan exposed as `raw`.

Every column is read as text, with the mapping's delimiter, encoding and null values; lines
DuckDB cannot parse are captured with their line numbers (the `csv_rejects` side table) rather
than failing the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext

from commonbeat.records import sources
from commonbeat.records.locate import state_plane_pass
from commonbeat.records.mapping import Mapping, all_mappings
from commonbeat.records.report import first_line
from commonbeat.records.sources import InputError, InputFile
from commonbeat.records.sql import quote_ident, quote_literal

# `raw` is the file's rows with their data row numbers (`_row`, 1-based), in file order.


class Headers:
    """Header rows of input files, each read once however many mappings ask."""

    def __init__(self) -> None:
        self._headers: dict[tuple[Path, str, str], list[str]] = {}

    def choose_mapping(
        self, source: InputFile, mapping_name: str | None
    ) -> tuple[type[Mapping], list[str]]:
        """Return the mapping named, or else the one whose signature the header best matches."""
        mappings = all_mappings()
        if mapping_name:
            if mapping_name not in mappings:
                raise InputError(
                    f"{source.name}: there is no mapping called {mapping_name!r}. "
                    f"Known mappings: {', '.join(sorted(mappings))}."
                )
            mapping = mappings[mapping_name]
            return mapping, self.header(source, mapping)
        best: tuple[int, type[Mapping]] | None = None
        for candidate in mappings.values():
            if candidate.csv.header:
                header = set(self.header(source, candidate))
                needed = set(candidate.signature) - candidate.optional_columns
                # The more of its columns a file has, the surer the match.
                score = (
                    len(set(candidate.signature) & header)
                    if candidate.signature and needed <= header
                    else 0
                )
            else:
                score = (
                    1
                    if candidate.filename_pattern
                    and re.search(candidate.filename_pattern, source.name)
                    else 0
                )
            if score and (best is None or score > best[0]):
                best = (score, candidate)
        if best is None:
            raise InputError(
                f"{source.name}: no mapping recognises this file's columns. "
                "Name the mapping with --mapping, or write one (see docs/mappings.md).",
                web=gettext(
                    "%(file)s: no source format recognises this file's columns. Choose the "
                    "source format on the upload page, or start from one of the templates "
                    "there (the first line must be the header row, such as "
                    "“record_id,agency,occurred_date”)."
                )
                % {"file": source.name},
            )
        return best[1], self.header(source, best[1])

    def header(self, source: InputFile, mapping: type[Mapping]) -> list[str]:
        if not mapping.csv.header:
            return list(mapping.csv.columns)
        # Each candidate mapping asks; the file is read once per encoding and delimiter.
        key = (source.path, mapping.csv.encoding, mapping.csv.delimiter)
        if key not in self._headers:
            self._headers[key] = sources.read_header(
                source, mapping.csv.encoding, mapping.csv.delimiter
            )
        header = self._headers[key]
        if not header or header == ["column_1"]:
            raise InputError(f"{source.name}: the header row is empty.")
        return header


def direct(mapping: type[Mapping]) -> bool:
    """Return whether each output can be built straight from the CSV scan (the fast path).

    It needs every row of the file in each output, in order (no `where`, no skipped rows), a
    source identifier (default identifiers use row numbers), and no Python pass.
    """
    return mapping.csv.skip_data_rows == 0 and all(
        o.where is None and o.key is not None and not any(e.python for e in o.fields.values())
        for o in mapping.outputs
    )


def scan(source: InputFile, mapping: type[Mapping], header: list[str]) -> str:
    """Return the `read_csv(...)` call that reads the file as the mapping describes it."""
    missing = sorted(mapping.required_columns() - set(header))
    if missing:
        raise InputError(
            f"{source.name}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} for mapping {mapping.name} "
            f"(the file has {len(header)} columns: {', '.join(header[:12])}{'…' if len(header) > 12 else ''})."
        )
    columns = "{" + ", ".join(f"{quote_literal(name)}: 'VARCHAR'" for name in header) + "}"
    options = [
        f"columns = {columns}",
        f"header = {'true' if mapping.csv.header else 'false'}",
        "auto_detect = false",
        f"delim = {quote_literal(mapping.csv.delimiter)}",
        "quote = '\"'",
        "escape = '\"'",
        f"encoding = {quote_literal(mapping.csv.encoding)}",
        "store_rejects = true",
        "rejects_table = 'csv_rejects'",
        "rejects_scan = 'csv_scans'",
        "max_line_size = 4000000",
        f"compression = {'gzip' if source.gzipped else 'none'}",
    ]
    if mapping.csv.null_values:
        options.append(
            "nullstr = [" + ", ".join(quote_literal(v) for v in mapping.csv.null_values) + "]"
        )
    return f"read_csv({quote_literal(str(source.path))}, {', '.join(options)})"


def raw_view(
    con: duckdb.DuckDBPyConnection,
    source: InputFile,
    mapping: type[Mapping],
    header: list[str],
    limit: int | None = None,
) -> list[tuple[Any, ...]]:
    """Expose the file as the view `raw` (numbered rows); return the lines DuckDB could not parse."""
    read = scan(source, mapping, header)
    # Optional columns the file leaves out read as empty.
    absent = sorted(
        {c for o in mapping.outputs for e in o.fields.values() for c in e.columns} - set(header)
    )
    padding = "".join(f", NULL::VARCHAR AS {quote_ident(c)}" for c in absent)
    if limit is None and direct(mapping):
        # Fast path: each output is built straight from the CSV scan, and numbered after.
        con.execute(f"CREATE TEMP VIEW raw AS SELECT *{padding} FROM {read}")  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        return []
    tokens = sorted({t for o in mapping.outputs for e in o.fields.values() for t in e.python})
    # Otherwise one copy of the file as text; rows keep file order (preserve_insertion_order), so
    # rowid + 1 is the data row number. (A window function over the file would run on one
    # thread; re-scanning the CSV with a positional join measured slower than this copy.)
    limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
    con.execute(f"CREATE TEMP TABLE raw_table AS SELECT *{padding} FROM {read}{limit_sql}")  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
    found = bad_lines(con)
    for token in tokens:
        state_plane_pass(con, token)
    con.execute("CREATE TEMP VIEW raw AS SELECT rowid + 1 AS _row, * FROM raw_table")
    return found


def bad_lines(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Return each line the CSV scan could not parse, once: byte offset, column, kind, text, message."""
    # Read right after the first full scan: binding the scan again starts a fresh table, and a
    # scan that met no bad line may not create one at all. DuckDB records one error per missing
    # column, so a short line appears several times; its first error speaks for it. Its own
    # `line` counts records, not lines of text, so the byte offset is what locates the line.
    try:
        found = con.execute(
            """SELECT line_byte_position, column_name, error_type, csv_line, error_message
               FROM csv_rejects ORDER BY line_byte_position, column_idx"""
        ).fetchall()
    except duckdb.CatalogException:
        return []
    first: dict[int, tuple[Any, ...]] = {}
    for row in found:
        first.setdefault(int(row[0]), row)
    return list(first.values())


def csv_problem(kind: str, column: str | None, message: str) -> str:
    """Return a bad line's problem as the report words it: `column: label (message)`."""
    labels = {
        "TOO MANY COLUMNS": "too many fields",
        "MISSING COLUMNS": "too few fields",
        "INVALID UNICODE": "text is not valid UTF-8",
        "UNQUOTED VALUE": "badly quoted value",
        "LINE SIZE OVER MAXIMUM": "line too long",
        "INVALID ENCODING": "text is not in the declared encoding",
    }
    label = labels.get(kind, kind.lower())
    where = f"{column}: " if column and kind not in ("TOO MANY COLUMNS", "MISSING COLUMNS") else ""
    return f"{where}{label} ({first_line(message)[:120]})"


__all__ = [
    "Headers",
    "bad_lines",
    "csv_problem",
    "direct",
    "raw_view",
    "scan",
]

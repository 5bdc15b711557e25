"""The import engine: one SQL statement per output standardises, checks and stores a file.

For each input the engine reads the CSV with DuckDB (every column as text, malformed lines
captured with their line numbers), computes each standard field and each problem from the
mapping's expressions, rejects rows with problems (written to a rejects file with reasons),
applies the consistency rules, and writes the rest as Parquet. Nothing becomes visible until
every input has succeeded: the store's catalog is then replaced in one atomic step.
"""

from __future__ import annotations

import csv
import logging
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb

from commonbeat.records import sources
from commonbeat.records.mapping import (
    Mapping,
    Output,
    all_mappings,
    raw,
    state_plane_columns,
)
from commonbeat.records.rules import rules_for
from commonbeat.records.schema import RECORD_TYPES, SQL_TYPES
from commonbeat.records.sources import InputError, InputFile
from commonbeat.records.sql import quote_ident, quote_literal
from commonbeat.records.store import RecordStore

logger = logging.getLogger(__name__)
# `raw` is the file's rows with their data row numbers (`_row`, 1-based), in file order.
REJECT_SAMPLE = 20  # problems listed in a report per file; the rejects file has them all


@dataclass
class OutputReport:
    record_type: str
    read: int = 0
    stored: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    corrected: Counter[str] = field(default_factory=Counter)


@dataclass
class FileReport:
    name: str
    mapping: str = ""
    partition: str = ""
    status: str = "pending"  # stored, replaced, unchanged, failed
    error: str = ""
    outputs: list[OutputReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a sample: "file, row N: field: message"
    rejects_file: str = ""
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(o.rejected for o in self.outputs)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.files) and bool(self.files)

    def totals(self) -> dict[str, OutputReport]:
        """Return read/stored/rejected per record type across all files."""
        totals: dict[str, OutputReport] = {}
        for report in self.files:
            for output in report.outputs:
                total = totals.setdefault(output.record_type, OutputReport(output.record_type))
                total.read += output.read
                total.stored += output.stored
                total.rejected += output.rejected
                total.reasons.update(output.reasons)
                total.corrected.update(output.corrected)
        return totals

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (for JSON and the import log)."""
        return {
            "ok": self.ok,
            "committed": self.committed,
            "files": [
                {
                    "name": f.name,
                    "mapping": f.mapping,
                    "partition": f.partition,
                    "status": f.status,
                    "error": f.error,
                    "rejects_file": f.rejects_file,
                    "problems": f.problems,
                    "outputs": [
                        {
                            "record_type": o.record_type,
                            "read": o.read,
                            "stored": o.stored,
                            "rejected": o.rejected,
                            "reasons": dict(o.reasons),
                            "corrected": dict(o.corrected),
                        }
                        for o in f.outputs
                    ],
                }
                for f in self.files
            ],
        }


# Python computations a mapping can ask for. They run as vectorised passes in this thread over
# Arrow columns, never as UDFs inside DuckDB's worker threads: pyproj's per-thread state does not
# survive being called from threads it did not create.
def _state_plane_pass(con: duckdb.DuckDBPyConnection, token: str) -> None:
    import numpy as np
    import pyarrow as pa
    from pyproj import Transformer

    _, epsg, x_column, y_column = token.split(":", 3)
    lat_column, lng_column = state_plane_columns(int(epsg), x_column, y_column)
    table = _arrow(
        con,
        f"SELECT rowid + 1 AS _row, TRY_CAST({raw(x_column)} AS DOUBLE) AS x, "
        f"TRY_CAST({raw(y_column)} AS DOUBLE) AS y FROM raw_table",
    )
    xs = table.column("x").to_numpy(zero_copy_only=False).astype("float64")
    ys = table.column("y").to_numpy(zero_copy_only=False).astype("float64")
    transformer = Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)
    lng, lat = transformer.transform(xs, ys)
    # Zero or missing input coordinates mean "no location", not a point off Africa.
    bad = (
        ~np.isfinite(lat)
        | ~np.isfinite(lng)
        | ~np.isfinite(xs)
        | ~np.isfinite(ys)
        | (xs == 0)
        | (ys == 0)
    )
    converted = pa.table(
        {
            "_row": table.column("_row"),
            "lat": pa.array(np.round(lat, 6), mask=bad),
            "lng": pa.array(np.round(lng, 6), mask=bad),
        }
    )
    con.register("converted_points", converted)
    try:
        con.execute(f"ALTER TABLE raw_table ADD COLUMN {quote_ident(lat_column)} DOUBLE")
        con.execute(f"ALTER TABLE raw_table ADD COLUMN {quote_ident(lng_column)} DOUBLE")
        con.execute(
            f"UPDATE raw_table SET {quote_ident(lat_column)} = c.lat, {quote_ident(lng_column)} = c.lng "
            "FROM converted_points c WHERE raw_table.rowid + 1 = c._row"
        )
    finally:
        con.unregister("converted_points")


def _neighbourhood_pass(con: duckdb.DuckDBPyConnection, table: str, agency: str) -> None:
    import numpy as np
    import pyarrow as pa
    import shapely
    from shapely.geometry import shape
    from shapely.strtree import STRtree

    from commonbeat.core.models import Neighbourhood

    points = _arrow(
        con,
        # Only points the source did not already place in a neighbourhood.
        f"SELECT _row, latitude, longitude FROM {table} "
        "WHERE neighbourhood IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL",
    )
    if points.num_rows == 0:
        return
    boundaries = sorted(
        Neighbourhood.objects.filter(agency__slug=agency).values_list("slug", "boundary")
    )
    if not boundaries:
        return
    lats = points.column("latitude").to_numpy(zero_copy_only=False).astype("float64")
    lngs = points.column("longitude").to_numpy(zero_copy_only=False).astype("float64")
    tree = STRtree([shape(boundary) for _, boundary in boundaries])
    found = np.full(len(lats), len(boundaries))
    point_index, tree_index = tree.query(shapely.points(lngs, lats), predicate="covered_by")
    # On a shared boundary the neighbourhood first in identifier order wins, as in core.geo.
    np.minimum.at(found, point_index, tree_index)
    slugs = np.array([slug for slug, _ in boundaries] + [None], dtype=object)
    located = pa.table(
        {"_row": points.column("_row"), "neighbourhood": pa.array(slugs[found], type=pa.string())}
    )
    con.register("located_points", located)
    try:
        con.execute(
            f"UPDATE {table} SET neighbourhood = l.neighbourhood FROM located_points l WHERE {table}._row = l._row"
        )
    finally:
        con.unregister("located_points")


class Importer:
    """Imports inputs into a record store, all or nothing."""

    def __init__(
        self,
        store: RecordStore,
        mapping: str | None = None,
        rejects_dir: Path | None = None,
        progress: Callable[[str], None] | None = None,
        memory_limit: str = "1GB",
        threads: int = 2,
        progress_bar: bool = False,
    ) -> None:
        self.store = store
        self.mapping_name = mapping
        self.rejects_dir = rejects_dir or store.root.parent / "rejects"
        self.progress = progress or (lambda message: None)
        self.memory_limit = memory_limit
        self.threads = threads
        self.progress_bar = progress_bar
        self._headers: dict[tuple[Path, str, str], list[str]] = {}
        self.import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]

    # Public ---------------------------------------------------------------------------------

    def run(self, paths: Sequence[Path]) -> ImportReport:
        """Import every CSV under the paths; commit only if none failed."""
        report = ImportReport()
        written: list[tuple[str, str, InputFile, type[Mapping], list[tuple[str, str, int]]]] = []
        try:
            with sources.expand([Path(p) for p in paths]) as inputs:
                if not inputs:
                    report.files.append(
                        FileReport(
                            ", ".join(map(str, paths)), status="failed", error="No CSV files found."
                        )
                    )
                    return report
                catalog = self.store.catalog()
                for index, source in enumerate(inputs, start=1):
                    self.progress(f"[{index}/{len(inputs)}] {source.name}")
                    file_report, files = self._import_one(source, catalog)
                    report.files.append(file_report)
                    if file_report.status in ("stored", "replaced"):
                        mapping = all_mappings()[file_report.mapping]
                        written.append(
                            (file_report.mapping, file_report.partition, source, mapping, files)
                        )
                # Checksums must be finished while extracted archive members still exist.
                for source in inputs:
                    source.digest.exception()
        except InputError as exc:
            report.files.append(FileReport(str(exc).split(":")[0], status="failed", error=str(exc)))
        if not report.ok:
            self._discard(written)
            return report
        self._commit(written)
        report.committed = True
        return report

    def preview(self, path: Path, rows: int = 10) -> tuple[str, list[dict[str, Any]], list[str]]:
        """Return the mapping chosen, the first rows as standard records, and their problems."""
        with sources.expand([path]) as inputs:
            if not inputs:
                raise InputError(f"{path.name}: no CSV files found.")
            source = inputs[0]
            sources.sniff(source)
            mapping, header = self._choose_mapping(source)
            con = self._connect()
            try:
                self._create_raw_view(
                    con, source, mapping, header, limit=rows + mapping.csv.skip_data_rows
                )
                output = mapping.outputs[0]
                self._standardise(
                    con,
                    mapping,
                    output,
                    "std",
                    mapping.agency_for(_member(source)),
                    mapping.partition(_member(source)),
                )
                names = RECORD_TYPES[output.record_type].names
                result = con.execute(
                    f"SELECT {', '.join(quote_ident(n) + '::VARCHAR' for n in names)}, _problems FROM std ORDER BY _row"
                )
                records = []
                problems = []
                for row in result.fetchall():
                    records.append(dict(zip(names, row[:-1], strict=True)))
                    if row[-1]:
                        problems.append(row[-1])
                return mapping.name, records, problems
            finally:
                con.close()

    # One input ------------------------------------------------------------------------------

    def _import_one(
        self, source: InputFile, catalog: dict[str, Any]
    ) -> tuple[FileReport, list[tuple[str, str, int]]]:
        report = FileReport(source.name)
        started = time.monotonic()
        files: list[tuple[str, str, int]] = []
        try:
            sources.sniff(source)
            mapping, header = self._choose_mapping(source)
            report.mapping = mapping.name
            report.partition = mapping.partition(_member(source))
            existing = catalog["partitions"].get(f"{mapping.name}/{report.partition}")
            if existing and existing["sha256"] == source.sha256:
                report.status = "unchanged"
                report.outputs = [
                    OutputReport(f["record_type"], read=f["rows"]) for f in existing["files"]
                ]
                return report, files
            files = self._process(source, mapping, header, report)
            report.status = "replaced" if existing else "stored"
        except InputError as exc:
            report.status, report.error = "failed", str(exc)
        except duckdb.Error as exc:
            report.status = "failed"
            report.error = f"{source.name}: the file could not be read as {report.mapping or 'CSV'}: {_first_line(exc)}"
        except Exception as exc:
            # A bug of ours, not the file's: the operator gets a plain message and nothing is
            # stored; the traceback goes to the log for whoever fixes it.
            logger.exception("Import of %s failed", source.name)
            report.status = "failed"
            report.error = (
                f"{source.name}: could not be imported because of an internal error "
                f"({type(exc).__name__}); nothing was stored, and the details are in the server log."
            )
        report.seconds = time.monotonic() - started
        if report.status == "failed":
            for _, path, _ in files:
                (self.store.root / path).unlink(missing_ok=True)
            files = []
        return report, files

    def _choose_mapping(self, source: InputFile) -> tuple[type[Mapping], list[str]]:
        mappings = all_mappings()
        if self.mapping_name:
            if self.mapping_name not in mappings:
                raise InputError(
                    f"{source.name}: there is no mapping called {self.mapping_name!r}. "
                    f"Known mappings: {', '.join(sorted(mappings))}."
                )
            mapping = mappings[self.mapping_name]
            return mapping, self._header(source, mapping)
        best: tuple[int, type[Mapping]] | None = None
        for candidate in mappings.values():
            if candidate.csv.header:
                header = set(self._header(source, candidate))
                score = (
                    len(candidate.signature)
                    if candidate.signature and set(candidate.signature) <= header
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
                "Name the mapping with --mapping, or write one (see docs/mappings.md)."
            )
        return best[1], self._header(source, best[1])

    def _header(self, source: InputFile, mapping: type[Mapping]) -> list[str]:
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

    def _connect(self) -> duckdb.DuckDBPyConnection:
        tmp = self.store.root / ".tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            config={
                "memory_limit": self.memory_limit,
                "threads": self.threads,
                "temp_directory": str(tmp),
                "preserve_insertion_order": True,
            }
        )
        if self.progress_bar:
            # DuckDB draws its own bar on the terminal for statements that run over a second.
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = true")
            con.execute("SET progress_bar_time = 1000")
        return con

    def _create_raw_view(
        self,
        con: duckdb.DuckDBPyConnection,
        source: InputFile,
        mapping: type[Mapping],
        header: list[str],
        limit: int | None = None,
    ) -> list[tuple[Any, ...]]:
        """Expose the file as the view `raw` (numbered rows); return the lines DuckDB could not parse."""
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
        scan = f"read_csv({quote_literal(str(source.path))}, {', '.join(options)})"
        if limit is None and _direct(mapping):
            # Fast path: each output is built straight from the CSV scan, and numbered after.
            con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM {scan}")
            return []
        tokens = sorted({t for o in mapping.outputs for e in o.fields.values() for t in e.python})
        # Otherwise one copy of the file as text; rows keep file order (preserve_insertion_order), so
        # rowid + 1 is the data row number. (A window function over the file would run on one
        # thread; re-scanning the CSV with a positional join measured slower than this copy.)
        limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
        con.execute(f"CREATE TEMP TABLE raw_table AS SELECT * FROM {scan}{limit_sql}")
        bad_lines = _bad_lines(con)
        for token in tokens:
            _state_plane_pass(con, token)
        con.execute("CREATE TEMP VIEW raw AS SELECT rowid + 1 AS _row, * FROM raw_table")
        return bad_lines

    def _standardise(
        self,
        con: duckdb.DuckDBPyConnection,
        mapping: type[Mapping],
        output: Output,
        table: str,
        agency: str,
        partition: str,
        direct: bool = False,
    ) -> int:
        """Build the standard table; return how many continuation rows were folded away."""
        schema = RECORD_TYPES[output.record_type]
        selects = []
        checks = []
        checked: set[tuple[str, ...]] = set()
        for item in schema.fields:
            if item.name == "record_id":
                # Without a source identifier, the file and row number make one that stays
                # unique across a source's files (and stable across re-imports of a file).
                key_sql = (
                    output.key.sql if output.key else f"{quote_literal(partition + ':')} || _row"
                )
                selects.append(f"CAST({key_sql} AS VARCHAR) AS record_id")
                if output.key and output.key.check:
                    checks.append(output.key.check)
            elif item.name == "source":
                selects.append(f"{quote_literal(mapping.name)} AS source")
            elif item.name == "agency" and "agency" not in output.fields:
                selects.append(f"{quote_literal(agency)} AS agency")
            elif item.name in output.fields:
                expr = output.fields[item.name]
                selects.append(
                    f"CAST({expr.sql} AS {SQL_TYPES[item.type]}) AS {quote_ident(item.name)}"
                )
                # Several fields may read one raw column (a date and a time from one
                # stamp): its problem is reported once.
                if expr.check and expr.columns not in checked:
                    checks.append(expr.check)
                    checked.add(expr.columns)
            else:
                selects.append(f"CAST(NULL AS {SQL_TYPES[item.type]}) AS {quote_ident(item.name)}")
        where = f"_row > {mapping.csv.skip_data_rows}"
        if output.where:
            where += f" AND ({output.where})"
        # Checks that need the standard values (required fields, allowed values, rules) run on
        # the inner SELECT's output in the same statement.
        later = []
        for item in schema.fields:
            column = quote_ident(item.name)
            if item.required:
                later.append(
                    f"CASE WHEN {column} IS NULL THEN '{item.name}: required value missing ()' END"
                )
            if item.allowed and item.name in output.fields:
                allowed = ", ".join(quote_literal(a) for a in item.allowed)
                later.append(
                    f"CASE WHEN {column} IS NOT NULL AND {column} NOT IN ({allowed}) "
                    f"THEN '{item.name}: not an allowed value (' || {column} || ')' END"
                )
        for rule in rules_for(output.record_type):
            if rule.action == "reject":
                later.append(
                    f"CASE WHEN {rule.violated} THEN {quote_literal('rule: ' + rule.name + ' ()')} END"
                )
        parse = f"concat_ws(' | ', {', '.join(checks)})" if checks else "NULL"
        parts = ["NULLIF(_parse, '')", *later]
        problems = f"concat_ws(' | ', {', '.join(parts)})"
        if direct:
            # No copy of the file: the row itself rides along as a struct, and only rows with a
            # problem keep it (as JSON) for the rejects file. Scan order is file order, so the
            # table's rowid numbers the rows.
            inner = f"SELECT {', '.join(selects)}, {parse} AS _parse, raw AS _raw_row FROM raw"
            con.execute(
                f"""CREATE TEMP TABLE {table} AS
                    SELECT * EXCLUDE (_raw_row),
                           CASE WHEN _problems <> '' THEN to_json(_raw_row)::VARCHAR END AS _raw
                    FROM (SELECT * EXCLUDE (_parse), {problems} AS _problems FROM ({inner}))"""
            )
            con.execute(f"ALTER TABLE {table} ADD COLUMN _row BIGINT")
            con.execute(f"UPDATE {table} SET _row = rowid + 1")
        else:
            inner = f"SELECT _row, {', '.join(selects)}, {parse} AS _parse FROM raw WHERE {where}"
            con.execute(
                f"CREATE TEMP TABLE {table} AS SELECT * EXCLUDE (_parse), {problems} AS _problems FROM ({inner})"
            )
        if "latitude" in output.fields and "neighbourhood" in schema.names:
            _neighbourhood_pass(con, table, agency)
        later_rows = f"""_row IN (
                    SELECT t._row FROM {table} t JOIN (
                        SELECT record_id, min(_row) AS first FROM {table}
                        GROUP BY record_id HAVING count(*) > 1
                    ) d USING (record_id) WHERE t._row > d.first
                )"""
        if output.first_per_key:
            # A record spread over several rows (one per subject, say): its first row stands
            # for it, and the others are continuations, not duplicates.
            folded = int(_scalar(con, f"SELECT count(*) FROM {table} WHERE {later_rows}"))
            con.execute(f"DELETE FROM {table} WHERE {later_rows}")
            return folded
        con.execute(
            f"""UPDATE {table} SET _problems = concat_ws(' | ', NULLIF(_problems, ''),
                    'record_id: duplicate identifier (' || record_id || ')')
                WHERE {later_rows}"""
        )
        return 0

    def _process(
        self, source: InputFile, mapping: type[Mapping], header: list[str], report: FileReport
    ) -> list[tuple[str, str, int]]:
        con = self._connect()
        written: list[tuple[str, str, int]] = []
        try:
            direct = _direct(mapping)
            bad_lines = self._create_raw_view(con, source, mapping, header)
            header_lines = 1 if mapping.csv.header else 0
            rejects: list[list[Any]] = []
            gaps: list[int] = []
            for index, output in enumerate(mapping.outputs):
                table = f"std_{index}"
                folded = self._standardise(
                    con,
                    mapping,
                    output,
                    table,
                    mapping.agency_for(_member(source)),
                    report.partition,
                    direct,
                )
                if index == 0:
                    if direct:
                        bad_lines = _bad_lines(con)  # the first scan of the file just ended
                    gaps = [
                        line - header_lines - i
                        for i, (line, *_rest) in enumerate(bad_lines, start=1)
                    ]
                    for line, column, kind, text_line, message in bad_lines:
                        problem = _csv_problem(kind, column, message)
                        rejects.append([source.name, line - header_lines, "", problem, text_line])
                out = OutputReport(output.record_type)
                out.read = _scalar(con, f"SELECT count(*) FROM {table}") + (
                    len(bad_lines) if index == 0 else 0
                )
                if folded:
                    out.corrected["later rows of a record spread over several rows"] = folded
                for rule in rules_for(output.record_type):
                    if rule.action == "clear":
                        sets = ", ".join(f"{quote_ident(f)} = NULL" for f in rule.fields)
                        # DuckDB answers an UPDATE with the number of rows it changed.
                        touched = _scalar(
                            con,
                            f"UPDATE {table} SET {sets} WHERE _problems = '' AND ({rule.violated})",
                        )
                        if touched:
                            out.corrected[rule.name] = touched
                reasons = con.execute(
                    f"""SELECT regexp_replace(problem, ' \\(.*$', '') AS reason, count(*)
                        FROM (SELECT unnest(string_split(_problems, ' | ')) AS problem FROM {table} WHERE _problems <> '')
                        GROUP BY 1"""
                ).fetchall()
                out.reasons.update(dict(reasons))
                if index == 0:
                    for _line, column, kind, _text, message in bad_lines:
                        out.reasons[_csv_problem(kind, column, message).split(" (")[0]] += 1
                if direct:
                    # A duplicate was found after the scan, so it kept no raw values: its
                    # standard values stand in for them.
                    standard = ", ".join(
                        quote_ident(n) for n in RECORD_TYPES[output.record_type].names
                    )
                    row_rejects = con.execute(
                        f"""SELECT _row, _problems, coalesce(_raw, to_json(struct_pack({standard}))::VARCHAR)
                            FROM {table} WHERE _problems <> '' ORDER BY _row"""
                    ).fetchall()
                else:
                    # The raw rows are turned to JSON only once the few rejected ones are picked.
                    row_rejects = con.execute(
                        f"""WITH bad AS (SELECT _row, _problems FROM {table} WHERE _problems <> ''),
                                picked AS (SELECT * FROM raw WHERE _row IN (SELECT _row FROM bad))
                            SELECT bad._row, bad._problems, to_json(picked)::VARCHAR
                            FROM bad JOIN picked USING (_row) ORDER BY bad._row"""
                    ).fetchall()
                for row, problems, raw_json in row_rejects:
                    actual = row + _shift(gaps, row)
                    rejects.append([source.name, actual, output.record_type, problems, raw_json])
                out.rejected = len(row_rejects) + (len(bad_lines) if index == 0 else 0)
                names = RECORD_TYPES[output.record_type].names
                absolute, relative = self.store.new_file(
                    output.record_type, mapping.name, report.partition, f"{self.import_id}-{index}"
                )
                con.execute(
                    f"COPY (SELECT {', '.join(quote_ident(n) for n in names)} FROM {table} WHERE _problems = '') "
                    f"TO {quote_literal(str(absolute))} (FORMAT parquet, COMPRESSION zstd)"
                )
                out.stored = out.read - out.rejected
                written.append((output.record_type, relative, out.stored))
                report.outputs.append(out)
                con.execute(f"DROP TABLE {table}")
            if rejects:
                report.rejects_file = str(
                    self._write_rejects(source, mapping, report.partition, rejects)
                )
                report.problems = [
                    f"{r[0]}, row {r[1]}: {r[3]}"
                    for r in sorted(rejects, key=lambda r: r[1])[:REJECT_SAMPLE]
                ]
            return written
        except Exception:
            for _, relative, _ in written:
                (self.store.root / relative).unlink(missing_ok=True)
            raise
        finally:
            con.close()

    def _write_rejects(
        self, source: InputFile, mapping: type[Mapping], partition: str, rows: list[list[Any]]
    ) -> Path:
        self.rejects_dir.mkdir(parents=True, exist_ok=True)
        path = self.rejects_dir / f"{self.import_id}-{mapping.name}-{partition}.rejects.csv"
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["file", "row", "record_type", "problems", "raw"])
            ordered: list[list[Any]] = sorted(rows, key=itemgetter(1))
            writer.writerows(ordered)
        return path

    # Commit ---------------------------------------------------------------------------------

    def _commit(
        self, written: list[tuple[str, str, InputFile, type[Mapping], list[tuple[str, str, int]]]]
    ) -> None:
        if not written:
            return
        with self.store.transaction() as catalog:
            for mapping_name, partition, source, mapping, files in written:
                catalog["partitions"][f"{mapping_name}/{partition}"] = {
                    "mapping": mapping_name,
                    "partition": partition,
                    "source_file": source.name,
                    "sha256": source.sha256,
                    "import_id": self.import_id,
                    "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "source": mapping.source,
                    "licence": mapping.licence,
                    "files": [
                        {"record_type": rt, "path": path, "rows": rows} for rt, path, rows in files
                    ],
                }

    def _discard(
        self, written: list[tuple[str, str, InputFile, type[Mapping], list[tuple[str, str, int]]]]
    ) -> None:
        for *_rest, files in written:
            for _, path, _ in files:
                (self.store.root / path).unlink(missing_ok=True)


def _direct(mapping: type[Mapping]) -> bool:
    """Return whether each output can be built straight from the CSV scan (the fast path).

    It needs every row of the file in each output, in order (no `where`, no skipped rows), a
    source identifier (default identifiers use row numbers), and no Python pass.
    """
    return mapping.csv.skip_data_rows == 0 and all(
        o.where is None and o.key is not None and not any(e.python for e in o.fields.values())
        for o in mapping.outputs
    )


def _bad_lines(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    # Read right after the first full scan: binding the scan again starts a fresh table, and a
    # scan that met no bad line may not create one at all.
    try:
        return con.execute(
            "SELECT DISTINCT line, column_name, error_type, csv_line, error_message FROM csv_rejects ORDER BY line"
        ).fetchall()
    except duckdb.CatalogException:
        return []


def _arrow(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    table = con.sql(query).to_arrow_table()
    if table is None:
        raise duckdb.Error(f"No result from: {query[:80]}")
    return table


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    # fetchall, not fetchone: a statement is only finished (its side tables, such as the CSV
    # rejects, written) once its whole result has been read.
    rows = con.execute(query).fetchall()
    return rows[0][0] if rows else None


def _member(source: InputFile) -> Path:
    # An archive member is named "archive.zip:folder/file.csv"; its own name is what counts.
    return Path(source.name.rsplit(":", 1)[-1])


def _shift(gaps: list[int], row: int) -> int:
    # Rows DuckDB could not parse are missing from the numbering; add back those before `row`.
    return sum(1 for gap in gaps if gap < row)


def _csv_problem(kind: str, column: str | None, message: str) -> str:
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
    return f"{where}{label} ({_first_line(message)[:120]})"


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def import_files(paths: Sequence[Path], **options: Any) -> ImportReport:
    """Import the paths into the configured store (the one way imports happen)."""
    from django.conf import settings

    from commonbeat.records.store import default_store

    options.setdefault("rejects_dir", Path(settings.VAR_DIR) / "rejects")
    return Importer(default_store(), **options).run(paths)


__all__ = ["ImportReport", "Importer", "import_files"]

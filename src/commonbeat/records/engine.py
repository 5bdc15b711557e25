"""The import engine: one SQL statement per output standardises, checks and stores a file.

For each input the engine reads the CSV with DuckDB (every column as text, malformed lines
captured with their line numbers), computes each standard field and each problem from the
mapping's expressions, rejects rows with problems (written to a rejects file with reasons),
applies the consistency rules, and writes the rest as Parquet. Nothing becomes visible until
every input has succeeded: the store's catalog is then replaced in one atomic step.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext

from commonbeat.core import csvsafe
from commonbeat.records import csvread, lines, sources
from commonbeat.records.known import KnownPlaces
from commonbeat.records.locate import neighbourhood_pass
from commonbeat.records.mapping import Mapping, Output, all_mappings
from commonbeat.records.report import (
    REJECT_SAMPLE,
    FileReport,
    ImportReport,
    OutputReport,
    first_line,
)
from commonbeat.records.rules import rules_for
from commonbeat.records.schema import RECORD_TYPES, SQL_TYPES
from commonbeat.records.sources import InputError, InputFile
from commonbeat.records.sql import quote_ident, quote_literal
from commonbeat.records.store import RecordStore

logger = logging.getLogger(__name__)


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
        all_or_nothing: bool = False,
        check_only: bool = False,
        check_places: bool = False,
    ) -> None:
        self.store = store
        # Store a file only if every row is good (else nothing); or check without storing.
        self.all_or_nothing = all_or_nothing
        self.check_only = check_only
        # Agencies and neighbourhoods are checked against core's database (records.known); off
        # for stores built outside any database (test fixtures shared between workers).
        self.check_places = check_places
        self.mapping_name = mapping
        self.rejects_dir = rejects_dir or store.root.parent / "rejects"
        self.progress = progress or (lambda message: None)
        self.memory_limit = memory_limit
        self.threads = threads
        self.progress_bar = progress_bar
        self._headers = csvread.Headers()
        self._known: KnownPlaces | None = None
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
            report.files.append(
                FileReport(
                    str(exc).split(":")[0], status="failed", error=str(exc), error_web=exc.web
                )
            )
        if self.all_or_nothing and report.ok:
            for file_report in report.files:
                if file_report.status in ("stored", "replaced") and file_report.rejected:
                    file_report.status = "failed"
                    file_report.error = gettext(
                        "%(file)s: %(count)s of %(read)s rows have problems, so nothing was "
                        "stored (you asked to store the file only if every row is good)."
                    ) % {
                        "file": file_report.name,
                        "count": intcomma(file_report.rejected),
                        "read": intcomma(file_report.read),
                    }
                    report.refused = True
        if not report.ok or self.check_only:
            self._discard(written)
            if report.ok:
                report.checked_only = True
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
            mapping, header = self._headers.choose_mapping(source, self.mapping_name)
            con = self._connect()
            try:
                csvread.raw_view(
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
                    f"SELECT {', '.join(quote_ident(n) + '::VARCHAR' for n in names)}, _problems FROM std ORDER BY _row"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
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
            mapping, header = self._headers.choose_mapping(source, self.mapping_name)
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
            report.status, report.error, report.error_web = "failed", str(exc), exc.web
        except duckdb.Error as exc:
            report.status = "failed"
            report.error = f"{source.name}: the file could not be read as {report.mapping or 'CSV'}: {first_line(exc)}"
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
            inner = f"SELECT {', '.join(selects)}, {parse} AS _parse, raw AS _raw_row FROM raw"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            con.execute(
                f"""CREATE TEMP TABLE {table} AS
                    SELECT * EXCLUDE (_raw_row),
                           CASE WHEN _problems <> '' THEN to_json(_raw_row)::VARCHAR END AS _raw
                    FROM (SELECT * EXCLUDE (_parse), {problems} AS _problems FROM ({inner}))"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            )
            con.execute(f"ALTER TABLE {table} ADD COLUMN _row BIGINT")
            con.execute(f"UPDATE {table} SET _row = rowid + 1")  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        else:
            inner = f"SELECT _row, {', '.join(selects)}, {parse} AS _parse FROM raw WHERE {where}"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            con.execute(
                f"CREATE TEMP TABLE {table} AS SELECT * EXCLUDE (_parse), {problems} AS _problems FROM ({inner})"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            )
        if "latitude" in output.fields and "neighbourhood" in schema.names:
            neighbourhood_pass(con, table, agency)
        if self.check_places and {"agency", "neighbourhood"} & set(output.fields):
            if self._known is None:
                self._known = KnownPlaces(self.store)
            self._known.check(con, table, set(output.fields))
        later_rows = f"""_row IN (
                    SELECT t._row FROM {table} t JOIN (
                        SELECT record_id, min(_row) AS first FROM {table}
                        GROUP BY record_id HAVING count(*) > 1
                    ) d USING (record_id) WHERE t._row > d.first
                )"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        if output.first_per_key:
            # A record spread over several rows (one per subject, say): its first row stands
            # for it, and the others are continuations, not duplicates.
            folded = int(_scalar(con, f"SELECT count(*) FROM {table} WHERE {later_rows}"))  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            con.execute(f"DELETE FROM {table} WHERE {later_rows}")  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            return folded
        con.execute(
            f"""UPDATE {table} SET _problems = concat_ws(' | ', NULLIF(_problems, ''),
                    'record_id: duplicate identifier (' || record_id || ')')
                WHERE {later_rows}"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        )
        return 0

    def _process(
        self, source: InputFile, mapping: type[Mapping], header: list[str], report: FileReport
    ) -> list[tuple[str, str, int]]:
        con = self._connect()
        written: list[tuple[str, str, int]] = []
        try:
            direct = csvread.direct(mapping)
            bad_lines = csvread.raw_view(con, source, mapping, header)
            pending: list[list[Any]] = []  # rows rejected for their values, by parsed row
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
                if index == 0 and direct:
                    bad_lines = csvread.bad_lines(con)  # the first scan of the file just ended
                out = OutputReport(output.record_type)
                out.read = _scalar(con, f"SELECT count(*) FROM {table}") + (  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
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
                            f"UPDATE {table} SET {sets} WHERE _problems = '' AND ({rule.violated})",  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                        )
                        if touched:
                            out.corrected[rule.name] = touched
                reasons = con.execute(
                    f"""SELECT regexp_replace(problem, ' \\(.*$', '') AS reason, count(*)
                        FROM (SELECT unnest(string_split(_problems, ' | ')) AS problem FROM {table} WHERE _problems <> '')
                        GROUP BY 1"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                ).fetchall()
                out.reasons.update(dict(reasons))
                if index == 0:
                    for _line, column, kind, _text, message in bad_lines:
                        out.reasons[csvread.csv_problem(kind, column, message).split(" (")[0]] += 1
                if direct:
                    # A duplicate was found after the scan, so it kept no raw values: its
                    # standard values stand in for them.
                    standard = ", ".join(
                        quote_ident(n) for n in RECORD_TYPES[output.record_type].names
                    )
                    row_rejects = con.execute(
                        f"""SELECT _row, _problems, coalesce(_raw, to_json(struct_pack({standard}))::VARCHAR)
                            FROM {table} WHERE _problems <> '' ORDER BY _row"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                    ).fetchall()
                else:
                    # The raw rows are turned to JSON only once the few rejected ones are picked.
                    row_rejects = con.execute(
                        f"""WITH bad AS (SELECT _row, _problems FROM {table} WHERE _problems <> ''),
                                picked AS (SELECT * FROM raw WHERE _row IN (SELECT _row FROM bad))
                            SELECT bad._row, bad._problems, to_json(picked)::VARCHAR
                            FROM bad JOIN picked USING (_row) ORDER BY bad._row"""  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                    ).fetchall()
                for row, problems, raw_json in row_rejects:
                    pending.append([source.name, row, output.record_type, problems, raw_json])
                out.rejected = len(row_rejects) + (len(bad_lines) if index == 0 else 0)
                names = RECORD_TYPES[output.record_type].names
                absolute, relative = self.store.new_file(
                    output.record_type, mapping.name, report.partition, f"{self.import_id}-{index}"
                )
                con.execute(
                    f"COPY (SELECT {', '.join(quote_ident(n) for n in names)} FROM {table} WHERE _problems = '') "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                    f"TO {quote_literal(str(absolute))} (FORMAT parquet, COMPRESSION zstd)"
                )
                out.stored = out.read - out.rejected
                written.append((output.record_type, relative, out.stored))
                report.outputs.append(out)
                con.execute(f"DROP TABLE {table}")
            rejects = lines.locate(source, mapping, bad_lines, pending)
            if rejects:
                report.rejects_file = str(
                    self._write_rejects(source, mapping, report.partition, rejects)
                )
                report.problems = [
                    f"{r[0]}, line {r[1]}: {r[3]}"
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
            writer = csvsafe.writer(stream)
            writer.writerow(["file", "line", "record_type", "problems", "raw"])
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


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    # fetchall, not fetchone: a statement is only finished (its side tables, such as the CSV
    # rejects, written) once its whole result has been read.
    rows = con.execute(query).fetchall()
    return rows[0][0] if rows else None


def _member(source: InputFile) -> Path:
    # An archive member is named "archive.zip:folder/file.csv"; its own name is what counts.
    return Path(source.name.rsplit(":", 1)[-1])


def import_files(paths: Sequence[Path], **options: Any) -> ImportReport:
    """Import the paths into the configured store (the one way imports happen)."""
    from django.conf import settings

    from commonbeat.records.store import default_store

    options.setdefault("rejects_dir", Path(settings.VAR_DIR) / "rejects")
    options.setdefault("check_places", True)
    return Importer(default_store(), **options).run(paths)


# ImportReport lives in records.report; it stays here because it is what `run` and
# `import_files` return, and callers import it from the engine.
__all__ = ["ImportReport", "Importer", "import_files"]

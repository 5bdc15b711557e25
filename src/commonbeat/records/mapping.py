"""Declarative source mappings: how one source format's columns and codes become a standard record.

A mapping names its columns' standard fields with small expression helpers (`text`, `date`,
`code`, ...). Each helper compiles to a DuckDB SQL expression over the raw text columns, plus a
check that yields a readable problem ("Date: not a date like 2024-01-31 ('31/02/2024')") when a
non-empty raw value cannot be read. The engine runs them all in one SQL statement, so an import
is as fast as the database can scan the file. See docs/mappings.md for a worked example.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from commonbeat.core.registry import Registry
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.sql import quote_ident, quote_literal


def _snippet(sql: str) -> str:
    # The raw value shown in a message, cut so that a runaway field cannot flood the report.
    return f"left({sql}, 60)"


@dataclass(frozen=True)
class Expr:
    """A standard value computed from raw columns, and the check that explains a failure."""

    sql: str
    columns: tuple[str, ...] = ()
    check: str | None = None  # SQL giving a problem message, or NULL when the value is fine
    python: tuple[str, ...] = ()  # vectorised Python functions the SQL calls (see engine.UDFS)


def raw(column: str) -> str:
    """Return SQL for a raw column's trimmed text, NULL when empty."""
    return f"NULLIF(TRIM({quote_ident(column)}), '')"


def _problem(column: str, condition: str, message: str, value_sql: str) -> str:
    prefix = quote_literal(f"{column}: {message} ('")
    suffix = quote_literal("')")
    return f"CASE WHEN {condition} THEN {prefix} || {_snippet(value_sql)} || {suffix} END"


def const(value: str | int | float | bool | None) -> Expr:
    """Return the same value for every row."""
    if value is None:
        return Expr("NULL")
    if isinstance(value, bool):
        return Expr("TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        return Expr(repr(value))
    return Expr(quote_literal(value))


def text(column: str, upper: bool = False) -> Expr:
    """Return the column's text, trimmed; empty becomes missing."""
    sql = raw(column)
    return Expr(f"upper({sql})" if upper else sql, (column,))


def sql(expression: str, *columns: str) -> Expr:
    """Return a hand-written SQL expression over raw columns (for the odd case helpers miss)."""
    return Expr(expression, columns)


def _bounds(parsed: str, minimum: float | None, maximum: float | None) -> tuple[str, str]:
    # SQL that is true when the value is out of range, and the range for the message.
    bounds = []
    if minimum is not None:
        bounds.append(f"{parsed} < {minimum}")
    if maximum is not None:
        bounds.append(f"{parsed} > {maximum}")
    label = f" in {minimum}..{maximum}" if bounds else ""
    return " OR ".join(bounds) or "FALSE", label


def integer(column: str, minimum: int | None = None, maximum: int | None = None) -> Expr:
    """Return a whole number; text, fractions and out-of-range values are problems."""
    value = raw(column)
    # Some exports write whole numbers as 34.0.
    parsed = f"TRY_CAST(TRY_CAST({value} AS DOUBLE) AS BIGINT)"
    exact = f"(TRY_CAST({value} AS DOUBLE) = {parsed})"
    out_of_range, label = _bounds(parsed, minimum, maximum)
    check = _problem(
        column,
        f"{value} IS NOT NULL AND ({parsed} IS NULL OR NOT {exact} OR {out_of_range})",
        "not a whole number" + label,
        value,
    )
    return Expr(f"CASE WHEN {exact} AND NOT ({out_of_range}) THEN {parsed} END", (column,), check)


def number(
    column: str, minimum: float | None = None, maximum: float | None = None, message: str = ""
) -> Expr:
    """Return a decimal number; anything else, or out of range, is a problem."""
    value = raw(column)
    parsed = f"TRY_CAST(replace({value}, ',', '') AS DOUBLE)"
    out_of_range, label = _bounds(parsed, minimum, maximum)
    check = _problem(
        column,
        f"{value} IS NOT NULL AND ({parsed} IS NULL OR {out_of_range})",
        message or ("not a number" + label),
        value,
    )
    return Expr(f"CASE WHEN NOT ({out_of_range}) THEN {parsed} END", (column,), check)


def latitude(column: str, zero_is_missing: bool = True) -> Expr:
    """Return a latitude; values outside -90..90 are impossible coordinates."""
    return _coordinate(column, 90, zero_is_missing)


def longitude(column: str, zero_is_missing: bool = True) -> Expr:
    """Return a longitude; values outside -180..180 are impossible coordinates."""
    return _coordinate(column, 180, zero_is_missing)


def _coordinate(column: str, limit: int, zero_is_missing: bool) -> Expr:
    base = number(column, -limit, limit, message=f"impossible coordinate, not in -{limit}..{limit}")
    # Many exports write 0 for "no location"; 0,0 is in the Gulf of Guinea.
    value = f"NULLIF({base.sql}, 0)" if zero_is_missing else base.sql
    return Expr(value, base.columns, base.check)


def _parse(value: str, formats: Sequence[str]) -> str:
    attempts = ", ".join(f"TRY_STRPTIME({value}, {quote_literal(f)})" for f in formats)
    return f"COALESCE({attempts})" if len(formats) > 1 else attempts


def _prepared(column: str, prepare: str) -> str:
    # `prepare` rewrites the raw text before parsing, e.g. "lpad({value}, 8, '0')" for a
    # date whose leading zero a spreadsheet dropped. Problems still quote the raw value.
    value = raw(column)
    return prepare.format(value=value) if prepare else value


def _parsed_value(
    column: str, formats: Sequence[str], message: str, prepare: str, prefix: str = ""
) -> tuple[str, str]:
    value = _prepared(column, prepare)
    if prefix:
        parsed = _parse(f"{quote_literal(prefix)} || {value}", [f"%Y-%m-%d {f}" for f in formats])
    else:
        parsed = _parse(value, formats)
    check = _problem(
        column,
        f"{raw(column)} IS NOT NULL AND {parsed} IS NULL",
        f"{message} like {formats[0]}",
        raw(column),
    )
    return parsed, check


def _local(parsed: str, time_zone: str | None, formats: Sequence[str]) -> str:
    # An instant (%z) shown in a zone's local clock; anything else is already local.
    if time_zone and any("%z" in f for f in formats):
        return f"timezone({quote_literal(time_zone)}, {parsed})"
    return parsed


def date(column: str, *formats: str, time_zone: str | None = None, prepare: str = "") -> Expr:
    """Return a date read with the first of the formats that fits (strptime codes).

    A value with an offset (%z) is an instant: with time_zone it gives that zone's local date.
    """
    formats = formats or ("%Y-%m-%d",)
    parsed, check = _parsed_value(column, formats, "not a date", prepare)
    return Expr(f"CAST({_local(parsed, time_zone, formats)} AS DATE)", (column,), check)


def time(column: str, *formats: str, time_zone: str | None = None, prepare: str = "") -> Expr:
    """Return a clock time read with the first of the formats that fits (local, as for date)."""
    formats = formats or ("%H:%M:%S", "%H:%M")
    is_instant = time_zone is not None and any("%z" in f for f in formats)
    parsed, check = _parsed_value(
        column, formats, "not a time", prepare, prefix="" if is_instant else "2000-01-01 "
    )
    return Expr(f"CAST({_local(parsed, time_zone, formats)} AS TIME)", (column,), check)


def datetime(column: str, *formats: str, time_zone: str | None = None, prepare: str = "") -> Expr:
    """Return an instant. Formats with %z carry their offset; others are local to time_zone."""
    formats = formats or ("%Y-%m-%d %H:%M:%S",)
    parsed, check = _parsed_value(column, formats, "not a date and time", prepare)
    if any("%z" in f for f in formats) or time_zone is None:
        return Expr(f"CAST({parsed} AS TIMESTAMPTZ)", (column,), check)
    return Expr(
        f"timezone({quote_literal(time_zone)}, CAST({parsed} AS TIMESTAMP))", (column,), check
    )


def combine(date_expr: Expr, time_expr: Expr, time_zone: str) -> Expr:
    """Return the instant of a local date and clock time (missing when either is)."""
    # DuckDB adds a TIME to a DATE (giving a TIMESTAMP), not to a TIMESTAMP.
    local = f"(CAST({date_expr.sql} AS DATE) + CAST({time_expr.sql} AS TIME))"
    return Expr(
        f"timezone({quote_literal(time_zone)}, {local})", date_expr.columns + time_expr.columns
    )


def code(
    column: str,
    codes: MappingType[str, str | None],
    other: str | None = "other",
    missing: str | None = None,
) -> Expr:
    """Return the standard code for the raw value, matched case-insensitively.

    Unlisted values become `other` (and are counted in the report); an empty value becomes
    `missing` (for demographics, "not_recorded").
    """
    value = f"lower({raw(column)})"
    branches = " ".join(
        f"WHEN {quote_literal(k.strip().lower())} THEN {quote_literal(v) if v is not None else 'NULL'}"
        for k, v in codes.items()
    )
    fallback = quote_literal(other) if other is not None else "NULL"
    empty = quote_literal(missing) if missing is not None else "NULL"
    return Expr(
        f"CASE WHEN {value} IS NULL THEN {empty} ELSE CASE {value} {branches} ELSE {fallback} END END",
        (column,),
    )


def boolean(
    column: str,
    true: Sequence[str] = ("y", "yes", "true", "t", "1"),
    false: Sequence[str] = ("n", "no", "false", "f", "0"),
) -> Expr:
    """Return true or false; other non-empty values are problems."""
    value = f"lower({raw(column)})"
    trues = ", ".join(quote_literal(t.lower()) for t in true)
    falses = ", ".join(quote_literal(f.lower()) for f in false)
    check = _problem(
        column,
        f"{value} IS NOT NULL AND {value} NOT IN ({trues}, {falses})",
        "not a yes/no value",
        raw(column),
    )
    return Expr(
        f"CASE WHEN {value} IN ({trues}) THEN TRUE WHEN {value} IN ({falses}) THEN FALSE END",
        (column,),
        check,
    )


def any_true(*exprs: Expr) -> Expr:
    """Return true when any is true, false when all are false, missing when all are missing."""
    parts = ", ".join(f"CAST({e.sql} AS INTEGER)" for e in exprs)
    columns = tuple(c for e in exprs for c in e.columns)
    checks = [e.check for e in exprs if e.check]
    return Expr(f"CAST(greatest({parts}) AS BOOLEAN)", columns, _join_checks(checks))


def _join_checks(checks: Sequence[str]) -> str | None:
    if not checks:
        return None
    # NULL, not '', when every part is fine: the engine treats any text as a problem.
    return "NULLIF(concat_ws(' | ', " + ", ".join(checks) + "), '')"


def state_plane_columns(epsg: int, x_column: str, y_column: str) -> tuple[str, str]:
    """Return the names of the latitude and longitude columns the engine adds for a conversion."""
    stem = f"__state_plane_{epsg}_{x_column}_{y_column}"
    return f"{stem}_lat", f"{stem}_lng"


def state_plane(x_column: str, y_column: str, epsg: int, part: str) -> Expr:
    """Return latitude or longitude (part) converted from State Plane x/y with pyproj.

    The engine converts every row's x/y in one vectorised pyproj call before the SQL runs.
    """
    lat_column, lng_column = state_plane_columns(epsg, x_column, y_column)
    x, y = raw(x_column), raw(y_column)
    check = _problem(
        x_column,
        f"{x} IS NOT NULL AND (TRY_CAST({x} AS DOUBLE) IS NULL OR TRY_CAST({y} AS DOUBLE) IS NULL)",
        "impossible State Plane coordinates",
        f"{x} || ',' || coalesce({y}, '')",
    )
    column = lat_column if part == "lat" else lng_column
    return Expr(
        quote_ident(column),
        (x_column, y_column),
        check,
        python=(f"state_plane:{epsg}:{x_column}:{y_column}",),
    )


@dataclass(frozen=True)
class Output:
    """One standard record type produced from each source row."""

    record_type: str
    fields: MappingType[str, Expr]
    key: Expr | None = None  # the source's identifier; row number within the file when None
    where: str | None = None  # SQL over raw columns: only rows that produce this record
    # A record written over several rows (one per subject, say): the first row with a key
    # produces it and later ones are continuations, not duplicates to reject.
    first_per_key: bool = False

    def __post_init__(self) -> None:
        schema = RECORD_TYPES[self.record_type]
        unknown = set(self.fields) - set(schema.names)
        if unknown:
            raise ValueError(f"{self.record_type} has no fields {sorted(unknown)}")


@dataclass(frozen=True)
class CsvFormat:
    """How the source's CSV files are laid out."""

    header: bool = True
    columns: tuple[str, ...] = ()  # the declared column list of a header-less file
    skip_data_rows: int = 0  # rows after the header to drop (a second, descriptive header)
    delimiter: str = ","
    encoding: str = "utf-8"
    null_values: tuple[str, ...] = ()


class Mapping:
    """A source format: how to recognise its files and turn their rows into standard records."""

    name: ClassVar[str]
    title: ClassVar[str]
    source: ClassVar[str]  # who published it and where
    licence: ClassVar[str]
    agency: ClassVar[str]
    # The IANA zone of the source's local times, when known. Releases record it for each agency
    # so the public side counts instants by local month; None when the source spans several
    # zones or does not say (an agency's own time zone in the database wins over it anyway).
    time_zone: ClassVar[str | None] = None
    # (latitude, longitude) of the place the source covers, for sources whose rows lack
    # coordinates: the veil-of-darkness analysis computes sunset and dusk there for stops with
    # no coordinates of their own and none in their area. None when the source covers several
    # places (data.police.uk) or its rows carry coordinates.
    centre: ClassVar[tuple[float, float] | None] = None
    csv: ClassVar[CsvFormat] = CsvFormat()
    # Columns whose presence in the header identifies the format (for header-less files,
    # a pattern on the file name).
    signature: ClassVar[tuple[str, ...]] = ()
    # Columns the file may leave out altogether (read as empty); the rest of the signature
    # must be present for the format to be recognised.
    optional_columns: ClassVar[frozenset[str]] = frozenset()
    filename_pattern: ClassVar[str] = ""
    outputs: ClassVar[Sequence[Output]] = ()
    # The roster mapping whose record ids this source's `officer_id`s are, when the publisher
    # shares identifiers between its files (the CCRB's allegations and officer files): its
    # officers are then the relational roster's `<roster>:<id>` (records/roster.py). None
    # when the ids are the roster's uid itself (the standard format) or name nobody we hold
    # (Chicago's accused file has ids of its own): never guessed from a matching number.
    officer_roster: ClassVar[str | None] = None

    @classmethod
    def partition(cls, path: Path) -> str:
        """Return the key a re-export of the same file keeps: by default its name."""
        name = path.name
        for suffix in (".gz", ".csv", ".txt"):
            name = name.removesuffix(suffix)
        return name

    @classmethod
    def agency_for(cls, path: Path) -> str:
        """Return the agency a file's records belong to: by default the mapping's."""
        return cls.agency

    @classmethod
    def required_columns(cls) -> set[str]:
        """Return every raw column the mapping reads that the file must have."""
        columns: set[str] = set()
        for output in cls.outputs:
            for expr in (*output.fields.values(), *([output.key] if output.key else [])):
                columns.update(expr.columns)
        return columns - cls.optional_columns


# Every source mapping, registered with `@register` in a module of records/mappings/, all of
# which RecordsConfig.ready() imports: adding a source is adding a file.
MAPPINGS: Registry[type[Mapping]] = Registry("source mappings", key=lambda cls: cls.name)
register = MAPPINGS.register


def all_mappings() -> dict[str, type[Mapping]]:
    """Return every registered mapping by name."""
    return dict(MAPPINGS)

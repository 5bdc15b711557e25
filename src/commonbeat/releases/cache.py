"""The public side's one door to published data: the current release, read with DuckDB.

Public pages and the public API never open the record store: they read releases only
(architecture.md, "The two sides of the data"). A release is immutable Parquet; reading it
directly for every request would scan millions of rows per page. So, once per release, we
build a *cache database* beside it: a DuckDB file holding

- a view per release table (`stop`, `call`, `crime`, ... ), reading the release's Parquet, and
- derived tables registered with `derived()` by the public apps, from modules their
  `AppConfig.ready()` imports: small cubes for the dashboards, sorted copies for the API's
  area queries, and the `coverage` table below.

Everything in it is computed from public release files only, so it is as public as they are.
The file is built once, under a file lock, to a temporary name and renamed into place, then
opened read-only by every server process (several processes may read one DuckDB file, but
only while nobody writes it). Its name includes a digest of the derived tables' SQL, so
changing a cube's definition builds a fresh file rather than serving a stale one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from django.conf import settings

from commonbeat.core.registry import Registry
from commonbeat.records.sql import quote_ident, quote_literal
from commonbeat.releases import budget
from commonbeat.releases.publish import listed_files, releases

CACHE_FORMAT = "1"
T = TypeVar("T")


@dataclass(frozen=True)
class Derived:
    """A table computed from release tables when the cache database is built."""

    name: str
    requires: tuple[str, ...]  # release tables it reads; skipped when one is absent
    # A SELECT over the release tables (and earlier derived tables), or a function of the
    # release returning one (to adapt to the tables and agencies it holds).
    sql: str | Callable[[Release], str]
    order_by: str = ""  # sort order, so DuckDB's zone maps skip row groups on range filters
    # Columns given an ART index, for point look-ups (`WHERE column = ?`) in a table that fits
    # in one row group, where zone maps cannot skip anything.
    indexes: tuple[str, ...] = ()


# Built in registration order, so a derived table may read one registered before it.
DERIVED: Registry[Derived] = Registry("derived tables", key=lambda item: item.name)


def derived(
    name: str,
    requires: Sequence[str],
    sql: str | Callable[[Release], str],
    order_by: str = "",
    indexes: Sequence[str] = (),
) -> Derived:
    """Register a derived table (at import time of a module its app's ready() imports)."""
    return DERIVED.register(Derived(name, tuple(requires), sql, order_by, tuple(indexes)))


def derived_tables() -> dict[str, Derived]:
    """Return every registered derived table by name, in registration order."""
    return dict(DERIVED)


def month_sql(release: Release, table: str) -> str:
    """Return the SQL for the local month (YYYY-MM) each record of a table belongs to."""
    if table == "call":
        return f"strftime({release.local_time_sql('received_at')}, '%Y-%m')"
    return {"complaint": "received_month"}.get(table, "occurred_month")


MONTH_TABLES = ("stop", "call", "crime", "force_incident", "complaint")


def _coverage_sql(release: Release) -> str:
    parts = [
        f"SELECT {quote_literal(name)} AS record_type, agency, count(*) AS records, "  # noqa: S608  manifest names and paths, quoted
        f"min({month_sql(release, name)}) AS first_month, "
        f"max({month_sql(release, name)}) AS last_month "
        f"FROM {quote_ident(name)} GROUP BY agency"
        for name in MONTH_TABLES
        if name in release.tables
    ]
    if not parts:
        return (
            "SELECT NULL::VARCHAR AS record_type, NULL::VARCHAR AS agency, 0::BIGINT AS records, "
            "NULL::VARCHAR AS first_month, NULL::VARCHAR AS last_month WHERE false"
        )
    return " UNION ALL ".join(parts)


derived("coverage", (), _coverage_sql)


class Release:
    """One published release, opened for reading through its cache database."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self.version: str = manifest["version"]
        self.tables: set[str] = set(manifest["tables"])
        self._local = threading.local()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self._documents: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Release {self.version}>"

    # Reading -------------------------------------------------------------------------------

    def has(self, table: str) -> bool:
        """Whether the release (or its cache) holds this table."""
        return table in self.tables or table in self._derived_present()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query (with `?` parameters) and return its rows."""
        return self._run(lambda cursor: cursor.execute(sql, list(params)).fetchall())

    def records(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only query and return its rows as dicts keyed by column name."""

        def fetch(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
            found = cursor.execute(sql, list(params))
            names = [d[0] for d in found.description or ()]
            return [dict(zip(names, row, strict=True)) for row in found.fetchall()]

        return self._run(fetch)

    def _run(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        # Within the request's time budget (budget.py); an interrupted cursor is dropped, and
        # the thread's next query opens a fresh one.
        cursor = self._cursor()
        try:
            return budget.run(cursor, work)
        except budget.QueryTimeout:
            self._local.cursor = None
            cursor.close()
            raise

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a query returning one value."""
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def coverage(self) -> list[dict[str, Any]]:
        """Return (record_type, agency, records, first_month, last_month) for every table."""
        return self.records("SELECT * FROM coverage ORDER BY record_type, agency")

    def agencies(self) -> list[str]:
        """Return the agency slugs with any records in this release."""
        return [row[0] for row in self.rows("SELECT DISTINCT agency FROM coverage ORDER BY 1")]

    def time_zone(self, agency: str) -> str:
        """Return the agency's IANA time zone as the release records it (UTC if unknown)."""
        zone: str = self.manifest.get("agencies", {}).get(agency, {}).get("time_zone") or "UTC"
        return zone

    def local_time_sql(self, column: str) -> str:
        """Return SQL turning an instant column into each row's agency-local timestamp."""
        # An agency without a known zone has its instants counted by UTC month (off by hours
        # at month ends only); clock-time figures refuse instead (records/zones.py).
        zones = {
            slug: entry["time_zone"]
            for slug, entry in self.manifest.get("agencies", {}).items()
            if entry.get("time_zone")
        }
        if not zones:
            return f"timezone('UTC', {column})"
        cases = " ".join(
            f"WHEN {quote_literal(slug)} THEN {quote_literal(zone)}"
            for slug, zone in sorted(zones.items())
        )
        return f"timezone(CASE agency {cases} ELSE 'UTC' END, {column})"

    def documents(self, section: str) -> list[str]:
        """Return the keys of a contributed section's documents (e.g. the agencies that have
        an equity report, under "equity")."""
        return sorted(self.manifest.get(section, {}))

    def document(self, section: str, key: str) -> Any:
        """Return a contributed JSON document, parsed, or None if the release has none.

        Read once per process: a release never changes.
        """
        entry = self.manifest.get(section, {}).get(key)
        if entry is None:
            return None
        with self._lock:
            if entry["path"] not in self._documents:
                text = self.file(entry["path"]).read_text(encoding="utf-8")
                self._documents[entry["path"]] = json.loads(text)
            return self._documents[entry["path"]]

    def file(self, relative: str) -> Path:
        """Return a file of the release by its manifest path; KeyError if it is not listed."""
        listed = {entry["path"] for entry in listed_files(self.manifest)} | {
            "manifest.json",
            "datapackage.json",
        }
        if relative not in listed:
            raise KeyError(relative)
        return self.path / relative

    # The cache database ---------------------------------------------------------------------

    def _derived_present(self) -> set[str]:
        return {
            name
            for name, item in derived_tables().items()
            if all(table in self.tables for table in item.requires)
        }

    def cache_path(self) -> Path:
        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for name, item in sorted(derived_tables().items()):
            sql = item.sql if isinstance(item.sql, str) else item.sql(self)
            parts = [name, item.requires, sql, item.order_by]
            if item.indexes:  # left out when empty, so existing caches keep their names
                parts.append(item.indexes)
            digest.update(json.dumps(parts).encode())
        cache_dir = Path(settings.RELEASE_CACHE_DIR)
        return cache_dir / f"{self.version}-{digest.hexdigest()[:12]}.duckdb"

    def ensure_cache(self) -> Path:
        """Build the cache database if it is missing (once, whichever process gets there)."""
        path = self.cache_path()
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not path.exists():
                    self._build_cache(path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return path

    def _build_cache(self, path: Path) -> None:
        staging = path.with_suffix(f".building-{os.getpid()}")
        staging.unlink(missing_ok=True)
        con = duckdb.connect(str(staging))
        try:
            for name, table in self.manifest["tables"].items():
                parquet = (self.path / table["files"]["parquet"]["path"]).resolve()
                con.execute(
                    f"CREATE VIEW {quote_ident(name)} AS "  # noqa: S608  manifest names and paths, quoted
                    f"SELECT * FROM read_parquet({quote_literal(str(parquet))})"
                )
            for name, item in derived_tables().items():
                if not all(table in self.tables for table in item.requires):
                    continue
                sql = item.sql if isinstance(item.sql, str) else item.sql(self)
                order = f" ORDER BY {item.order_by}" if item.order_by else ""
                # The SQL is a registered derived table's own, fixed in code.
                con.execute(f"CREATE TABLE {quote_ident(name)} AS SELECT * FROM ({sql}){order}")  # noqa: S608  manifest names and paths, quoted
                for column in item.indexes:
                    index = quote_ident(f"{name}__{column}")
                    con.execute(
                        f"CREATE INDEX {index} ON {quote_ident(name)} ({quote_ident(column)})"
                    )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(staging, path)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One read-only connection per release per process; one cursor per thread, because a
        # DuckDB cursor must not be shared between threads that query at the same time.
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            # The first request after publishing builds the cache, and others wait for it:
            # neither is counted against the request's time budget.
            with budget.paused(), self._lock:
                if self._connection is None:
                    self._connection = duckdb.connect(
                        str(self.ensure_cache()),
                        read_only=True,
                        config={"threads": settings.RELEASE_QUERY_THREADS},
                    )
                cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor


_cache_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "current": None, "by_version": {}}


def _releases_key() -> tuple[str, int]:
    folder = Path(settings.RELEASES_DIR)
    try:
        return (str(folder), folder.stat().st_mtime_ns)
    except FileNotFoundError:
        return (str(folder), 0)


def _refresh() -> None:
    # A new release is a new folder, which changes the releases folder's mtime: one stat per
    # request tells us whether to look again.
    key = _releases_key()
    with _cache_lock:
        if _cache["key"] == key:
            return
        folder = Path(settings.RELEASES_DIR)
        known: dict[str, Release] = _cache["by_version"]
        fresh: dict[str, Release] = {}
        for manifest in releases(folder):
            version = manifest["version"]
            fresh[version] = known.get(version) or Release(folder / version, manifest)
        _cache["by_version"] = fresh
        _cache["current"] = next(iter(fresh.values()), None)  # releases() is newest first
        _cache["key"] = key


def current_release() -> Release | None:
    """Return the newest release, or None when nothing has been published."""
    _refresh()
    current: Release | None = _cache["current"]
    return current


def get_release(version: str) -> Release | None:
    """Return a release by version, or None."""
    _refresh()
    found: Release | None = _cache["by_version"].get(version)
    return found


def all_releases() -> list[Release]:
    """Return every release, newest first."""
    _refresh()
    return list(_cache["by_version"].values())


def forget_releases() -> None:
    """Drop what this process knows about releases (tests switch RELEASES_DIR)."""
    with _cache_lock:
        for release in _cache["by_version"].values():
            if release._connection is not None:
                release._connection.close()
        _cache.update({"key": None, "current": None, "by_version": {}})

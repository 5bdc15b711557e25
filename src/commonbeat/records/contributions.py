"""What an app contributes to a release, and the context it writes through.

Publication (releases/publish.py) owns the one road from the private side to the public side:
a staging folder, the manifest, checksums, the data package and the atomic rename. It does not
know what goes in. Each app registers a `Contributor` in `CONTRIBUTORS` from its
`AppConfig.ready()`: records contributes its public tables and aggregates (records/release.py),
insights each agency's equity report (insights/release.py), and later apps their own public
aggregates. Contributors run in registration order (INSTALLED_APPS order, lower layers first)
and write only through the `ReleaseContext`, which checksums every file it writes.

The registry lives here, at the bottom of the data layers, so that insights (below releases)
can contribute without importing the layer that calls it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from commonbeat.core import csvsafe
from commonbeat.core.registry import Registry
from commonbeat.records.privacy import PublicField, Treatment, private_names
from commonbeat.records.sources import file_sha256
from commonbeat.records.sql import quote_literal
from commonbeat.records.store import RecordStore
from commonbeat.records.zones import TimeZoneError, agency_time_zones, sources_by_agency


class PublishError(Exception):
    """Publication could not go ahead; the message says why."""


@dataclass
class ReleaseContext:
    """One release being written: where, under which privacy settings, and what so far."""

    store: RecordStore
    con: duckdb.DuckDBPyConnection  # the record store, open for the whole publication
    staging: Path  # the release folder until it is renamed into place
    version: str
    created: datetime
    grid_metres: float
    min_count: int
    time_zones: Mapping[str, str]  # agency slug -> IANA zone, as the database knows them
    # What the rows carry (hours, coarser cells, person rows), and the largest share of a
    # table about people that may be unique on its quasi-identifiers (records/disclosure.py).
    treatment: Treatment = field(default_factory=Treatment)
    max_unique_share: float = 0.05
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Record types whose rows or counts the release carries (decides the agencies it lists).
    record_types: set[str] = field(default_factory=set)
    _agencies: tuple[frozenset[str], dict[str, dict[str, Any]]] | None = None

    def write_table(
        self,
        name: str,
        query: str,
        fields: list[PublicField],
        primary_key: list[str],
        description: str,
        kind: str = "records",
        record_types: Collection[str] = (),
        agencies: Collection[str] = (),
    ) -> dict[str, Any]:
        """Write a query's rows as `data/<name>.csv` and `.parquet`; list it in the manifest.

        `record_types` names the record types its rows come from, which decide its licences
        (the sources' and agencies' that supplied them; releases/licensing.py); `agencies`
        names agencies whose own workflow records (the ORM's, not imported) it is made from,
        which add their licences."""
        files: dict[str, dict[str, Any]] = {}
        # The CSV's text cells are neutralised against spreadsheet formulas (core/csvsafe.py);
        # the Parquet file keeps the true values.
        for fmt, source, options in (
            ("csv", csvsafe.safe_select(self.con, query), "FORMAT csv, HEADER true"),
            ("parquet", query, "FORMAT parquet, COMPRESSION zstd"),
        ):
            relative = f"data/{name}.{fmt}"
            target = quote_literal(str(self.staging / relative))
            self.con.execute(f"COPY ({source}) TO {target} ({options})")
            files[fmt] = self._listed(relative)
        parquet = quote_literal(str(self.staging / files["parquet"]["path"]))
        # fetchall, not fetchone: a result left unfinished blocks the next contributor's work
        # on this shared connection.
        found = self.con.execute(f"SELECT count(*) FROM read_parquet({parquet})").fetchall()  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        table = {
            "rows": found[0][0] if found else 0,
            "files": files,
            "fields": fields,
            "primary_key": primary_key,
            "description": description,
            "kind": kind,
            "record_types": sorted(record_types),
            "agencies": sorted(agencies),
        }
        self.tables[name] = table
        return table

    def write_json(self, relative: str, data: Any) -> dict[str, Any]:
        """Write a JSON document into the release; return its path, checksum and size.

        A document naming a private field (schema.py) anywhere in its keys is refused: what a
        contributor publishes beside the tables must be aggregate figures only.
        """
        leaked = sorted(private_names(data))
        if leaked:
            raise PublishError(
                f"{relative} names private fields ({', '.join(leaked)}); "
                "a release may carry aggregate figures only."
            )
        path = self.staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return self._listed(relative)

    def agencies(self) -> dict[str, dict[str, Any]]:
        """Return the manifest's `agencies`: each agency of the published record types, with
        its time zone and where that came from (records/zones.py)."""
        key = frozenset(self.record_types)
        if self._agencies is None or self._agencies[0] != key:
            sources = sources_by_agency(self.con, set(key))
            try:
                self._agencies = (key, agency_time_zones(sources, self.time_zones))
            except TimeZoneError as exc:
                raise PublishError(str(exc)) from exc
        return self._agencies[1]

    def _listed(self, relative: str) -> dict[str, Any]:
        path = self.staging / relative
        return {"path": relative, "sha256": file_sha256(path), "bytes": path.stat().st_size}


@dataclass(frozen=True)
class Contributor:
    """Something an app adds to every release.

    `contribute(context)` writes through the context. Where `section` is set, what it returns
    is stored in the manifest under that key (files listed there as {"path", "sha256",
    "bytes"} are checksummed with the rest); a contributor left out of a publication still
    gets its section, empty, so readers always find the key.
    """

    name: str
    contribute: Callable[[ReleaseContext], Mapping[str, Any] | None]
    section: str | None = None
    # Lines the `publish` command prints about the section it wrote.
    describe: Callable[[Mapping[str, Any]], list[str]] | None = None


CONTRIBUTORS: Registry[Contributor] = Registry("release contributors", key=lambda c: c.name)

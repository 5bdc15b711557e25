"""The record store: Parquet files, one set per source partition, listed by a catalog.

The catalog (`catalog.json`) is the only thing readers trust: a file not listed there does not
exist for them. An import writes its new files under fresh names, then replaces the catalog in
one atomic rename, then deletes the files it superseded. A crash at any point leaves either the
old catalog (and some orphan files, removed by `prune`) or the new one, never a mix.

Layout, readable by DuckDB, Spark or Trino alike (Hive-style directories):
    <root>/<record_type>/source=<mapping>/partition=<key>/<import id>.parquet
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from commonbeat.records.schema import RECORD_TYPES, SQL_TYPES
from commonbeat.records.sql import quote_literals

CATALOG = "catalog.json"
_write_lock = threading.Lock()


@dataclass(frozen=True)
class PartitionFile:
    record_type: str
    path: str  # relative to the store root
    rows: int


class RecordStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # Reading -------------------------------------------------------------------------------

    def catalog(self) -> dict[str, Any]:
        """Return the catalog: every partition with its checksum and files."""
        path = self.root / CATALOG
        if not path.exists():
            return {"partitions": {}}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def files(self, record_type: str) -> list[Path]:
        """Return the Parquet files holding a record type, as the catalog lists them."""
        found = []
        for partition in self.catalog()["partitions"].values():
            for entry in partition["files"]:
                if entry["record_type"] == record_type:
                    found.append(self.root / entry["path"])
        return sorted(found)

    def count(self, record_type: str) -> int:
        """Return how many records of a type the store holds."""
        return sum(
            entry["rows"]
            for partition in self.catalog()["partitions"].values()
            for entry in partition["files"]
            if entry["record_type"] == record_type
        )

    def connect(self, memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
        """Return a DuckDB connection with one view per record type over the listed files."""
        con = duckdb.connect(config={"memory_limit": memory_limit})
        for name, record_type in RECORD_TYPES.items():
            files = self.files(name)
            if files:
                con.execute(
                    f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{quote_literals(files)}], union_by_name = true, filename = true)"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
                )
            else:
                columns = ", ".join(
                    f'CAST(NULL AS {SQL_TYPES[f.type]}) AS "{f.name}"' for f in record_type.fields
                )
                con.execute(f"CREATE VIEW {name} AS SELECT {columns} WHERE FALSE")
        return con

    # Writing -------------------------------------------------------------------------------

    def new_file(
        self, record_type: str, mapping: str, partition: str, import_id: str
    ) -> tuple[Path, str]:
        """Return the absolute and store-relative path for a new partition file."""
        relative = (
            f"{record_type}/source={mapping}/partition={_safe(partition)}/{import_id}.parquet"
        )
        absolute = self.root / relative
        absolute.parent.mkdir(parents=True, exist_ok=True)
        return absolute, relative

    @contextmanager
    def transaction(self) -> Iterator[dict[str, Any]]:
        """Yield the catalog to change; on success it replaces the old one atomically."""
        with _write_lock:
            self.root.mkdir(parents=True, exist_ok=True)
            catalog = self.catalog()
            before = {p: [e["path"] for e in v["files"]] for p, v in catalog["partitions"].items()}
            yield catalog
            handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".catalog-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(catalog, stream, indent=1, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.root / CATALOG)
            after = {e["path"] for v in catalog["partitions"].values() for e in v["files"]}
            for paths in before.values():
                for path in paths:
                    if path not in after:
                        (self.root / path).unlink(missing_ok=True)

    def prune(self) -> int:
        """Delete Parquet files the catalog does not list (left by an interrupted import)."""
        listed = {
            (self.root / e["path"]).resolve()
            for v in self.catalog()["partitions"].values()
            for e in v["files"]
        }
        removed = 0
        for path in self.root.rglob("*.parquet"):
            if path.resolve() not in listed:
                path.unlink()
                removed += 1
        return removed

    def clear(self) -> None:
        """Remove the whole store (tests and `demo --replace` only)."""
        shutil.rmtree(self.root, ignore_errors=True)


def _safe(partition: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in partition)[:120]


def default_store() -> RecordStore:
    """Return the store configured for this deployment (under VAR_DIR unless RECORD_STORE)."""
    from django.conf import settings

    return RecordStore(Path(settings.RECORD_STORE_DIR))

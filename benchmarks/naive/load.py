"""Load a Commonbeat release's stops and calls into the naive baseline's SQLite database.

Run as `python -m naive.load RELEASE_DIR` with `benchmarks/` on the path and NAIVE_DATABASE
set. How the rows get in is not what the benchmark measures: the tables are made by Django
(`migrate --run-syncdb`), their indexes are dropped during the load and made again after it,
and the rows go in with sqlite3's `executemany`, read from the release's Parquet by DuckDB.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

BATCH = 50_000


def _select(model: type, parquet: Path) -> tuple[list[str], str]:
    """Return the model's columns and the DuckDB query giving them from the Parquet file."""
    names, exprs = [], []
    for field in model._meta.concrete_fields:  # type: ignore[attr-defined]
        if field.primary_key:
            continue
        column, kind = field.column, field.get_internal_type()
        names.append(column)
        if kind == "DateTimeField":
            # Django keeps aware datetimes in SQLite as UTC text.
            exprs.append(f"strftime(timezone('UTC', \"{column}\"), '%Y-%m-%d %H:%M:%S')")
        elif kind == "CharField" and not field.null:
            exprs.append(f"coalesce(CAST(\"{column}\" AS VARCHAR), '')")
        else:
            exprs.append(f'"{column}"')
    return names, f"SELECT {', '.join(exprs)} FROM read_parquet('{parquet}')"


def load(release: Path, database: Path) -> dict[str, float]:
    import django
    import duckdb
    from django.core.management import call_command

    django.setup()
    from naive.models import Call, Stop

    database.unlink(missing_ok=True)
    call_command("migrate", run_syncdb=True, verbosity=0)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    sqlite = sqlite3.connect(database)
    sqlite.execute("PRAGMA journal_mode = OFF")
    sqlite.execute("PRAGMA synchronous = OFF")
    source = duckdb.connect(config={"threads": 1, "memory_limit": "1GB"})
    timings = {}
    try:
        for model, table in ((Stop, "stop"), (Call, "call")):
            started = time.perf_counter()
            name = model._meta.db_table
            indexes = sqlite.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                (name,),
            ).fetchall()
            for index, _sql in indexes:
                sqlite.execute(f'DROP INDEX "{index}"')
            parquet = release / manifest["tables"][table]["files"]["parquet"]["path"]
            columns, query = _select(model, parquet)
            insert = (
                f'INSERT INTO "{name}" ({", ".join(columns)}) '
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            reader = source.sql(query).to_arrow_reader(BATCH)
            for batch in reader:
                values = [column.to_pylist() for column in batch.columns]
                sqlite.executemany(insert, zip(*values, strict=True))
            sqlite.commit()
            loaded = time.perf_counter()
            for _index, sql in indexes:
                sqlite.execute(sql)
            sqlite.execute(f'ANALYZE "{name}"')
            sqlite.commit()
            timings[table] = loaded - started
            timings[f"{table} indexes"] = time.perf_counter() - loaded
    finally:
        source.close()
        sqlite.close()
    return timings


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naive.settings")
    database = Path(os.environ["NAIVE_DATABASE"])
    print(json.dumps(load(Path(sys.argv[1]), database)))

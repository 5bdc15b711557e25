"""Small helpers shared by the source tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb


def row_reader(con: duckdb.DuckDBPyConnection) -> Callable[[str], tuple[Any, ...]]:
    """Return a function giving the first row of a query, failing the test if there is none."""

    def one(query: str) -> tuple[Any, ...]:
        row = con.execute(query).fetchone()
        assert row is not None, f"no row for: {query}"
        return row

    return one

"""SQL quoting: the one place identifiers and literals are turned into SQL text.

The record store, the analyses and the release cache build SQL over DuckDB views whose column
names come from schemas and mappings, not from requests; request values always travel as `?`
parameters. Everything that must splice a name or a fixed value into SQL quotes it here.
"""

from __future__ import annotations

from collections.abc import Iterable


def quote_ident(name: str) -> str:
    """Return a column or table name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: object) -> str:
    """Return a value's text quoted as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def quote_literals(values: Iterable[object]) -> str:
    """Return values as a comma-separated list of SQL string literals (for `IN (...)`)."""
    return ", ".join(quote_literal(value) for value in values)

"""Changing the audit log behind the application's back, as a database-level attacker would.

On PostgreSQL the log's triggers (core migration 0008) refuse such writes; `as_owner` first
disables them, as a role that owns the tables can, so the tests see what the key and the
published heads still catch. The test's transaction undoes it all.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

AUDIT_TABLES = ("core_auditentry", "core_audithead")


def raw_sql(sql: str, params: list[Any] | None = None) -> None:
    """Run one statement with the application's connection, triggers and all."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def as_owner(sql: str, params: list[Any] | None = None) -> None:
    """Run one statement as the tables' owner would: with the log's triggers disabled."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                for table in AUDIT_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

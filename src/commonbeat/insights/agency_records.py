"""The agency's records beyond its stops (force, complaints), read over the stops' period.

`force.py` (force rates) and `sustained.py` (complaint sustained rates) read the agency's force or
complaint records over the stops' period: the selection's agency (or the agencies of the selected
stops) and the dates of the first and last stop (or the selection's dates when there are no
stops). This module holds what the two share.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.results import Filter, text
from commonbeat.insights.stops import Dataset
from commonbeat.records.sql import quote_literal, quote_literals


def agency_list(dataset: Dataset) -> str:
    """The agencies whose records are read, as an SQL list for `IN (...)`; NULL (matching
    nothing) when there are none."""
    names = [dataset.selection.agency] if dataset.selection.agency else list(dataset.agencies)
    return quote_literals(names) or "NULL"


def period(dataset: Dataset) -> tuple[date | None, date | None]:
    """The stops' period; the selection's dates where there are no stops."""
    return (
        dataset.first_date or dataset.selection.start,
        dataset.last_date or dataset.selection.end,
    )


def period_diagnostics(start: date | None, end: date | None) -> dict[str, Any]:
    return {
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
    }


def count(con: duckdb.DuckDBPyConnection, relation: str, condition: str = "TRUE") -> int:
    row = con.execute(f"SELECT count(*) FROM {relation} WHERE {condition}").fetchone()  # noqa: S608  the callers' fixed relations and conditions
    return int(row[0]) if row else 0


def date_filters(column: str, start: date | None, end: date | None) -> list[Filter]:
    """The filter keeping the records dated in the stops' period (none when it is open)."""
    if start is None and end is None:
        return []
    parts = []
    if start:
        parts.append(f"{column} >= DATE {quote_literal(start.isoformat())}")
    if end:
        parts.append(f"{column} <= DATE {quote_literal(end.isoformat())}")
    return [
        Filter(
            " AND ".join(parts),
            text(
                N_("Kept records dated from %(start)s to %(end)s"),
                start=start.isoformat() if start else "-",
                end=end.isoformat() if end else "-",
            ),
            text(N_("The period of the selected stops, so that the figures cover the same time.")),
        )
    ]

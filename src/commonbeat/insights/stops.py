"""The stops an equity analysis reads: one standard view over the record store's `stop` table.

`select_stops()` defines the temporary view `equity_stops` on a record-store connection, holding
one agency's (or source's) stops in a date range with the columns every analysis uses. Each
analysis then filters that view through its own `DecisionLog`, so the log starts from the same
rows for every analysis of a dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.results import Text, coverage, text
from commonbeat.records.sql import quote_literal

STOPS = "equity_stops"

# Columns of the view. `area` is the analysis area: the Commonbeat neighbourhood where the
# records have one, else the agency's own area code (precinct, beat, county).
COLUMNS = (
    "record_id",
    "agency",
    "source",
    "occurred_date",
    "occurred_time",
    "latitude",
    "longitude",
    "area",
    "subject_race",
    "stop_type",
    "search_conducted",
    "contraband_found",
    "frisk_performed",
    "outcome",
)


# The stop fields an analysis may use as its areas, with what each holds.
AREA_FIELDS = {
    "neighbourhood": "the Commonbeat neighbourhood containing the stop",
    "area": "the agency's own area code as recorded (precinct, district, beat)",
}


@dataclass(frozen=True)
class Selection:
    """Which stops to analyse. Empty means all."""

    agency: str = ""
    sources: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None  # inclusive
    # The field giving each stop's area (AREA_FIELDS); blank: the neighbourhood where the
    # records have one, else the agency's own area code.
    area_field: str = ""

    def where(self) -> tuple[str, list[Any]]:
        parts: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.agency:
            parts.append("agency = ?")
            params.append(self.agency)
        if self.sources:
            parts.append(f"source IN ({', '.join('?' for _ in self.sources)})")
            params.extend(self.sources)
        if self.start:
            parts.append("occurred_date >= ?")
            params.append(self.start)
        if self.end:
            parts.append("occurred_date <= ?")
            params.append(self.end)
        return " AND ".join(parts), params


@dataclass
class Dataset:
    """What was selected: the facts every result's header repeats."""

    selection: Selection
    rows: int
    first_date: date | None
    last_date: date | None
    agencies: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    area_field: str = ""  # neighbourhood | area | "" (no areas recorded)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.selection.agency,
            "rows": self.rows,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "agencies": self.agencies,
            "sources": self.sources,
            "area_field": self.area_field,
        }


def select_stops(con: duckdb.DuckDBPyConnection, selection: Selection) -> Dataset:
    """Define the `equity_stops` view for `selection` and describe what it holds."""
    where, params = selection.where()
    # Parameters cannot be bound inside a view definition, so the selection's values are
    # written into it as quoted SQL literals.
    literal = _inline(where, params)
    (counts,) = con.execute(
        f"""SELECT count(*), count(neighbourhood), count(NULLIF(area, '')),
                   min(occurred_date), max(occurred_date),
                   list(DISTINCT agency ORDER BY agency), list(DISTINCT source ORDER BY source)
            FROM stop WHERE {literal}"""  # noqa: S608  the selection's values inlined as quoted literals
    ).fetchall()
    rows, with_neighbourhood, with_area, first, last, agencies, sources = counts
    if selection.area_field:
        if selection.area_field not in AREA_FIELDS:
            raise ValueError(
                f"{selection.area_field!r} is not an area field; usable: {', '.join(AREA_FIELDS)}"
            )
        area_field = selection.area_field
    else:
        area_field = "neighbourhood" if with_neighbourhood else ("area" if with_area else "")
    area = f"NULLIF({area_field}, '')" if area_field else "CAST(NULL AS VARCHAR)"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {STOPS} AS
            SELECT record_id, agency, source, occurred_date, occurred_time, latitude, longitude,
                   {area} AS area, subject_race, stop_type, search_conducted, contraband_found,
                   frisk_performed, outcome
            FROM stop WHERE {literal}"""  # noqa: S608  the selection's values inlined as quoted literals
    )
    return Dataset(
        selection, int(rows), first, last, list(agencies or []), list(sources or []), area_field
    )


def _inline(where: str, params: list[Any]) -> str:
    for value in params:
        cast = "::DATE" if isinstance(value, date) else ""
        where = where.replace("?", f"{quote_literal(value)}{cast}", 1)
    return where


def searches_problem(con: duckdb.DuckDBPyConnection) -> Text | None:
    """Why the selected stops cannot support an analysis of searches and finds, or None.

    The outcome and threshold tests both need stops that say whether the person was searched
    and searches that say whether contraband was found.
    """
    (row,) = con.execute(
        f"""SELECT count(*), count(search_conducted), count(*) FILTER (WHERE search_conducted),
                   count(*) FILTER (WHERE search_conducted AND contraband_found IS NOT NULL)
            FROM {STOPS}"""  # noqa: S608  fixed view name
    ).fetchall()
    rows, recorded, searches, with_result = (int(v) for v in row)
    if rows == 0:
        return text(N_("No stops were selected, so there are no searches to examine."))
    if recorded == 0:
        return text(N_("These stop records do not say whether the person was searched."))
    if searches == 0:
        return text(N_("No search is recorded among the selected stops."))
    if with_result == 0:
        return text(N_("No search has a recorded result (whether contraband was found)."))
    return None


def search_coverage(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Coverage of what the outcome and threshold tests read: whether the person was searched
    and their race, among the stops; the contraband result among the searches, since stops
    without a search have no result by definition."""
    fields = coverage(con, STOPS, ["search_conducted", "subject_race"])
    fields |= coverage(con, f"(SELECT * FROM {STOPS} WHERE search_conducted)", ["contraband_found"])  # noqa: S608  fixed view name
    return fields

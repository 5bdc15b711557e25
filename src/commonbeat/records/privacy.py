"""Privacy treatments: what a release may carry of each record type, and names it never may.

Driven by each field's `private`/`privacy` marks in schema.py:
- private fields are dropped (names, birth years, badge numbers, officer identifiers,
  narratives, raw addresses, exact instants);
- latitude/longitude are snapped to the centre of a square grid cell (`publish --grid-metres`,
  250 m), and rows about people outside any neighbourhood to a coarser one
  (PUBLISH_PERSON_GRID_METRES);
- dates marked "month" are published as the month (`occurred_month` = "2025-03");
- times marked "hour" are published as the hour (`occurred_hour` = 14), only for the record
  types in PUBLISH_HOUR_TABLES;
- ages are published in data.police.uk's bands, officers' service in bands of years.

How unique the published rows remain is measured, and held to a threshold, by
records/disclosure.py (docs/disclosure.md).

Small counts are suppressed where aggregates are written (records/release.py). Publication
(releases/publish.py) applies these; the data dictionary and the API tables read them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commonbeat.records.schema import RECORD_TYPES, Field, RecordType
from commonbeat.records.sql import quote_ident

METRES_PER_DEGREE = 111_320.0


# data.police.uk's age ranges, which its stop-and-search rows carry instead of ages.
AGE_BANDS = ("under 10", "10-17", "18-24", "25-34", "over 34")
# Officers' years of service, in bands: exact service (to a tenth of a year, in some sources)
# picks out one officer in a roster.
SERVICE_BANDS = ("0-2", "3-5", "6-10", "11-20", "over 20")


@dataclass(frozen=True)
class PublicField:
    name: str
    type: str
    description: str
    sql: str  # how the value is computed from the private table
    # Generalised from a schema field marked quasi_identifier (records/disclosure.py).
    quasi_identifier: bool = False


@dataclass(frozen=True)
class Treatment:
    """The operator's choices that change what a release's rows carry (settings.md)."""

    grid_metres: float = 250.0
    # Where a table about people has a point but no neighbourhood, it is snapped to this
    # coarser grid: a 250 m cell alone, in a sparse place, is one street.
    person_grid_metres: float = 1000.0
    hour_tables: frozenset[str] = frozenset()  # record types published with the hour of day
    person_rows: frozenset[str] = frozenset()  # publish_rows=False types published row-level

    def publishes_rows(self, record_type: RecordType) -> bool:
        """Return whether a release carries this type's rows (not only its counts)."""
        return record_type.publish_rows or record_type.name in self.person_rows


def public_fields(
    record_type: RecordType, grid_metres: float, treatment: Treatment | None = None
) -> list[PublicField]:
    """Return the columns a release carries for a record type, with the SQL that makes them."""
    treatment = treatment or Treatment(grid_metres=grid_metres)
    out = []
    for item in record_type.fields:
        column = quote_ident(item.name)
        quasi = item.quasi_identifier
        if item.privacy == "drop" or (item.private and item.privacy not in ("location",)):
            continue
        if item.privacy == "location":
            out.append(_snapped(item, record_type, treatment))
        elif item.privacy == "month":
            name = item.name.removesuffix("_date") + "_month"
            out.append(
                PublicField(
                    name,
                    "string",
                    _month_description(item),
                    f"strftime({column}, '%Y-%m')",
                    quasi,
                )
            )
        elif item.privacy == "hour":
            if record_type.name not in treatment.hour_tables:
                continue
            name = item.name.removesuffix("_time") + "_hour"
            out.append(
                PublicField(
                    name,
                    "integer",
                    f"Hour of day (0-23) of: {item.description}",
                    f"hour({column})",
                    quasi,
                )
            )
        elif item.privacy == "age_band":
            out.append(_age_band(item, quasi))
        elif item.privacy == "service_band":
            out.append(_service_band(item, quasi))
        else:
            out.append(PublicField(item.name, item.type, item.description, column, quasi))
    return out


def _age_band(item: Field, quasi: bool) -> PublicField:
    # The source's own range where it gave no age (it cannot be split); else the band of the
    # age, so that "18 - 25" and 23 both come out in the same bands as data.police.uk's.
    age = quote_ident(item.name.removesuffix("_range"))
    sql = (
        f"CASE WHEN {age} IS NULL THEN {quote_ident(item.name)} "
        f"WHEN {age} < 10 THEN 'under 10' WHEN {age} < 18 THEN '10-17' "
        f"WHEN {age} < 25 THEN '18-24' WHEN {age} < 35 THEN '25-34' ELSE 'over 34' END"
    )
    description = (
        f"{item.description} Where the age is known, its band instead: ages are published "
        f"only in the bands {', '.join(AGE_BANDS)} (as data.police.uk), for privacy."
    )
    return PublicField(item.name, "string", description, sql, quasi)


def _service_band(item: Field, quasi: bool) -> PublicField:
    column = quote_ident(item.name)
    sql = (
        f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} < 3 THEN '0-2' "
        f"WHEN {column} < 6 THEN '3-5' WHEN {column} < 11 THEN '6-10' "
        f"WHEN {column} < 21 THEN '11-20' ELSE 'over 20' END"
    )
    description = (
        f"{item.description} In bands of whole years ({', '.join(SERVICE_BANDS)}) for privacy."
    )
    return PublicField(f"{item.name}_band", "string", description, sql, quasi)


def _month_description(item: Field) -> str:
    return f"Month (YYYY-MM) of: {item.description} Generalised from the date for privacy."


def _snapped(item: Field, record_type: RecordType, treatment: Treatment) -> PublicField:
    grid = treatment.grid_metres
    sql = _cell_centre(item.name, grid)
    description = f"{item.description} Snapped to the centre of a {grid:g} m grid cell for privacy."
    if record_type.about_people and "neighbourhood" in record_type.names:
        # A person's 250 m cell, month, age, gender and race single out most people stopped,
        # so rows about people carry their neighbourhood's point instead: the grid cell of the
        # mean place of the table's rows in that neighbourhood. Rows in no neighbourhood get
        # a coarser cell.
        coarse = treatment.person_grid_metres
        mean = "OVER (PARTITION BY agency, neighbourhood)"
        sql = (
            "CASE WHEN neighbourhood IS NOT NULL THEN "
            f"{_cell_centre(item.name, grid, f'avg(latitude) {mean}', f'avg(longitude) {mean}')} "
            f"ELSE {_cell_centre(item.name, max(coarse, grid))} END"
        )
        description = (
            f"{item.description} For privacy, the centre of the {grid:g} m grid cell holding "
            "the mean place of the neighbourhood's rows (one point per neighbourhood), or, "
            f"outside any neighbourhood, of the {max(coarse, grid):g} m cell holding the point."
        )
    return PublicField(
        item.name,
        "number",
        description,
        f"CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL THEN {sql} END",
        item.quasi_identifier,
    )


def _cell_centre(
    name: str, grid_metres: float, latitude: str = "latitude", longitude: str = "longitude"
) -> str:
    # Latitude cells are grid_metres tall; longitude cells are grid_metres wide at the cell's
    # latitude. Each point is replaced by its cell's centre, so nearby events share one point.
    step_lat = grid_metres / METRES_PER_DEGREE
    lat_cell = f"(floor({latitude} / {step_lat!r}) + 0.5) * {step_lat!r}"
    if name == "latitude":
        return f"round({lat_cell}, 6)"
    step_lng = f"({grid_metres!r} / ({METRES_PER_DEGREE!r} * cos(radians({lat_cell}))))"
    return f"round((floor({longitude} / {step_lng}) + 0.5) * {step_lng}, 6)"


# Names a report must never carry: identifiers of records and people, and exact places.
# "location" and "description" are left out: they are also plain words an analysis uses for its
# own aggregates (the darkness test's kind of location), and the stop view the analyses read
# (insights/stops.py) carries neither raw field.
PRIVATE_NAMES = frozenset(
    {"record_id", "parent_id"}
    | {f.name for rt in RECORD_TYPES.values() for f in rt.fields if f.private}
) - {"location", "description"}
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def private_names(value: Any, key: str = "") -> set[str]:
    """Return the private field names used as keys anywhere in a report.

    The coverage block is the exception: its keys name fields whose share of missing values
    was measured (e.g. latitude), which says nothing about any record.
    """
    found: set[str] = set()
    if isinstance(value, Mapping):
        for name, item in value.items():
            if key != "coverage" and name in PRIVATE_NAMES:
                found.add(str(name))
            found |= private_names(item, str(name))
    elif isinstance(value, list):
        for item in value:
            found |= private_names(item, key)
    if key == "columns" and isinstance(value, list):
        found |= {
            c["key"] for c in value if isinstance(c, Mapping) and c.get("key") in PRIVATE_NAMES
        }
    return found

"""Privacy treatments: what a release may carry of each record type, and names it never may.

Driven by each field's `private`/`privacy` marks in schema.py:
- private fields are dropped (names, birth years, badge numbers, officer identifiers,
  narratives, raw addresses, exact instants);
- latitude/longitude are snapped to the centre of a square grid cell (PUBLISH_GRID_METRES);
- dates marked "month" are published as the month (`occurred_month` = "2025-03");
- times marked "hour" are published as the hour (`occurred_hour` = 14).

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


@dataclass(frozen=True)
class PublicField:
    name: str
    type: str
    description: str
    sql: str  # how the value is computed from the private table


def public_fields(record_type: RecordType, grid_metres: float) -> list[PublicField]:
    """Return the columns a release carries for a record type, with the SQL that makes them."""
    out = []
    for item in record_type.fields:
        column = quote_ident(item.name)
        if item.privacy == "drop" or (item.private and item.privacy not in ("location",)):
            continue
        if item.privacy == "location":
            out.append(_snapped(item, grid_metres))
        elif item.privacy == "month":
            name = item.name.removesuffix("_date") + "_month"
            out.append(
                PublicField(
                    name, "string", _month_description(item), f"strftime({column}, '%Y-%m')"
                )
            )
        elif item.privacy == "hour":
            name = item.name.removesuffix("_time") + "_hour"
            out.append(
                PublicField(
                    name, "integer", f"Hour of day (0-23) of: {item.description}", f"hour({column})"
                )
            )
        else:
            out.append(PublicField(item.name, item.type, item.description, column))
    return out


def _month_description(item: Field) -> str:
    return f"Month (YYYY-MM) of: {item.description} Generalised from the date for privacy."


def _snapped(item: Field, grid_metres: float) -> PublicField:
    # Latitude cells are grid_metres tall; longitude cells are grid_metres wide at the cell's
    # latitude. Each point is replaced by its cell's centre, so nearby events share one point.
    step_lat = grid_metres / METRES_PER_DEGREE
    lat_cell = f"(floor(latitude / {step_lat!r}) + 0.5) * {step_lat!r}"
    if item.name == "latitude":
        sql = f"round({lat_cell}, 6)"
    else:
        step_lng = f"({grid_metres!r} / ({METRES_PER_DEGREE!r} * cos(radians({lat_cell}))))"
        sql = f"round((floor(longitude / {step_lng}) + 0.5) * {step_lng}, 6)"
    description = (
        f"{item.description} Snapped to the centre of a {grid_metres:g} m grid cell for privacy."
    )
    return PublicField(
        item.name,
        "number",
        description,
        f"CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL THEN {sql} END",
    )


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

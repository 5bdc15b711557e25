"""Sunset and dusk for each stop's place and local date, computed with astral.

Dusk is the end of civil twilight: the sun 6 degrees below the horizon (astral's default
depression, as in the demo city's generator, demo/records/clock.py). Times are local clock
times in the agency's time zone, which is how stops record their time of day.

Computing astral for every stop would take minutes for millions of stops, so coordinates are
rounded to a grid and astral runs once for each distinct (time zone, grid cell, local date);
DuckDB joins the answers back to the stops.

The grid is 0.05 degrees (GRID = 20 cells per degree, about 5.5 km north to south). Sun times
move by 4 minutes per degree of longitude everywhere, so a point at most 0.025 degrees from its
cell's centre has sunset and dusk within 6 seconds of the centre's from longitude; latitude moves
them by about 1-3 minutes per degree at mid latitudes (more near the polar circles in summer),
so within about 5 seconds there, up to 15-20 seconds at 55-60 degrees. Stop times are compared
in whole minutes and rounded to 5 minutes in the model, so the grid costs no precision that
matters, while a city needs only a few dozen cells per day. (The Stanford Open Policing Project
used one point per city or county: its centre.)

Also here: each agency's time zone (`time_zones`: the caller's, else the Agency record's, else
the source mapping's declared zone, else UTC, as releases decide) and the dates its clocks change
(`clock_changes`, from zoneinfo's rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
from astral import Observer
from astral.sun import dusk, sunset
from django.db import DatabaseError

from commonbeat.records.zones import agency_time_zones, is_time_zone

GRID = 20  # grid cells per degree: coordinates are rounded to 0.05 degrees
GRID_DEGREES = 1 / GRID


@dataclass(frozen=True)
class Evening:
    """Sunset and dusk of one place and local date, as aware datetimes in the local zone."""

    sunset: datetime
    dusk: datetime

    @property
    def sunset_minute(self) -> int:
        return clock_minute(self.sunset)

    @property
    def dusk_minute(self) -> int:
        return clock_minute(self.dusk)


def clock_minute(moment: datetime) -> int:
    """Return the local clock time as whole minutes after midnight (seconds dropped).

    The Stanford code does the same (`time_to_minute`: hour * 60 + minute) for sun times and
    stop times alike, so a stop is dark from the minute dusk falls in.
    """
    return moment.hour * 60 + moment.minute


def evening(latitude: float, longitude: float, day: date, zone: ZoneInfo) -> Evening | None:
    """Return sunset and dusk at a place on a local date, or None when there is none that evening.

    astral raises ValueError where the sun does not set, or does not get 6 degrees below the
    horizon (polar days and white nights). A dusk that falls after midnight (far north in
    summer) has no clock time on that date either, so it is treated the same way.
    """
    observer = Observer(latitude=latitude, longitude=longitude, elevation=0.0)
    try:
        set_at = sunset(observer, date=day, tzinfo=zone)
        dusk_at = dusk(observer, date=day, tzinfo=zone)
    except ValueError:
        return None
    if set_at.date() != day or dusk_at.date() != day or dusk_at < set_at:
        return None
    return Evening(set_at, dusk_at)


def cell(value: float) -> int:
    """Return the grid cell of a coordinate (its index: the centre is cell / GRID degrees)."""
    return round(value * GRID)


def cell_sql(expression: str) -> str:
    """SQL for `cell()`: the grid index of a coordinate expression (NULL stays NULL)."""
    return f"CAST(round(({expression}) * {GRID}) AS INTEGER)"


@dataclass(frozen=True)
class SunTable:
    """What `build_sun_table` computed: the table's name and how many evenings it holds."""

    name: str
    evenings: int  # distinct (time zone, cell, date) computed with astral
    missing: int  # of which astral found no sunset or dusk that evening


def build_sun_table(
    con: duckdb.DuckDBPyConnection, keys: Iterable[tuple[str, int, int, date]], name: str
) -> SunTable:
    """Create temp table `name` with each key's sunset and dusk minute (NULL where none).

    Keys are (time zone, latitude cell, longitude cell, local date). Columns: tz, lat_cell,
    lng_cell, occurred_date, sunset_minute, dusk_minute.
    """
    zones: dict[str, ZoneInfo] = {}
    columns: dict[str, list[object]] = {
        "tz": [],
        "lat_cell": [],
        "lng_cell": [],
        "occurred_date": [],
        "sunset_minute": [],
        "dusk_minute": [],
    }
    missing = 0
    for tz, lat_cell, lng_cell, day in keys:
        zone = zones.setdefault(tz, ZoneInfo(tz))
        found = evening(lat_cell / GRID, lng_cell / GRID, day, zone)
        missing += found is None
        columns["tz"].append(tz)
        columns["lat_cell"].append(lat_cell)
        columns["lng_cell"].append(lng_cell)
        columns["occurred_date"].append(day)
        columns["sunset_minute"].append(found.sunset_minute if found else None)
        columns["dusk_minute"].append(found.dusk_minute if found else None)
    table = pa.table(
        {
            "tz": pa.array(columns["tz"], pa.string()),
            "lat_cell": pa.array(columns["lat_cell"], pa.int32()),
            "lng_cell": pa.array(columns["lng_cell"], pa.int32()),
            "occurred_date": pa.array(columns["occurred_date"], pa.date32()),
            "sunset_minute": pa.array(columns["sunset_minute"], pa.int32()),
            "dusk_minute": pa.array(columns["dusk_minute"], pa.int32()),
        }
    )
    temp_table_from_arrow(con, name, table)
    return SunTable(name, table.num_rows, missing)


# Time zones and clock changes ----------------------------------------------------------------


def time_zones(
    agencies: Sequence[str], sources: Sequence[str], given: str | None
) -> dict[str, tuple[str, str]]:
    """Each agency's time zone and where it came from: the caller, else as releases decide it
    (`records.zones.agency_time_zones`: the agency's record, the source mapping's declared
    zone, or UTC)."""
    if given:
        ZoneInfo(given)  # an unknown zone is the caller's mistake: let it raise
        return dict.fromkeys(agencies, (given, "argument"))
    own = {a: zone for a, zone in _database_zones(agencies).items() if zone and is_time_zone(zone)}
    entries = agency_time_zones({agency: set(sources) for agency in agencies}, own)
    # An unknown zone is ("", "unknown"): the caller refuses (darkness/pipeline.py).
    return {a: (e.get("time_zone", ""), e["time_zone_from"]) for a, e in entries.items()}


def _database_zones(agencies: Sequence[str]) -> dict[str, str]:
    """The agencies' time zones from the database, or none when it cannot be read (a
    command-line run without a database, or a test without database access)."""
    from commonbeat.core.models import Agency  # here: a model needs the app registry ready

    try:
        return dict(Agency.objects.filter(slug__in=agencies).values_list("slug", "time_zone"))
    except (DatabaseError, RuntimeError):
        return {}


def clock_changes(zone_name: str, years: Sequence[int] | range) -> list[tuple[date, str]]:
    """Return the dates the clocks change in a zone, with "spring" (forward) or "fall" (back).

    Found with zoneinfo by comparing each day's UTC offset at local noon with the day before's:
    clocks change in the small hours, so noon already has the new offset.
    """
    zone = ZoneInfo(zone_name)
    changes = []
    for year in years:
        day = date(year, 1, 1)
        previous = _noon_offset(day - timedelta(days=1), zone)
        while day.year == year:
            offset = _noon_offset(day, zone)
            if offset != previous:
                changes.append((day, "spring" if offset > previous else "fall"))
            previous = offset
            day += timedelta(days=1)
    return changes


def temp_table_from_arrow(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Create (or replace) temp table `name` from an Arrow table, in one statement."""
    view = f"{name}_arrow"
    # DuckDB refuses to register while an earlier query's result is unread (a fetchone()
    # leaves it open); run that to its end first.
    con.complete()
    con.register(view, table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")  # noqa: S608  names the caller fixed in code
    finally:
        con.unregister(view)


def _noon_offset(day: date, zone: ZoneInfo) -> timedelta:
    offset = datetime.combine(day, clock_time(12), zone).utcoffset()
    return offset if offset is not None else timedelta(0)

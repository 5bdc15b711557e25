"""Where and when the sun sets for each stop: its place, its grid cell, and the evenings whose
sunset and dusk `sun.py` computes.

A stop with no place of its own takes its area's mean position, then its source's `centre`
(`placed_by`: 1 its own coordinates, 2 its area's mean position, 3 the source's centre, 0 none).
The daylight-saving variant's days around each clock change are a small table here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa
from django.utils.translation import gettext_noop as N_

from commonbeat.insights import sun
from commonbeat.insights.darkness.run import Run
from commonbeat.insights.results import text
from commonbeat.insights.stops import STOPS
from commonbeat.records.mapping import all_mappings
from commonbeat.records.sql import quote_ident, quote_literal


def placed_view(con: duckdb.DuckDBPyConnection, run: Run, where: str, location: str) -> None:
    """Define `_vod_placed`: each kept stop's location, minute, group, time zone, and the grid
    cell of the place its sun times are computed for (`placed_by`: 1 its own coordinates,
    2 its area's mean position, 3 the source's centre, 0 none).

    First one scan of the stops counts them by location, agency, source, own grid cell and
    date (`_vod_days`): that gives each area's mean position and every evening to compute.
    `_vod_placed` is a view, read once more for the counts: a second scan of the Parquet files
    costs less than writing millions of rows to memory and reading them back.
    """
    zones = run.diagnostics["time_zones"]
    small_table(
        con,
        "_vod_zones",
        (("agency", "VARCHAR"), ("tz", "VARCHAR")),
        [(agency, entry["zone"]) for agency, entry in zones.items()],
    )
    mappings = all_mappings()
    centres = [
        (name, mapping.centre[0], mapping.centre[1])
        for name in run.context.dataset.sources
        if (mapping := mappings.get(name)) is not None and mapping.centre is not None
    ]
    small_table(
        con, "_vod_centres", (("source", "VARCHAR"), ("lat", "DOUBLE"), ("lng", "DOUBLE")), centres
    )
    own = "latitude IS NOT NULL AND longitude IS NOT NULL"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_days AS
            SELECT {location} AS location, agency, source, occurred_date,
                   CASE WHEN {own} THEN {sun.cell_sql("latitude")} END AS own_lat_cell,
                   CASE WHEN {own} THEN {sun.cell_sql("longitude")} END AS own_lng_cell,
                   sum(latitude) FILTER (WHERE {own}) AS lat_sum,
                   sum(longitude) FILTER (WHERE {own}) AS lng_sum,
                   count(*) FILTER (WHERE {own}) AS with_place
            FROM {STOPS} WHERE {where} GROUP BY ALL"""  # noqa: S608  fixed views and SQL fragments
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _vod_places AS
           SELECT row_number() OVER (ORDER BY location) AS loc_id, location,
                  CASE WHEN sum(with_place) > 0 THEN sum(lat_sum) / sum(with_place) END AS lat,
                  CASE WHEN sum(with_place) > 0 THEN sum(lng_sum) / sum(with_place) END AS lng
           FROM _vod_days GROUP BY location"""
    )
    own = "s.latitude IS NOT NULL AND s.longitude IS NOT NULL"
    placed_by, lat_cell, lng_cell = placement(
        f"CASE WHEN {own} THEN {sun.cell_sql('s.latitude')} END",
        f"CASE WHEN {own} THEN {sun.cell_sql('s.longitude')} END",
    )
    group = quote_literal(run.context.group)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _vod_placed AS
            SELECT p.loc_id, s.occurred_date,
                   CAST(hour(s.occurred_time) * 60 + minute(s.occurred_time) AS SMALLINT) AS minute,
                   s.subject_race = {group} AS is_group, z.tz, {placed_by} AS placed_by,
                   {lat_cell} AS lat_cell, {lng_cell} AS lng_cell
            FROM (SELECT *, {location} AS location FROM {STOPS} WHERE {where}) s
            JOIN _vod_zones z ON z.agency = s.agency
            JOIN _vod_places p ON p.location = s.location
            LEFT JOIN _vod_centres c ON c.source = s.source"""  # noqa: S608  fixed views and SQL fragments; a quoted literal
    )


def placement(own_lat_cell: str, own_lng_cell: str) -> tuple[str, str, str]:
    """SQL for how a stop is placed and its grid cell: its own cell, else its area's (p), else
    its source's centre (c). The own cells are both NULL or both set."""
    placed_by = (
        f"CAST(CASE WHEN {own_lat_cell} IS NOT NULL THEN 1 WHEN p.lat IS NOT NULL THEN 2 "
        "WHEN c.lat IS NOT NULL THEN 3 ELSE 0 END AS TINYINT)"
    )
    lat = f"coalesce({own_lat_cell}, {sun.cell_sql('p.lat')}, {sun.cell_sql('c.lat')})"
    lng = f"coalesce({own_lng_cell}, {sun.cell_sql('p.lng')}, {sun.cell_sql('c.lng')})"
    return placed_by, lat, lng


def evenings(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, date]]:
    """The distinct (time zone, grid cell, local date) of the placed stops."""
    placed_by, lat_cell, lng_cell = placement("d.own_lat_cell", "d.own_lng_cell")
    rows: list[tuple[str, int, int, date]] = con.execute(
        f"""SELECT DISTINCT z.tz, {lat_cell} AS lat_cell, {lng_cell} AS lng_cell, d.occurred_date
            FROM _vod_days d JOIN _vod_zones z ON z.agency = d.agency
            JOIN _vod_places p ON p.location = d.location
            LEFT JOIN _vod_centres c ON c.source = d.source
            WHERE {placed_by} > 0"""  # noqa: S608  fixed temp tables and SQL fragments
    ).fetchall()
    return rows


def placed_counts(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Count the stops by how they were placed, and say how their sun times were computed."""
    counts = dict(
        con.execute(
            "SELECT placed_by, sum(n_group + n_reference) FROM _vod_flagged GROUP BY 1"
        ).fetchall()
    )
    placed = {
        name: int(counts.get(code, 0))
        for code, name in ((1, "stop"), (2, "area"), (3, "centre"), (0, "nowhere"))
    }
    run.diagnostics["sun"]["placed_by"] = placed
    run.assumptions.append(
        text(
            N_(
                "Sunset and dusk (the sun 6 degrees below the horizon) were computed with the "
                "astral package for each stop's place and local date, with coordinates rounded "
                "to a %(grid)s-degree grid, which moves the times by well under a minute."
            ),
            grid=sun.GRID_DEGREES,
        )
    )
    if placed["area"] or placed["centre"]:
        run.caveats.append(
            text(
                N_(
                    "%(area)s stops had no coordinates and took their area's mean position, and "
                    "%(centre)s took the centre of the source's city; their sun times are those "
                    "of that place."
                ),
                area=placed["area"],
                centre=placed["centre"],
            )
        )


def dst_table(
    con: duckdb.DuckDBPyConnection, changes: Mapping[str, list[tuple[date, str]]], days: int
) -> None:
    """Define `_vod_dst`: each day within `days` days of a clock change, with its season and
    year, per time zone."""
    rows = []
    for zone, found in changes.items():
        for change, season in found:
            for delta in range(-days, days + 1):
                rows.append((zone, change + timedelta(days=delta), season, change.year))
    small_table(
        con,
        "_vod_dst",
        (
            ("tz", "VARCHAR"),
            ("occurred_date", "DATE"),
            ("season", "VARCHAR"),
            ("season_year", "INTEGER"),
        ),
        rows,
    )


def small_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Create a temp table of a few Python rows (through Arrow: one statement, any size)."""
    data = pa.table(
        {column: pa.array([row[i] for row in rows]) for i, (column, _) in enumerate(columns)}
    )
    casts = ", ".join(
        f"CAST({quote_ident(column)} AS {kind}) AS {quote_ident(column)}"
        for column, kind in columns
    )
    sun.temp_table_from_arrow(con, f"{name}_rows", data)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {casts} FROM {name}_rows")  # noqa: S608  fixed temp table names; quoted identifiers
    con.execute(f"DROP TABLE {name}_rows")

"""The veil-of-darkness test, as the Stanford Open Policing Project runs it, and its
daylight-saving variant.

If officers decide whom to stop partly by race, a group whose race is visible in daylight should
make up a smaller share of stops after dark, when race is harder to see. Clock time confounds
this (who drives at 18:00 differs from who drives at 21:00), so the test compares light with
dark at the same clock time: between the earliest and the latest dusk of the year, each clock
time is light on some days and dark on others. ../shared/docs/methods.md gives the steps; the
Stanford code (stanford-policylab/opp, lib/eligibility.R and lib/veil_of_darkness*.R) decides
the details, each noted where it is applied:

1. Keep vehicular stops (all stops, with a caveat, when the records have none) of the two groups,
   with a date and a clock time (and an area, when the records have areas).
2. Sunset and dusk for each stop's place and date (`sun.py`); stops with no place of their own
   take their area's mean position, then the source's `centre`.
3. The inter-twilight window: clock times from the earliest to the latest dusk among the stops
   (Stanford: `min(dusk_minute)`/`max(dusk_minute)` over all of a city's or state's stops, all
   years together, not per year or per area). Stops between sunset and dusk are dropped; a stop
   is dark from the minute of dusk on (`minute >= dusk_minute`, whole minutes).
4. Clock time rounded to 5 minutes; area-years with fewer than 100 stops of either group
   removed, then at most the 20 areas with most stops kept.
5. Counts per cell (area x rounded minute x dark) and the binomial GLM
   `cbind(n_group, n_reference) ~ is_dark + ns(minute, df = 6) + area`; the estimate is the
   `is_dark` coefficient. The daylight-saving variant keeps the stops within 30 days of each
   clock change and adds `season * year`.

Everything row-wise runs in DuckDB (temporary tables named `_vod_*`, dropped at the end);
Python sees only the few thousand cells the model is fitted on.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import statsmodels.api as sm
from django.utils.translation import gettext_noop as N_
from numpy.typing import NDArray
from scipy.stats import norm

from commonbeat.insights import sun
from commonbeat.insights.intervals import group_name, pct, wilson, withhold
from commonbeat.insights.results import (
    LEVEL,
    MIN_COUNT,
    Column,
    DecisionLog,
    Filter,
    Result,
    Table,
    Text,
    coverage,
    not_applicable,
    suppress,
    text,
)
from commonbeat.insights.splines import ns_basis, ns_knots
from commonbeat.insights.stops import STOPS, Dataset
from commonbeat.records.mapping import all_mappings
from commonbeat.records.sql import quote_literal

MIN_PER_RACE = 100  # Stanford: at least 100 stops of each race per location and year
MAX_AREAS = 20  # Stanford: at most the 20 largest locations
ROUND_MINUTES = 5  # Stanford: plyr::round_any(minute, 5)
SPLINE_DF = 6  # ns(minute, df = 6)
DST_DAYS = 30  # methods.md: 30 days either side of each clock change
FIELDS = (
    "occurred_time",
    "occurred_date",
    "latitude",
    "longitude",
    "subject_race",
    "stop_type",
    "area",
)
Z = float(norm.ppf(1 - (1 - LEVEL) / 2))

TITLE = N_("Veil of darkness: stops in daylight and after dark")
DST_TITLE = N_("Veil of darkness around the clock changes")
METHOD = N_(
    "If race influences whom officers stop, a group whose race is harder to see after dark "
    "should make up a smaller share of stops after dark than in daylight at the same clock time. "
    "The test keeps the stops of %(group)s and %(reference)s people made between the earliest and "
    "the latest dusk of the year, when each clock time is light on some days and dark on others, "
    "drops those between sunset and dusk, and fits a logistic regression of whether a stopped "
    "person was %(group)s on darkness, a natural spline of the clock time and the area (the "
    "Stanford Open Policing Project's method). The result is the odds ratio of dark to daylight."
)
DST_METHOD = N_(
    "The same comparison, limited to the %(days)s days either side of each daylight-saving "
    "clock change: the change moves dusk by an hour of clock time overnight, so the same clock "
    "time is light on one side of it and dark on the other, with little else changed. The "
    "regression adds season and year terms (Stanford Open Policing Project)."
)


@dataclass(frozen=True)
class Options:
    group: str
    reference: str
    min_count: int
    max_areas: int
    min_per_race: int
    stop_types: tuple[str, ...] | None
    time_zone: str | None
    dst_days: int | None  # None: the full-year test; else the daylight-saving variant


@dataclass
class Cells:
    """The aggregated cells the model is fitted on: one per area x rounded minute x light
    (x season x year for the daylight-saving variant)."""

    area: NDArray[Any]
    minute: NDArray[np.float64]
    dark: NDArray[np.float64]
    n_group: NDArray[np.float64]
    n_reference: NDArray[np.float64]
    season: NDArray[Any] | None = None
    year: NDArray[Any] | None = None

    @property
    def stops(self) -> int:
        return int(self.n_group.sum() + self.n_reference.sum())


@dataclass
class Fit:
    """The fitted model: every coefficient, and the darkness one with its interval."""

    names: list[str]
    params: NDArray[np.float64]
    bse: NDArray[np.float64]
    fitted: NDArray[np.float64]  # fitted probability that a stop in the cell is of the group
    knots: list[float]
    boundary: tuple[float, float]
    dropped: list[str]  # columns left out as linearly dependent on earlier ones (R's NA)
    converged: bool
    iterations: int
    deviance: float
    df_resid: float
    warnings: list[str] = field(default_factory=list)

    def coefficient(self, name: str = "is_dark") -> tuple[float, float]:
        index = self.names.index(name)
        return float(self.params[index]), float(self.bse[index])


# The analyses ----------------------------------------------------------------------------------


def veil_of_darkness(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    *,
    group: str = "black",
    reference: str = "white",
    min_count: int = MIN_COUNT,
    max_areas: int = MAX_AREAS,
    min_per_race: int = MIN_PER_RACE,
    stop_types: Sequence[str] | None = None,
    time_zone: str | None = None,
    timings: dict[str, float] | None = None,
) -> Result:
    """The veil-of-darkness test on the `equity_stops` view (see the module's docstring).

    `stop_types` defaults to vehicular stops when there are any, else all stops. `time_zone`
    overrides the agencies' own (the Agency record's, else the source mapping's, else UTC).
    `timings`, when given, receives the seconds each phase took (for the benchmark).
    """
    options = Options(
        group,
        reference,
        min_count,
        max_areas,
        min_per_race,
        tuple(stop_types) if stop_types else None,
        time_zone,
        None,
    )
    return _run(con, dataset, options, timings)


def daylight_saving(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    *,
    group: str = "black",
    reference: str = "white",
    min_count: int = MIN_COUNT,
    max_areas: int = MAX_AREAS,
    min_per_race: int = MIN_PER_RACE,
    stop_types: Sequence[str] | None = None,
    time_zone: str | None = None,
    days: int = DST_DAYS,
    timings: dict[str, float] | None = None,
) -> Result:
    """The veil-of-darkness test on the stops within `days` days of each clock change."""
    options = Options(
        group,
        reference,
        min_count,
        max_areas,
        min_per_race,
        tuple(stop_types) if stop_types else None,
        time_zone,
        days,
    )
    return _run(con, dataset, options, timings)


# The pipeline ----------------------------------------------------------------------------------

TEMP_VIEWS = ("_vod_placed",)
TEMP_TABLES = (
    "_vod_zones",
    "_vod_centres",
    "_vod_days",
    "_vod_places",
    "_vod_sun",
    "_vod_dst",
    "_vod_flagged",
    "_vod_fine",
    "_vod_area_years",
    "_vod_areas",
)


class _Clock:
    """Adds up the seconds spent in each phase, when the caller asked for timings."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                spent = time.perf_counter() - started
                self.timings[name] = self.timings.get(name, 0.0) + spent


@dataclass
class _Context:
    """What a run has learnt so far, for the result's texts."""

    options: Options
    dataset: Dataset
    log: DecisionLog
    coverage: dict[str, float]
    title: Text
    method: Text
    assumptions: list[Text] = field(default_factory=list)
    caveats: list[Text] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def analysis(self) -> str:
        return "veil_of_darkness" if self.options.dst_days is None else "daylight_saving"

    def not_applicable(self, reason: Text) -> Result:
        return not_applicable(
            self.analysis,
            self.title,
            self.method,
            reason,
            decisions=self.log.decisions,
            coverage=self.coverage,
            min_count=self.options.min_count,
            assumptions=self.assumptions,
            caveats=self.caveats,
            diagnostics=self.diagnostics,
        )


def _run(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    options: Options,
    timings: dict[str, float] | None,
) -> Result:
    clock = _Clock(timings)
    started = time.perf_counter()
    try:
        with _temporary(con):
            context, cells = _prepare(con, dataset, options, clock)
            if isinstance(cells, Text):
                return context.not_applicable(cells)
            with clock.phase("fit"):
                try:
                    fit: Fit | None = fit_cells(cells)
                except (ValueError, np.linalg.LinAlgError) as error:
                    context.diagnostics["fit_error"] = str(error)
                    fit = None
            if fit is None or not _finite(fit):
                return context.not_applicable(
                    text(
                        N_(
                            "The model could not be fitted to these stops: it did not converge, "
                            "or some areas or clock times have stops of only one group."
                        )
                    )
                )
            return _result(context, cells, fit)
    finally:
        if timings is not None:
            timings["total"] = time.perf_counter() - started


def model_cells(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    *,
    daylight_saving: bool = False,
    group: str = "black",
    reference: str = "white",
    min_count: int = MIN_COUNT,
    max_areas: int = MAX_AREAS,
    min_per_race: int = MIN_PER_RACE,
    stop_types: Sequence[str] | None = None,
    time_zone: str | None = None,
    days: int = DST_DAYS,
) -> Cells | None:
    """The cells the model is fitted on, after every filter (None where the test does not
    apply): for checking the fit against R's and against a stop-level fit."""
    options = Options(
        group,
        reference,
        min_count,
        max_areas,
        min_per_race,
        tuple(stop_types) if stop_types else None,
        time_zone,
        days if daylight_saving else None,
    )
    with _temporary(con):
        _, cells = _prepare(con, dataset, options, _Clock(None))
    return None if isinstance(cells, Text) else cells


@contextmanager
def _temporary(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Drop the run's temporary tables and views however it ends."""
    try:
        yield
    finally:
        con.complete()  # an unread result would block the statements below
        for view in TEMP_VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")


def _prepare(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, options: Options, clock: _Clock
) -> tuple[_Context, Cells | Text]:
    """Run every filter and return the model's cells, or why there are none."""
    if options.group == options.reference:
        raise ValueError("veil of darkness: the group and the reference group must differ")
    names = _names(options)
    dst = options.dst_days is not None
    if dst:
        method = text(DST_METHOD, days=options.dst_days)
        title = text(DST_TITLE)
    else:
        method = text(METHOD, **names)
        title = text(TITLE)
    with clock.phase("filter_aggregate"):
        context = _Context(
            options, dataset, DecisionLog(), coverage(con, STOPS, FIELDS), title, method
        )
        facts = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE stop_type = 'vehicular'),
                       count(occurred_time),
                       count(*) FILTER (WHERE subject_race = {quote_literal(options.group)}),
                       count(*) FILTER (WHERE subject_race = {quote_literal(options.reference)})
                FROM {STOPS}"""
        ).fetchall()
    total, vehicular, timed, group_stops, reference_stops = (int(v) for v in facts[0])
    if total == 0:
        return context, text(N_("No stops were selected."))
    if timed == 0:
        return context, text(
            N_(
                "These records have no time of day, which the test needs to tell stops in "
                "daylight from stops after dark."
            )
        )
    if group_stops == 0 or reference_stops == 0:
        return context, text(
            N_("There are no stops of %(group)s people or none of %(reference)s people."), **names
        )

    zones = sun.time_zones(dataset.agencies, dataset.sources, options.time_zone)
    context.diagnostics["time_zones"] = {a: {"zone": z, "from": o} for a, (z, o) in zones.items()}
    _zone_texts(context, zones)
    changes: dict[str, list[tuple[date, str]]] = {}
    if dst:
        first, last = dataset.first_date, dataset.last_date
        years = range(first.year, last.year + 1) if first and last else range(0)
        changes = {zone: sun.clock_changes(zone, years) for zone, _ in set(zones.values())}
        if not any(changes.values()):
            return context, text(
                N_(
                    "The time zone (%(time_zone)s) has no daylight-saving clock changes in "
                    "these years, so there is nothing to compare."
                ),
                time_zone=", ".join(sorted(changes)),
            )

    with clock.phase("filter_aggregate"):
        where, location = _filter_stops(con, dataset, options, vehicular, context)
        _placed_view(con, dataset, context, where, location)
    with clock.phase("sun"):
        table = sun.build_sun_table(con, _evenings(con), "_vod_sun")
    context.diagnostics["sun"] = {
        "grid_degrees": sun.GRID_DEGREES,
        "evenings_computed": table.evenings,
        "evenings_without_dusk": table.missing,
    }
    with clock.phase("filter_aggregate"):
        if dst:
            _dst_table(con, changes, options.dst_days or DST_DAYS)
        return context, _cells(con, context, dst)


def _names(options: Options) -> dict[str, str]:
    return {"group": group_name(options.group), "reference": group_name(options.reference)}


def _filter_stops(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    options: Options,
    vehicular: int,
    context: _Context,
) -> tuple[str, str]:
    """Log the row filters on the stops; return their SQL condition and the location's SQL
    (the area, or the agency when the records have no areas)."""
    filters = []
    stop_types = options.stop_types or (("vehicular",) if vehicular else None)
    if stop_types:
        listed = ", ".join(quote_literal(t) for t in stop_types)
        filters.append(
            Filter(
                f"stop_type IN ({listed})",
                text(N_("Kept stops of the types %(types)s"), types=", ".join(stop_types)),
                text(
                    N_(
                        "The test was designed for traffic stops: an officer may not see a "
                        "driver's race before deciding to stop the car, less so after dark."
                    )
                ),
            )
        )
    if stop_types is None or "vehicular" not in stop_types:
        context.caveats.append(
            text(
                N_(
                    "These are not traffic stops. The test was designed for drivers, whose race "
                    "an officer may not see before deciding to stop them; people on foot can be "
                    "seen more easily after dark, which pulls the estimate towards no difference."
                )
            )
        )
    races = f"{quote_literal(options.group)}, {quote_literal(options.reference)}"
    filters += [
        Filter(
            f"subject_race IN ({races})",
            text(
                N_("Kept stops of %(group)s and %(reference)s people"),
                group=group_name(options.group),
                reference=group_name(options.reference),
            ),
            text(N_("The test compares the two groups' shares of stops.")),
        ),
        Filter(
            "occurred_date IS NOT NULL AND occurred_time IS NOT NULL",
            text(N_("Removed stops with no date or no time of day")),
            text(N_("Sunset and dusk depend on the date, and light or dark on the time of day.")),
        ),
    ]
    if dataset.area_field:
        filters.append(
            Filter(
                "area IS NOT NULL",
                text(N_("Removed stops with no area")),
                text(N_("The model compares stops made in the same area.")),
            )
        )
        location = "area" if len(dataset.agencies) <= 1 else "agency || ' / ' || area"
        context.diagnostics["location"] = "area"
    else:
        location = "agency"
        context.diagnostics["location"] = "agency"
        context.assumptions.append(
            text(
                N_(
                    "The records have no areas, so each agency's stops are one area, as the "
                    "Stanford analysis treated each city as one place."
                )
            )
        )
    return context.log.apply(con, STOPS, filters), location


def _placed_view(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    context: _Context,
    where: str,
    location: str,
) -> None:
    """Define `_vod_placed`: each kept stop's location, minute, group, time zone, and the grid
    cell of the place its sun times are computed for (`placed_by`: 1 its own coordinates,
    2 its area's mean position, 3 the source's centre, 0 none).

    First one scan of the stops counts them by location, agency, source, own grid cell and
    date (`_vod_days`): that gives each area's mean position and every evening to compute.
    `_vod_placed` is a view, read once more for the counts: a second scan of the Parquet files
    costs less than writing millions of rows to memory and reading them back.
    """
    zones = context.diagnostics["time_zones"]
    _small_table(
        con,
        "_vod_zones",
        (("agency", "VARCHAR"), ("tz", "VARCHAR")),
        [(agency, entry["zone"]) for agency, entry in zones.items()],
    )
    mappings = all_mappings()
    centres = [
        (name, mapping.centre[0], mapping.centre[1])
        for name in dataset.sources
        if (mapping := mappings.get(name)) is not None and mapping.centre is not None
    ]
    _small_table(
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
            FROM {STOPS} WHERE {where} GROUP BY ALL"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _vod_places AS
           SELECT row_number() OVER (ORDER BY location) AS loc_id, location,
                  CASE WHEN sum(with_place) > 0 THEN sum(lat_sum) / sum(with_place) END AS lat,
                  CASE WHEN sum(with_place) > 0 THEN sum(lng_sum) / sum(with_place) END AS lng
           FROM _vod_days GROUP BY location"""
    )
    own = "s.latitude IS NOT NULL AND s.longitude IS NOT NULL"
    placed_by, lat_cell, lng_cell = _placement(
        f"CASE WHEN {own} THEN {sun.cell_sql('s.latitude')} END",
        f"CASE WHEN {own} THEN {sun.cell_sql('s.longitude')} END",
    )
    group = quote_literal(context.options.group)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _vod_placed AS
            SELECT p.loc_id, s.occurred_date,
                   CAST(hour(s.occurred_time) * 60 + minute(s.occurred_time) AS SMALLINT) AS minute,
                   s.subject_race = {group} AS is_group, z.tz, {placed_by} AS placed_by,
                   {lat_cell} AS lat_cell, {lng_cell} AS lng_cell
            FROM (SELECT *, {location} AS location FROM {STOPS} WHERE {where}) s
            JOIN _vod_zones z ON z.agency = s.agency
            JOIN _vod_places p ON p.location = s.location
            LEFT JOIN _vod_centres c ON c.source = s.source"""
    )


def _placement(own_lat_cell: str, own_lng_cell: str) -> tuple[str, str, str]:
    """SQL for how a stop is placed and its grid cell: its own cell, else its area's (p), else
    its source's centre (c). The own cells are both NULL or both set."""
    placed_by = (
        f"CAST(CASE WHEN {own_lat_cell} IS NOT NULL THEN 1 WHEN p.lat IS NOT NULL THEN 2 "
        "WHEN c.lat IS NOT NULL THEN 3 ELSE 0 END AS TINYINT)"
    )
    lat = f"coalesce({own_lat_cell}, {sun.cell_sql('p.lat')}, {sun.cell_sql('c.lat')})"
    lng = f"coalesce({own_lng_cell}, {sun.cell_sql('p.lng')}, {sun.cell_sql('c.lng')})"
    return placed_by, lat, lng


def _evenings(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, date]]:
    """The distinct (time zone, grid cell, local date) of the placed stops."""
    placed_by, lat_cell, lng_cell = _placement("d.own_lat_cell", "d.own_lng_cell")
    rows: list[tuple[str, int, int, date]] = con.execute(
        f"""SELECT DISTINCT z.tz, {lat_cell} AS lat_cell, {lng_cell} AS lng_cell, d.occurred_date
            FROM _vod_days d JOIN _vod_zones z ON z.agency = d.agency
            JOIN _vod_places p ON p.location = d.location
            LEFT JOIN _vod_centres c ON c.source = d.source
            WHERE {placed_by} > 0"""
    ).fetchall()
    return rows


def _cells(con: duckdb.DuckDBPyConnection, context: _Context, dst: bool) -> Cells | Text:
    """Count the stops by every remaining filter's outcome in one pass, log the filters from
    those counts, and return the model's cells."""
    options = context.options
    window = con.execute("SELECT min(dusk_minute), max(dusk_minute) FROM _vod_sun").fetchone()
    start, end = (None, None) if window is None else window
    if start is None or end is None:
        start = end = 0  # no evening has a dusk: no stop passes the dusk filter anyway
    else:
        context.diagnostics["window"] = {"start_minute": start, "end_minute": end}
    season = ", d.season, d.season_year" if dst else ""
    season_join = (
        "LEFT JOIN _vod_dst d ON d.tz = p.tz AND d.occurred_date = p.occurred_date" if dst else ""
    )
    # The window is the earliest to the latest dusk among the stops' evenings, which is the
    # Stanford code's min and max of dusk over the stops themselves.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_flagged AS
            SELECT p.loc_id, p.placed_by, year(p.occurred_date) AS year{season},
                   CAST(round(p.minute / {ROUND_MINUTES}.0) * {ROUND_MINUTES} AS INTEGER)
                       AS rounded_minute,
                   s.dusk_minute IS NOT NULL AS has_dusk,
                   coalesce(p.minute >= s.dusk_minute, FALSE) AS is_dark,
                   p.minute BETWEEN {int(start)} AND {int(end)} AS in_window,
                   coalesce(p.minute > s.sunset_minute AND p.minute < s.dusk_minute, FALSE)
                       AS twilight,
                   count(*) FILTER (WHERE p.is_group) AS n_group,
                   count(*) FILTER (WHERE NOT p.is_group) AS n_reference
            FROM _vod_placed p
            LEFT JOIN _vod_sun s ON s.tz = p.tz AND s.lat_cell = p.lat_cell
                 AND s.lng_cell = p.lng_cell AND s.occurred_date = p.occurred_date
            {season_join}
            GROUP BY ALL"""
    )
    _placed_counts(con, context)
    steps = [
        (
            "placed_by > 0",
            text(N_("Removed stops with no place to compute sun times for")),
            text(
                N_(
                    "Neither the stop, nor other stops in its area, nor the source have "
                    "coordinates, so sunset and dusk cannot be computed."
                )
            ),
        ),
        (
            "has_dusk",
            text(N_("Removed stops on days with no sunset or no dusk before midnight")),
            text(
                N_(
                    "Far from the equator the sun may not set, or the sky may not get dark, on "
                    "some days of the year; there is no light and dark to compare."
                )
            ),
        ),
    ]
    if dst:
        steps.append(
            (
                "season IS NOT NULL",
                text(
                    N_("Kept stops within %(days)s days of a daylight-saving clock change"),
                    days=options.dst_days,
                ),
                text(
                    N_(
                        "Around a clock change the same clock time is light on one side and "
                        "dark on the other, while little else about the season changes."
                    )
                ),
            )
        )
    steps += [
        (
            "in_window",
            text(
                N_("Kept stops in the inter-twilight window, %(start)s to %(end)s"),
                start=_clock(start),
                end=_clock(end),
            ),
            text(
                N_(
                    "Between the earliest and the latest dusk of the year each clock time is "
                    "light on some days and dark on others, so light and dark can be compared "
                    "at the same clock time."
                )
            ),
        ),
        (
            "NOT twilight",
            text(N_("Removed stops between sunset and dusk")),
            text(N_("In twilight it is neither light nor dark.")),
        ),
    ]
    if "window" not in context.diagnostics:
        # No evening has a dusk: the dusk filter removes every stop, and there is no window.
        _log_counted(con, context.log, "_vod_flagged", steps[:2])
        return text(N_("No stop has sunset and dusk times, so light cannot be told from dark."))
    where = _log_counted(con, context.log, "_vod_flagged", steps)
    context.assumptions.append(
        text(
            N_(
                "The inter-twilight window runs from the earliest to the latest dusk among all "
                "the stops analysed (%(start)s to %(end)s), over every year and area together, "
                "as in the Stanford code. Clock times and sun times are compared in whole "
                "minutes; a stop is dark from the minute of dusk on."
            ),
            start=_clock(start),
            end=_clock(end),
        )
    )
    extra = ", season, season_year" if dst else ""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_fine AS
            SELECT loc_id, year{extra}, rounded_minute, is_dark,
                   sum(n_group) AS n_group, sum(n_reference) AS n_reference
            FROM _vod_flagged WHERE {where} GROUP BY ALL"""
    )
    return _area_cells(con, context, dst)


def _log_counted(
    con: duckdb.DuckDBPyConnection,
    log: DecisionLog,
    relation: str,
    steps: Sequence[tuple[str, Text, Text]],
) -> str:
    """Log a chain of filters over counted rows (`n_group + n_reference` each), from one scan;
    return the combined condition. `DecisionLog.apply` does the same for one row per stop."""
    conditions = [f"({condition})" for condition, _, _ in steps]
    sums = [
        f"coalesce(sum(n_group + n_reference) FILTER (WHERE {' AND '.join(conditions[:k])}), 0)"
        for k in range(1, len(steps) + 1)
    ]
    row = con.execute(
        f"SELECT coalesce(sum(n_group + n_reference), 0), {', '.join(sums)} FROM {relation}"
    ).fetchone()
    counts = [int(v) for v in row] if row is not None else [0] * (len(steps) + 1)
    for (_, step, reason), before, after in zip(steps, counts[:-1], counts[1:], strict=True):
        log.add(step, reason, before, after)
    return " AND ".join(conditions)


def _placed_counts(con: duckdb.DuckDBPyConnection, context: _Context) -> None:
    counts = dict(
        con.execute(
            "SELECT placed_by, sum(n_group + n_reference) FROM _vod_flagged GROUP BY 1"
        ).fetchall()
    )
    placed = {
        name: int(counts.get(code, 0))
        for code, name in ((1, "stop"), (2, "area"), (3, "centre"), (0, "nowhere"))
    }
    context.diagnostics["sun"]["placed_by"] = placed
    context.assumptions.append(
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
        context.caveats.append(
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


def _area_cells(con: duckdb.DuckDBPyConnection, context: _Context, dst: bool) -> Cells | Text:
    """Apply the area-year and largest-area rules to the fine counts; return the cells."""
    options = context.options
    enough = int(options.min_per_race)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_area_years AS
            SELECT loc_id, year, sum(n_group) AS n_group, sum(n_reference) AS n_reference,
                   sum(n_group) >= {enough} AND sum(n_reference) >= {enough} AS enough
            FROM _vod_fine GROUP BY ALL"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_areas AS
            SELECT y.loc_id, p.location, sum(y.n_group + y.n_reference) AS stops
            FROM _vod_area_years y JOIN _vod_places p USING (loc_id)
            WHERE y.enough GROUP BY ALL ORDER BY stops DESC, p.location
            LIMIT {int(options.max_areas)}"""
    )
    row = con.execute(
        """SELECT (SELECT coalesce(sum(n_group + n_reference), 0) FROM _vod_area_years),
                  (SELECT coalesce(sum(n_group + n_reference), 0) FROM _vod_area_years
                   WHERE enough),
                  (SELECT count(*) FROM _vod_area_years WHERE NOT enough),
                  (SELECT count(DISTINCT loc_id) FROM _vod_area_years WHERE enough),
                  (SELECT coalesce(sum(stops), 0) FROM _vod_areas)"""
    ).fetchone()
    before, after_years, years_removed, areas_enough, after_areas = (
        (int(v) for v in row) if row is not None else (0, 0, 0, 0, 0)
    )
    context.log.add(
        text(
            N_("Removed %(removed)s area-years with fewer than %(count)s stops of either group"),
            removed=years_removed,
            count=enough,
        ),
        text(
            N_(
                "The Stanford analysis requires at least 100 stops of each group in a place and "
                "year: with fewer, the area's comparison rests on too few stops."
            )
        ),
        before,
        after_years,
    )
    context.log.add(
        text(N_("Kept the %(count)s areas with the most stops"), count=options.max_areas),
        text(
            N_(
                "As in the Stanford analysis, at most %(count)s areas enter the model, to keep "
                "it small; the largest areas hold most of the stops (%(areas)s areas qualified)."
            ),
            count=options.max_areas,
            areas=areas_enough,
        ),
        after_years,
        after_areas,
    )
    if after_areas == 0:
        return text(
            N_(
                "No area has at least %(count)s stops of each group in the window in any year, "
                "which the test needs."
            ),
            count=enough,
        )
    extra = ", f.season, f.season_year" if dst else ""
    data = con.execute(
        f"""SELECT a.location, f.rounded_minute, f.is_dark{extra},
                   sum(f.n_group) AS n_group, sum(f.n_reference) AS n_reference
            FROM _vod_fine f
            JOIN _vod_area_years y ON y.loc_id = f.loc_id AND y.year = f.year AND y.enough
            JOIN _vod_areas a ON a.loc_id = f.loc_id
            GROUP BY ALL ORDER BY ALL"""
    ).fetchnumpy()
    cells = Cells(
        area=np.asarray(data["location"], dtype=object),
        minute=np.asarray(data["rounded_minute"], dtype=float),
        dark=np.asarray(data["is_dark"], dtype=float),
        n_group=np.asarray(data["n_group"], dtype=float),
        n_reference=np.asarray(data["n_reference"], dtype=float),
        season=np.asarray(data["season"], dtype=object) if dst else None,
        year=np.asarray(data["season_year"], dtype=object) if dst else None,
    )
    context.diagnostics["area_years"] = [
        {"area": a, "year": int(y), "group_stops": int(g), "reference_stops": int(r)}
        for a, y, g, r in con.execute(
            """SELECT a.location, y.year, y.n_group, y.n_reference FROM _vod_area_years y
               JOIN _vod_areas a USING (loc_id) WHERE y.enough ORDER BY ALL"""
        ).fetchall()
    ]
    light = cells.dark == 0
    margins = (
        cells.n_group[light].sum(),
        cells.n_group[~light].sum(),
        cells.n_reference[light].sum(),
        cells.n_reference[~light].sum(),
    )
    if min(margins) < max(options.min_count, 1):
        return text(
            N_(
                "Fewer than %(count)s stops of one of the groups were made in daylight, or after "
                "dark: too few to compare."
            ),
            count=max(options.min_count, 1),
        )
    if len(np.unique(cells.minute)) < SPLINE_DF + 2:
        return text(N_("Too few distinct clock times are left to fit the time-of-day curve."))
    return cells


# The model ------------------------------------------------------------------------------------


def design(cells: Cells) -> tuple[NDArray[np.float64], list[str], list[float], tuple[float, float]]:
    """Return the design matrix of `is_dark + ns(minute, df = 6) + area [+ season * year]`,
    with R's treatment contrasts (first level of each factor, in sorted order, is the
    baseline), the column names and the spline's knots (from the stops, via the counts)."""
    weights = cells.n_group + cells.n_reference
    knots, boundary = ns_knots(cells.minute, weights, SPLINE_DF)
    basis = ns_basis(cells.minute, knots, boundary)
    columns = [np.ones(len(cells.minute)), cells.dark]
    names = ["(Intercept)", "is_dark"]
    for index in range(basis.shape[1]):
        columns.append(basis[:, index])
        names.append(f"ns(minute){index + 1}")
    for level in sorted(set(cells.area.tolist()))[1:]:
        columns.append((cells.area == level).astype(float))
        names.append(f"area[{level}]")
    if cells.season is not None and cells.year is not None:
        seasons = sorted(set(cells.season.tolist()))[1:]
        years = sorted(set(cells.year.tolist()))[1:]
        for season in seasons:
            columns.append((cells.season == season).astype(float))
            names.append(f"season[{season}]")
        for year in years:
            columns.append((cells.year == year).astype(float))
            names.append(f"year[{year}]")
        for year in years:
            for season in seasons:
                columns.append(((cells.season == season) & (cells.year == year)).astype(float))
                names.append(f"season[{season}]:year[{year}]")
    return np.column_stack(columns), names, [float(k) for k in knots], boundary


def fit_cells(cells: Cells) -> Fit:
    """Fit the binomial GLM on the cells with statsmodels.

    The response is the two columns (stops of the group, stops of the reference group), as R's
    `cbind(n_group, n_reference)`: the likelihood is that of the stop-level logistic regression,
    so the estimates and standard errors are the stop-level ones.
    """
    x, names, knots, boundary = design(cells)
    keep = _independent_columns(x)
    dropped = [n for n, k in zip(names, keep, strict=True) if not k]
    x = x[:, keep]
    names = [n for n, k in zip(names, keep, strict=True) if k]
    endog = np.column_stack([cells.n_group, cells.n_reference])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = sm.GLM(endog, x, family=sm.families.Binomial())
        result = model.fit(tol=1e-12, maxiter=100)
    return Fit(
        names=names,
        params=np.asarray(result.params, dtype=float),
        bse=np.asarray(result.bse, dtype=float),
        fitted=np.asarray(result.fittedvalues, dtype=float),
        knots=knots,
        boundary=boundary,
        dropped=dropped,
        converged=bool(result.converged),
        iterations=int(result.fit_history["iteration"]),
        deviance=float(result.deviance),
        df_resid=float(result.df_resid),
        warnings=sorted({str(w.message) for w in caught}),
    )


def _independent_columns(x: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Columns that are not (numerically) combinations of earlier ones, as R's glm keeps.

    R's QR (dqrdc2) sets aside a column whose norm, once the earlier columns are projected
    out, falls below 1e-7 times its original norm; its coefficient is then NA. An unpivoted QR
    gives that remaining norm as |R[j, j]|.
    """
    norms = np.linalg.norm(x, axis=0)
    _, r = np.linalg.qr(x, mode="reduced")
    remaining = np.abs(np.diag(r))
    return np.asarray((norms > 0) & (remaining > 1e-7 * norms))


def _finite(fit: Fit) -> bool:
    """Whether the fit gives a usable estimate: converged, with a finite coefficient and
    standard error, and no perfect separation (all stops of one group in some cells' pattern),
    where the estimates run off to infinity."""
    coefficient, se = fit.coefficient()
    separated = any("separation" in w.lower() for w in fit.warnings)
    return (
        fit.converged
        and not separated
        and math.isfinite(coefficient)
        and math.isfinite(se)
        and 0 < se < 10
        and abs(coefficient) < 20
    )


# The result ------------------------------------------------------------------------------------


def _result(context: _Context, cells: Cells, fit: Fit) -> Result:
    options = context.options
    names = _names(options)
    coefficient, se = fit.coefficient()
    low, high = coefficient - Z * se, coefficient + Z * se
    p_value = float(2 * norm.sf(abs(coefficient / se)))
    odds, odds_low, odds_high = math.exp(coefficient), math.exp(low), math.exp(high)
    n_group, n_reference = int(cells.n_group.sum()), int(cells.n_reference.sum())
    window = context.diagnostics["window"]

    area_table, area_suppressed = _area_table(cells, options.min_count, names)
    share_table, share_suppressed = _share_table(cells, options.min_count, names)
    tables = [area_table, share_table]
    suppressed = area_suppressed + share_suppressed
    if cells.season is not None:
        season_table, season_suppressed = _season_table(cells, options.min_count, names)
        tables.append(season_table)
        suppressed += season_suppressed

    light = cells.dark == 0
    light_share = wilson(int(cells.n_group[light].sum()), int(_n(cells)[light].sum()))[0]
    dark_share = wilson(int(cells.n_group[~light].sum()), int(_n(cells)[~light].sum()))[0]
    finding = (
        N_(
            "At the same clock time and in the same area, the odds that a person stopped was "
            "%(group)s rather than %(reference)s were %(odds_ratio)s times as high after dark "
            "as in daylight (95%% interval %(low)s to %(high)s)."
        )
        if cells.season is None
        else N_(
            "Within %(days)s days of the clock changes, at the same clock time and in the same "
            "area, the odds that a person stopped was %(group)s rather than %(reference)s were "
            "%(odds_ratio)s times as high after dark as in daylight (95%% interval %(low)s to "
            "%(high)s)."
        )
    )
    summary = [
        text(
            finding,
            **({"days": options.dst_days} if cells.season is not None else {}),
            race=options.group,
            odds_ratio=round(odds, 2),
            low=round(odds_low, 2),
            high=round(odds_high, 2),
            **names,
        ),
        text(
            N_(
                "Of %(stops)s stops of %(group)s or %(reference)s people between %(start)s and "
                "%(end)s, %(group)s people were %(light)s%% of those in daylight and %(dark)s%% "
                "of those after dusk."
            ),
            race=options.group,
            stops=cells.stops,
            start=_clock(window["start_minute"]),
            end=_clock(window["end_minute"]),
            light=pct(light_share),
            dark=pct(dark_share),
            **names,
        ),
        _reading(options.group, odds_low, odds_high, names),
    ]
    context.caveats += [
        text(
            N_(
                "Street lights and headlights let officers see some people after dusk, so a real "
                "difference in daylight would show as a smaller one."
            )
        ),
        text(
            N_(
                "The test assumes that, at a given clock time, the mix of people out in light and "
                "in dark is the same; if darkness itself changes who is out, the comparison "
                "reflects that too."
            )
        ),
    ]
    context.assumptions += [
        text(
            N_(
                "Clock times are rounded to %(minutes)s minutes. The spline's knots are the "
                "quantiles of the stops' rounded times, so the model fitted on counts per area, "
                "time and light equals the model fitted stop by stop (the Stanford code placed "
                "them at the quantiles of its aggregated rows)."
            ),
            minutes=ROUND_MINUTES,
        ),
        text(
            N_(
                "The model is the published one: darkness, a natural spline of the clock time with "
                "6 degrees of freedom and one term per area. Stanford's fit on the full data "
                "also let the time curve differ by area."
            )
        ),
    ]
    if cells.season is not None:
        context.assumptions.append(
            text(
                N_(
                    "Clock changes come from the time zone's rules (zoneinfo). Each stop within "
                    "%(days)s days of one is in that change's season (spring: clocks go forward; "
                    "fall: back) and year, and the model has a term for each season, year and "
                    "season-year. The clock-time window is the whole year's, as in the Stanford "
                    "pipeline, which keeps the weeks around the changes after that filter (it "
                    "kept 3 weeks either side; methods.md asks for 30 days)."
                ),
                days=options.dst_days,
            )
        )
    context.diagnostics["model"] = {
        "coefficients": dict(zip(fit.names, fit.params.tolist(), strict=True)),
        "standard_errors": dict(zip(fit.names, fit.bse.tolist(), strict=True)),
        "dropped": fit.dropped,
        "knots": fit.knots,
        "boundary_knots": list(fit.boundary),
        "cells": len(cells.minute),
        "converged": fit.converged,
        "iterations": fit.iterations,
        "deviance": fit.deviance,
        "df_residual": fit.df_resid,
        "warnings": fit.warnings,
    }
    return Result(
        context.analysis,
        context.title,
        context.method,
        summary=summary,
        estimates={
            "group": options.group,
            "reference": options.reference,
            "coefficient": coefficient,
            "coefficient_low": low,
            "coefficient_high": high,
            "standard_error": se,
            "odds_ratio": odds,
            "odds_ratio_low": odds_low,
            "odds_ratio_high": odds_high,
            "p_value": p_value,
            "stops": cells.stops,
            "group_stops": n_group,
            "reference_stops": n_reference,
            "areas": len(set(cells.area.tolist())),
            "window": [_clock(window["start_minute"]), _clock(window["end_minute"])],
        },
        tables=tables,
        decisions=context.log.decisions,
        coverage=context.coverage,
        sample_size=cells.stops,
        min_count=options.min_count,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "The interval of the odds ratio is the model's 95%% Wald interval (the darkness "
                "coefficient plus or minus %(z)s standard errors, from a binomial logistic "
                "regression). Shares in the tables have Wilson score intervals. Intervals show "
                "sampling variation only, not errors in the method's assumptions."
            ),
            z=round(Z, 2),
        ),
        assumptions=context.assumptions,
        caveats=context.caveats,
        diagnostics=context.diagnostics,
    )


def _reading(group: str, low: float, high: float, names: Mapping[str, str]) -> Text:
    if high < 1:
        return text(
            N_(
                "A smaller share of the people stopped were %(group)s when it was dark and race "
                "is harder to see. The test reads this as a sign that race played a part in "
                "daylight stops; it does not prove it."
            ),
            race=group,
            **names,
        )
    if low > 1:
        return text(
            N_(
                "A larger share of the people stopped were %(group)s after dark than in daylight "
                "at the same clock time: the test finds no sign of daylight bias against "
                "%(group)s people, and the pattern may have other causes."
            ),
            race=group,
            **names,
        )
    return text(
        N_(
            "The interval includes 1: the test finds no clear difference between the stops made "
            "in daylight and after dark."
        ),
        race=group,
    )


def _n(cells: Cells) -> NDArray[np.float64]:
    return cells.n_group + cells.n_reference


def _area_table(cells: Cells, min_count: int, names: Mapping[str, str]) -> tuple[Table, int]:
    rows = []
    for area in sorted(set(cells.area.tolist())):
        mask = cells.area == area
        rows.append(
            {
                "area": area,
                "stops": int(_n(cells)[mask].sum()),
                "group_stops": int(cells.n_group[mask].sum()),
                "reference_stops": int(cells.n_reference[mask].sum()),
            }
        )
    rows.sort(key=lambda r: (-r["stops"], r["area"]))
    blanked = suppress(rows, "stops", ["group_stops", "reference_stops"], min_count)
    for row in rows:
        if not row["suppressed"] and min(row["group_stops"], row["reference_stops"]) < min_count:
            blanked += withhold(row, ["group_stops", "reference_stops"])
    table = Table(
        "areas",
        text(N_("Stops analysed, by area")),
        [
            Column("area", text(N_("Area")), "text"),
            Column("stops", text(N_("Stops")), "count"),
            Column(
                "group_stops", text(N_("Stops of %(group)s people"), group=names["group"]), "count"
            ),
            Column(
                "reference_stops",
                text(N_("Stops of %(reference)s people"), reference=names["reference"]),
                "count",
            ),
        ],
        rows,
        note=text(
            N_(
                "Stops in the inter-twilight window, outside twilight, in the area-years and "
                "areas kept. Counts under %(count)s are withheld."
            ),
            count=min_count,
        ),
    )
    return table, blanked


def _light_dark_row(cells: Cells, mask: NDArray[np.bool_], min_count: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, part in (("light", mask & (cells.dark == 0)), ("dark", mask & (cells.dark == 1))):
        stops, group = int(_n(cells)[part].sum()), int(cells.n_group[part].sum())
        share, share_low, share_high = wilson(group, stops)
        row |= {
            f"{key}_stops": stops,
            f"{key}_group_stops": group,
            f"{key}_share": share,
            f"{key}_share_low": share_low,
            f"{key}_share_high": share_high,
        }
    return row


def _share_columns(first: Column, names: Mapping[str, str]) -> list[Column]:
    group = names["group"]
    return [
        first,
        Column("light_stops", text(N_("Stops in daylight")), "count"),
        Column(
            "light_group_stops", text(N_("Of whom %(group)s, in daylight"), group=group), "count"
        ),
        Column("light_share", text(N_("Share %(group)s in daylight"), group=group), "share"),
        Column("light_share_low", text(N_("Share in daylight, 95%% interval low")), "share"),
        Column("light_share_high", text(N_("Share in daylight, 95%% interval high")), "share"),
        Column("dark_stops", text(N_("Stops after dusk")), "count"),
        Column("dark_group_stops", text(N_("Of whom %(group)s, after dusk"), group=group), "count"),
        Column("dark_share", text(N_("Share %(group)s after dusk"), group=group), "share"),
        Column("dark_share_low", text(N_("Share after dusk, 95%% interval low")), "share"),
        Column("dark_share_high", text(N_("Share after dusk, 95%% interval high")), "share"),
    ]


def _suppress_shares(rows: list[dict[str, Any]], min_count: int) -> int:
    """Withhold each half (daylight, dark) resting on fewer than min_count stops, and the
    group's count and share where the group or the reference group has fewer."""
    blanked = 0
    for key in ("light", "dark"):
        figures = [f"{key}_group_stops", f"{key}_share", f"{key}_share_low", f"{key}_share_high"]
        blanked += suppress(rows, f"{key}_stops", figures, min_count)
        for row in rows:
            stops, group = row[f"{key}_stops"], row[f"{key}_group_stops"]
            if stops is not None and group is not None and min(group, stops - group) < min_count:
                blanked += withhold(row, figures)
    return blanked


def _share_table(cells: Cells, min_count: int, names: Mapping[str, str]) -> tuple[Table, int]:
    everywhere = np.ones(len(cells.minute), dtype=bool)
    rows = [{"area": "", **_light_dark_row(cells, everywhere, min_count)}]
    for area in sorted(set(cells.area.tolist())):
        rows.append({"area": area, **_light_dark_row(cells, cells.area == area, min_count)})
    rows[0]["area"] = "*"
    blanked = _suppress_shares(rows, min_count)
    table = Table(
        "light_dark",
        text(N_("The group's share of stops in daylight and after dusk, by area")),
        _share_columns(Column("area", text(N_("Area")), "text"), names),
        rows,
        note=text(
            N_(
                "The first row (*) is every area together. These shares are not adjusted for "
                "clock time, which the model is; figures resting on fewer than %(count)s stops "
                "are withheld."
            ),
            count=min_count,
        ),
    )
    return table, blanked


def _season_table(cells: Cells, min_count: int, names: Mapping[str, str]) -> tuple[Table, int]:
    if cells.season is None or cells.year is None:
        raise ValueError("the cells have no seasons: not the daylight-saving variant")
    rows: list[dict[str, Any]] = []
    for year, season in sorted(
        {(int(y), str(s)) for y, s in zip(cells.year, cells.season, strict=True)}
    ):
        mask = (cells.year == year) & (cells.season == season)
        rows.append({"season": season, "year": year, **_light_dark_row(cells, mask, min_count)})
    blanked = _suppress_shares(rows, min_count)
    columns = _share_columns(Column("season", text(N_("Clock change")), "text"), names)
    columns.insert(1, Column("year", text(N_("Year")), "text"))
    table = Table(
        "seasons",
        text(N_("The group's share of stops in daylight and after dusk, around each clock change")),
        columns,
        rows,
        note=text(N_("spring: the clocks go forward; fall: the clocks go back.")),
    )
    return table, blanked


# Time zones and clock changes ----------------------------------------------------------------


def _zone_texts(context: _Context, zones: Mapping[str, tuple[str, str]]) -> None:
    distinct = sorted(set(zones.values()))
    for zone, origin in distinct:
        message = {
            "argument": N_("Clock times are local times in %(time_zone)s, as given for this run."),
            "agency": N_("Clock times are local times in %(time_zone)s, the agency's time zone."),
            "source": N_(
                "Clock times are local times in %(time_zone)s, the time zone the source declares."
            ),
            "default": N_(
                "No time zone is known for the agency, so clock times are taken as %(time_zone)s."
            ),
        }[origin]
        context.assumptions.append(text(message, time_zone=zone))
        if origin == "default":
            context.caveats.append(
                text(
                    N_(
                        "No time zone is known for this agency, so sun times are in UTC. If the "
                        "records' times are local times, light and dark are misjudged and the "
                        "result is unreliable: set the agency's time zone."
                    )
                )
            )


def _dst_table(
    con: duckdb.DuckDBPyConnection, changes: Mapping[str, list[tuple[date, str]]], days: int
) -> None:
    rows = []
    for zone, found in changes.items():
        for change, season in found:
            for delta in range(-days, days + 1):
                rows.append((zone, change + timedelta(days=delta), season, change.year))
    _small_table(
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


# Helpers ------------------------------------------------------------------------------------


def _small_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Create a temp table of a few Python rows (through Arrow: one statement, any size)."""
    data = pa.table(
        {column: pa.array([row[i] for row in rows]) for i, (column, _) in enumerate(columns)}
    )
    casts = ", ".join(f'CAST("{column}" AS {kind}) AS "{column}"' for column, kind in columns)
    sun.temp_table_from_arrow(con, f"{name}_rows", data)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {casts} FROM {name}_rows")
    con.execute(f"DROP TABLE {name}_rows")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"

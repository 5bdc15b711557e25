"""The test's steps in order, from the selected stops to the model's cells.

`prepare()` checks that the stops can support the test, works out their time zones (and, for
the daylight-saving variant, the clock changes), logs the row filters on the stops (types,
groups, date and time, area), places the stops for their sun times (sun_times.py), has the sun
times computed (sun.py) and counts the stops into cells (counts.py). Every temporary table it
creates is named `_vod_*` and dropped by `temporary()` however the run ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights import sun
from commonbeat.insights.context import Context
from commonbeat.insights.darkness.counts import count_cells
from commonbeat.insights.darkness.model import Cells
from commonbeat.insights.darkness.run import DST_DAYS, FIELDS, Options, Run, Timer
from commonbeat.insights.darkness.sun_times import dst_table, evenings, placed_view
from commonbeat.insights.intervals import group_name
from commonbeat.insights.results import DecisionLog, Filter, Text, coverage, text
from commonbeat.insights.stops import STOPS
from commonbeat.records.sql import quote_literal, quote_literals
from commonbeat.records.zones import fix_command

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


@contextmanager
def temporary(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Drop the run's temporary tables and views however it ends."""
    try:
        yield
    finally:
        con.complete()  # an unread result would block the statements below
        for view in TEMP_VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")


def prepare(context: Context, options: Options, timer: Timer) -> tuple[Run, Cells | Text]:
    """Run every filter and return the model's cells, or why there are none."""
    if context.group == context.reference:
        raise ValueError("veil of darkness: the group and the reference group must differ")
    con, dataset = context.con, context.dataset
    dst = options.dst_days is not None
    with timer.phase("filter_aggregate"):
        run = Run(context, options, DecisionLog(), coverage(con, STOPS, FIELDS))
        facts = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE stop_type = 'vehicular'),
                       count(occurred_time),
                       count(*) FILTER (WHERE subject_race = {quote_literal(context.group)}),
                       count(*) FILTER (WHERE subject_race = {quote_literal(context.reference)})
                FROM {STOPS}"""  # noqa: S608  fixed view; quoted literals
        ).fetchall()
    total, vehicular, timed, group_stops, reference_stops = (int(v) for v in facts[0])
    if total == 0:
        return run, text(N_("No stops were selected."))
    if timed == 0:
        return run, text(
            N_(
                "These records have no time of day, which the test needs to tell stops in "
                "daylight from stops after dark."
            )
        )
    if group_stops == 0 or reference_stops == 0:
        return run, text(
            N_("There are no stops of %(group)s people or none of %(reference)s people."),
            **run.names,
        )

    zones = sun.time_zones(dataset.agencies, dataset.sources, context.time_zone)
    run.diagnostics["time_zones"] = {a: {"zone": z, "from": o} for a, (z, o) in zones.items()}
    unknown = sorted(a for a, (zone, _origin) in zones.items() if not zone)
    if unknown:
        # Reading local clock times as UTC would misjudge light and dark by hours and still
        # give a confident estimate: refuse, and say how to fix it.
        return run, text(
            N_(
                "No time zone is known for %(agencies)s, so the clock times of its stops "
                "cannot be read as local times and light and dark cannot be told apart. Set "
                "the agency's time zone and run again: %(command)s"
            ),
            agencies=", ".join(unknown),
            command=fix_command(unknown[0]),
        )
    _zone_texts(run, zones)
    changes: dict[str, list[tuple[date, str]]] = {}
    if dst:
        first, last = dataset.first_date, dataset.last_date
        years = range(first.year, last.year + 1) if first and last else range(0)
        changes = {zone: sun.clock_changes(zone, years) for zone, _ in set(zones.values())}
        if not any(changes.values()):
            return run, text(
                N_(
                    "The time zone (%(time_zone)s) has no daylight-saving clock changes in "
                    "these years, so there is nothing to compare."
                ),
                time_zone=", ".join(sorted(changes)),
            )

    with timer.phase("filter_aggregate"):
        where, location = _filter_stops(con, run, vehicular)
        placed_view(con, run, where, location)
    with timer.phase("sun"):
        table = sun.build_sun_table(con, evenings(con), "_vod_sun")
    run.diagnostics["sun"] = {
        "grid_degrees": sun.GRID_DEGREES,
        "evenings_computed": table.evenings,
        "evenings_without_dusk": table.missing,
    }
    with timer.phase("filter_aggregate"):
        if dst:
            dst_table(con, changes, options.dst_days or DST_DAYS)
        return run, count_cells(con, run, dst)


def _filter_stops(con: duckdb.DuckDBPyConnection, run: Run, vehicular: int) -> tuple[str, str]:
    """Log the row filters on the stops; return their SQL condition and the location's SQL
    (the area, or the agency when the records have no areas)."""
    context, dataset = run.context, run.context.dataset
    filters = []
    stop_types = run.options.stop_types or (("vehicular",) if vehicular else None)
    if stop_types:
        filters.append(
            Filter(
                f"stop_type IN ({quote_literals(stop_types)})",
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
        run.caveats.append(
            text(
                N_(
                    "These are not traffic stops. The test was designed for drivers, whose race "
                    "an officer may not see before deciding to stop them; people on foot can be "
                    "seen more easily after dark, which pulls the estimate towards no difference."
                )
            )
        )
    races = quote_literals((context.group, context.reference))
    filters += [
        Filter(
            f"subject_race IN ({races})",
            text(
                N_("Kept stops of %(group)s and %(reference)s people"),
                group=group_name(context.group),
                reference=group_name(context.reference),
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
        run.diagnostics["location"] = "area"
    else:
        location = "agency"
        run.diagnostics["location"] = "agency"
        run.assumptions.append(
            text(
                N_(
                    "The records have no areas, so each agency's stops are one area, as the "
                    "Stanford analysis treated each city as one place."
                )
            )
        )
    return run.log.apply(con, STOPS, filters), location


def _zone_texts(run: Run, zones: Mapping[str, tuple[str, str]]) -> None:
    """Say in which time zone clock times are read (an unknown zone was refused already)."""
    distinct = sorted(set(zones.values()))
    for zone, origin in distinct:
        message = {
            "argument": N_("Clock times are local times in %(time_zone)s, as given for this run."),
            "agency": N_("Clock times are local times in %(time_zone)s, the agency's time zone."),
            "source": N_(
                "Clock times are local times in %(time_zone)s, the time zone the source declares."
            ),
        }[origin]
        run.assumptions.append(text(message, time_zone=zone))

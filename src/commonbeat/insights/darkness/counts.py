"""The placed stops counted into the model's cells, through the filters that need sun times.

One pass over `_vod_placed` (sun_times.py) counts the stops by every remaining filter's outcome
(`_vod_flagged`): placed, with a dusk, near a clock change (daylight-saving variant), in the
inter-twilight window, not in twilight. The filters are logged from those counts, then the
area-year and largest-area rules are applied to the fine counts (`_vod_fine`) and the cells
read back.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.darkness.model import SPLINE_DF, Cells
from commonbeat.insights.darkness.run import ROUND_MINUTES, Run, clock_time
from commonbeat.insights.darkness.sun_times import placed_counts
from commonbeat.insights.results import DecisionLog, Text, text


def count_cells(con: duckdb.DuckDBPyConnection, run: Run, dst: bool) -> Cells | Text:
    """Count the stops by every remaining filter's outcome in one pass, log the filters from
    those counts, and return the model's cells."""
    options = run.options
    window = con.execute("SELECT min(dusk_minute), max(dusk_minute) FROM _vod_sun").fetchone()
    start, end = (None, None) if window is None else window
    if start is None or end is None:
        start = end = 0  # no evening has a dusk: no stop passes the dusk filter anyway
    else:
        run.diagnostics["window"] = {"start_minute": start, "end_minute": end}
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
            GROUP BY ALL"""  # noqa: S608  fixed temp tables, SQL fragments and integers
    )
    placed_counts(con, run)
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
                start=clock_time(start),
                end=clock_time(end),
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
    if "window" not in run.diagnostics:
        # No evening has a dusk: the dusk filter removes every stop, and there is no window.
        _log_counted(con, run.log, "_vod_flagged", steps[:2])
        return text(N_("No stop has sunset and dusk times, so light cannot be told from dark."))
    where = _log_counted(con, run.log, "_vod_flagged", steps)
    run.assumptions.append(
        text(
            N_(
                "The inter-twilight window runs from the earliest to the latest dusk among all "
                "the stops analysed (%(start)s to %(end)s), over every year and area together, "
                "as in the Stanford code. Clock times and sun times are compared in whole "
                "minutes; a stop is dark from the minute of dusk on."
            ),
            start=clock_time(start),
            end=clock_time(end),
        )
    )
    extra = ", season, season_year" if dst else ""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_fine AS
            SELECT loc_id, year{extra}, rounded_minute, is_dark,
                   sum(n_group) AS n_group, sum(n_reference) AS n_reference
            FROM _vod_flagged WHERE {where} GROUP BY ALL"""  # noqa: S608  fixed temp tables; logged filter conditions
    )
    return _area_cells(con, run, dst)


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
        f"SELECT coalesce(sum(n_group + n_reference), 0), {', '.join(sums)} FROM {relation}"  # noqa: S608  fixed temp table; logged filter conditions
    ).fetchone()
    counts = [int(v) for v in row] if row is not None else [0] * (len(steps) + 1)
    for (_, step, reason), before, after in zip(steps, counts[:-1], counts[1:], strict=True):
        log.add(step, reason, before, after)
    return " AND ".join(conditions)


def _area_cells(con: duckdb.DuckDBPyConnection, run: Run, dst: bool) -> Cells | Text:
    """Apply the area-year and largest-area rules to the fine counts; return the cells."""
    options = run.options
    enough = int(options.min_per_race)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_area_years AS
            SELECT loc_id, year, sum(n_group) AS n_group, sum(n_reference) AS n_reference,
                   sum(n_group) >= {enough} AND sum(n_reference) >= {enough} AS enough
            FROM _vod_fine GROUP BY ALL"""  # noqa: S608  fixed temp tables; an integer option
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vod_areas AS
            SELECT y.loc_id, p.location, sum(y.n_group + y.n_reference) AS stops
            FROM _vod_area_years y JOIN _vod_places p USING (loc_id)
            WHERE y.enough GROUP BY ALL ORDER BY stops DESC, p.location
            LIMIT {int(options.max_areas)}"""  # noqa: S608  fixed temp tables; an integer option
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
    run.log.add(
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
    run.log.add(
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
            GROUP BY ALL ORDER BY ALL"""  # noqa: S608  fixed temp tables and columns
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
    run.diagnostics["area_years"] = [
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
    if min(margins) < max(run.context.min_count, 1):
        return text(
            N_(
                "Fewer than %(count)s stops of one of the groups were made in daylight, or after "
                "dark: too few to compare."
            ),
            count=max(run.context.min_count, 1),
        )
    if len(np.unique(cells.minute)) < SPLINE_DF + 2:
        return text(N_("Too few distinct clock times are left to fit the time-of-day curve."))
    return cells

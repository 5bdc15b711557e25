"""The veil-of-darkness test and its daylight-saving variant: the functions the equity report
(and the tests) call, and the run from the cells to the result.

Both take the arguments every analysis takes (`con, dataset, *, min_count, group, reference,
time_zone`; see context.py) and the test's own (`max_areas`, `min_per_race`, `stop_types`,
`days`). `timings`, when given, receives the seconds each phase took (for
benchmarks/equity_darkness.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import duckdb
import numpy as np
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.context import Context
from commonbeat.insights.darkness.model import Cells, Fit, fit_cells, usable
from commonbeat.insights.darkness.pipeline import prepare, temporary
from commonbeat.insights.darkness.result import build_result
from commonbeat.insights.darkness.run import (
    DST_DAYS,
    MAX_AREAS,
    MIN_PER_RACE,
    Options,
    Timer,
    names,
)
from commonbeat.insights.results import MIN_COUNT, Result, Text, text
from commonbeat.insights.stops import Dataset

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
    """The veil-of-darkness test on the `equity_stops` view (see the package's docstring).

    `stop_types` defaults to vehicular stops when there are any, else all stops. `time_zone`
    overrides the agencies' own (the Agency record's, else the source mapping's, else UTC).
    `timings`, when given, receives the seconds each phase took (for the benchmark).
    """
    options = Options(max_areas, min_per_race, tuple(stop_types) if stop_types else None, None)
    context = _context(con, dataset, options, group, reference, min_count, time_zone)
    return _run(context, options, timings)


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
    options = Options(max_areas, min_per_race, tuple(stop_types) if stop_types else None, days)
    context = _context(con, dataset, options, group, reference, min_count, time_zone)
    return _run(context, options, timings)


def _context(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    options: Options,
    group: str,
    reference: str,
    min_count: int,
    time_zone: str | None,
) -> Context:
    """The run's context, with the variant's name, title and method."""
    if options.dst_days is None:
        analysis, title = "veil_of_darkness", text(TITLE)
        method = text(METHOD, **names(group, reference))
    else:
        analysis, title = "daylight_saving", text(DST_TITLE)
        method = text(DST_METHOD, days=options.dst_days)
    return Context(analysis, title, method, con, dataset, min_count, group, reference, time_zone)


def _run(context: Context, options: Options, timings: dict[str, float] | None) -> Result:
    timer = Timer(timings)
    started = time.perf_counter()
    try:
        with temporary(context.con):
            run, cells = prepare(context, options, timer)
            if isinstance(cells, Text):
                return run.not_applicable(cells)
            with timer.phase("fit"):
                try:
                    fit: Fit | None = fit_cells(cells)
                except (ValueError, np.linalg.LinAlgError) as error:
                    run.diagnostics["fit_error"] = str(error)
                    fit = None
            if fit is None or not usable(fit):
                return run.not_applicable(
                    text(
                        N_(
                            "The model could not be fitted to these stops: it did not converge, "
                            "or some areas or clock times have stops of only one group."
                        )
                    )
                )
            return build_result(run, cells, fit)
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
        max_areas,
        min_per_race,
        tuple(stop_types) if stop_types else None,
        days if daylight_saving else None,
    )
    context = _context(con, dataset, options, group, reference, min_count, time_zone)
    with temporary(con):
        _, cells = prepare(context, options, Timer(None))
    return None if isinstance(cells, Text) else cells

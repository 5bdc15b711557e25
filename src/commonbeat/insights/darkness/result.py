"""The veil-of-darkness result: the odds ratio of dark to daylight with its interval, the
findings a resident can read, the tables of stops and shares by area (and around each clock
change), and the assumptions and caveats the method carries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop as N_
from numpy.typing import NDArray
from scipy.stats import norm

from commonbeat.insights.darkness.model import Cells, Fit
from commonbeat.insights.darkness.run import ROUND_MINUTES, Run, clock_time
from commonbeat.insights.intervals import pct, wilson, withhold
from commonbeat.insights.results import LEVEL, Column, Result, Table, Text, suppress, text

Z = float(norm.ppf(1 - (1 - LEVEL) / 2))


def build_result(run: Run, cells: Cells, fit: Fit) -> Result:
    """The result of a fit: estimates, findings, tables, and what the run assumed and noticed."""
    context, options, names = run.context, run.options, run.names
    coefficient, se = fit.coefficient()
    low, high = coefficient - Z * se, coefficient + Z * se
    p_value = float(2 * norm.sf(abs(coefficient / se)))
    odds, odds_low, odds_high = math.exp(coefficient), math.exp(low), math.exp(high)
    n_group, n_reference = int(cells.n_group.sum()), int(cells.n_reference.sum())
    window = run.diagnostics["window"]

    area_table, area_suppressed = _area_table(cells, context.min_count, names)
    share_table, share_suppressed = _share_table(cells, context.min_count, names)
    tables = [area_table, share_table]
    suppressed = area_suppressed + share_suppressed
    if cells.season is not None:
        season_table, season_suppressed = _season_table(cells, context.min_count, names)
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
            race=context.group,
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
            race=context.group,
            stops=cells.stops,
            start=clock_time(window["start_minute"]),
            end=clock_time(window["end_minute"]),
            light=pct(light_share),
            dark=pct(dark_share),
            **names,
        ),
        _reading(context.group, odds_low, odds_high, names),
    ]
    run.caveats += [
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
    run.assumptions += [
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
        run.assumptions.append(
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
    run.diagnostics["model"] = {
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
    return context.result(
        summary=summary,
        estimates={
            "group": context.group,
            "reference": context.reference,
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
            "window": [clock_time(window["start_minute"]), clock_time(window["end_minute"])],
        },
        tables=tables,
        decisions=run.log.decisions,
        coverage=run.coverage,
        sample_size=cells.stops,
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
        assumptions=run.assumptions,
        caveats=run.caveats,
        diagnostics=run.diagnostics,
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

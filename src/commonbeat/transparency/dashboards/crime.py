"""The crime dashboard: recorded crimes by category and month, their latest outcomes, and
clearance rates (crimes marked cleared / crimes whose cleared status is recorded)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.transparency.dashboards.common import (
    Context,
    place_and_time_notes,
    quality,
    span,
    top,
)
from commonbeat.transparency.dashboards.figures import Column, Figure, rate
from commonbeat.transparency.dashboards.registry import DASHBOARDS, Dashboard

SUMS = (
    "sum(crimes)::BIGINT AS crimes, "
    "coalesce(sum(crimes) FILTER (WHERE cleared), 0)::BIGINT AS cleared, "
    "coalesce(sum(crimes) FILTER (WHERE cleared IS NOT NULL), 0)::BIGINT AS known"
)


def _rows(ctx: Context, dimension: str, order: str) -> list[dict[str, Any]]:
    where, params = ctx.where()
    rows = ctx.release.records(
        f"SELECT {dimension}, {SUMS} FROM dash_crime WHERE {where} GROUP BY ALL ORDER BY {order}",  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        params,
    )
    for row in rows:
        row["clearance_rate"] = rate(row["cleared"], row["known"])
    return rows


def _columns(dimension: Column) -> list[Column]:
    return [
        dimension,
        Column("crimes", _("Crimes")),
        Column("known", _("Crimes with cleared status recorded")),
        Column("cleared", _("Cleared")),
        Column("clearance_rate", _("Clearance rate"), "rate", "known"),
    ]


def build(ctx: Context) -> list[Figure]:
    where, params = ctx.where()
    total = ctx.release.records(
        f"SELECT coalesce(sum(crimes), 0)::BIGINT AS crimes, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "coalesce(sum(crimes) FILTER (WHERE cleared IS NULL), 0)::BIGINT AS cleared_missing, "
        "coalesce(sum(crimes) FILTER (WHERE outcome IS NULL), 0)::BIGINT AS outcome_missing, "
        "coalesce(sum(crimes) FILTER (WHERE category IS NULL), 0)::BIGINT AS category_missing, "
        "coalesce(sum(crimes) FILTER (WHERE neighbourhood IS NULL), 0)::BIGINT AS no_place "
        f"FROM dash_crime WHERE {where}",
        params,
    )[0]
    crimes = int(total["crimes"])
    month_rows = _rows(ctx, "month", "month")
    months = span(r["month"] for r in month_rows)
    notes = place_and_time_notes(ctx, "dash_crime", "crimes", _("crimes"), int(total["no_place"]))
    cleared_missing = {"cleared": (int(total["cleared_missing"]), crimes)}
    clearance_note = _(
        "Clearance rate = crimes marked cleared (by arrest or exceptional means) / crimes whose cleared status is recorded, for crimes that occurred in the months shown, whenever they were cleared. Rates on fewer than 20 crimes are marked unreliable."
    )

    def q(missing: dict[str, tuple[int, int]]) -> dict[str, Any]:
        return quality(ctx, crimes, "crimes", {**missing, **cleared_missing}, months, notes)

    figures = [
        Figure(
            id="crimes-by-month",
            title=_("Crimes by month"),
            description=_("Crimes recorded by the month they occurred, and how many are cleared."),
            columns=_columns(Column("month", _("Month"), "dimension")),
            rows=month_rows,
            chart={"type": "line", "values": ["crimes", "cleared"]},
            notes=[clearance_note],
            quality=q({}),
        ),
        Figure(
            id="crimes-by-category",
            title=_("Crimes and clearance rates by category"),
            description=_("Crimes of each category and the share cleared."),
            columns=_columns(Column("category", _("Category"), "dimension")),
            rows=_rows(ctx, "category", "crimes DESC, category"),
            chart={"type": "bar", "values": ["clearance_rate"]},
            notes=[clearance_note],
            quality=q({"category": (int(total["category_missing"]), crimes)}),
        ),
    ]
    outcomes = ctx.release.records(
        f"SELECT outcome, sum(crimes)::BIGINT AS crimes FROM dash_crime WHERE {where} "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "GROUP BY ALL ORDER BY crimes DESC, outcome",
        params,
    )
    outcomes = top(outcomes, "outcome", ["crimes"])
    for row in outcomes:
        row["share"] = rate(row["crimes"], crimes)
    figures.append(
        Figure(
            id="crime-outcomes",
            title=_("Latest outcomes of crimes"),
            description=_(
                "The latest recorded outcome of the crimes that occurred in the months shown."
            ),
            columns=[
                Column("outcome", _("Outcome"), "dimension"),
                Column("crimes", _("Crimes")),
                Column("share", _("Share of crimes"), "rate"),
            ],
            rows=outcomes,
            chart={"type": "bar", "values": ["crimes"]},
            quality=quality(
                ctx,
                crimes,
                "crimes",
                {"outcome": (int(total["outcome_missing"]), crimes)},
                months,
                notes,
            ),
        )
    )
    if ctx.city_wide:
        rows = [r for r in _rows(ctx, "neighbourhood", "neighbourhood") if r["neighbourhood"]]
        if rows:
            rows.sort(key=lambda r: ctx.names.get(r["neighbourhood"], r["neighbourhood"]))
            figures.append(
                Figure(
                    id="crimes-by-neighbourhood",
                    title=_("Crimes by neighbourhood"),
                    description=_("Crimes in each neighbourhood and the share cleared."),
                    columns=_columns(Column("neighbourhood", _("Neighbourhood"), "dimension")),
                    rows=rows,
                    chart={"type": "bar", "values": ["crimes"]},
                    notes=[clearance_note],
                    quality=q({"neighbourhood": (int(total["no_place"]), crimes)}),
                    links={r["neighbourhood"]: ctx.link(r["neighbourhood"]) for r in rows},
                    names=ctx.names,
                    map_measure="crimes",
                )
            )
    return figures


DASHBOARDS.register(
    Dashboard(
        "crime",
        gettext_lazy("Crime and outcomes"),
        gettext_lazy(
            "Recorded crimes by category and month, their outcomes, and how many are cleared."
        ),
        "crime",
        "dash_crime",
        build,
    )
)

"""The complaints dashboard: complaints received, allegations by category, findings, sustained
rates (sustained allegations / allegations with a finding) and days to close."""

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
from commonbeat.transparency.dashboards.review import complaint_figures

# Findings that decide an allegation; "no finding", "pending", "closed, other" and "other" do
# not, so they are left out of the sustained rate's denominator.
FINDINGS = ("sustained", "not_sustained", "unfounded", "exonerated")
FINDINGS_SQL = ", ".join(f"'{f}'" for f in FINDINGS)


def _days_quantiles(ctx: Context) -> dict[str | None, tuple[float | None, float | None]]:
    """Exact nearest-rank median and 90th percentile of days to close, by month received and
    over all months (key None), computed in DuckDB from the cube's (days, count) pairs."""
    where, params = ctx.where()
    rows = ctx.release.rows(
        "WITH h AS (SELECT grouping(month) = 0 AS by_month, month, days, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "sum(complaints) AS n FROM dash_complaint_days WHERE " + where + " "
        "GROUP BY GROUPING SETS ((month, days), (days))), "
        "c AS (SELECT by_month, month, days, "
        "sum(n) OVER (PARTITION BY by_month, month ORDER BY days) AS seen, "
        "sum(n) OVER (PARTITION BY by_month, month) AS total FROM h) "
        "SELECT by_month, month, min(days) FILTER (WHERE seen >= ceil(0.5 * total)), "
        "min(days) FILTER (WHERE seen >= ceil(0.9 * total)) FROM c GROUP BY ALL",
        params,
    )
    return {
        (month if by_month else None): (
            None if median is None else float(median),
            None if p90 is None else float(p90),
        )
        for by_month, month, median, p90 in rows
    }


def build(ctx: Context) -> list[Figure]:
    where, params = ctx.where()
    release = ctx.release
    total = release.records(
        "SELECT coalesce(sum(complaints), 0)::BIGINT AS complaints, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "coalesce(sum(closed), 0)::BIGINT AS closed, "
        "coalesce(sum(category_missing), 0)::BIGINT AS category_missing, "
        "coalesce(sum(complaints) FILTER (WHERE neighbourhood IS NULL), 0)::BIGINT AS no_place "
        f"FROM dash_complaint WHERE {where}",
        params,
    )[0]
    complaints = int(total["complaints"])
    month_rows = release.records(
        f"SELECT month, sum(complaints)::BIGINT AS complaints, sum(closed)::BIGINT AS closed "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"FROM dash_complaint WHERE {where} GROUP BY ALL ORDER BY month",
        params,
    )
    months = span(r["month"] for r in month_rows)
    notes = place_and_time_notes(
        ctx, "dash_complaint", "complaints", _("complaints"), int(total["no_place"])
    )

    def q(missing: dict[str, tuple[int, int]]) -> dict[str, Any]:
        return quality(ctx, complaints, "complaints", missing, months, notes)

    quantiles = _days_quantiles(ctx)
    for row in month_rows:
        row["median_days"], row["p90_days"] = quantiles.get(row["month"], (None, None))
    median_all, p90_all = quantiles.get(None, (None, None))
    closed_missing = {"days_to_close": (complaints - int(total["closed"]), complaints)}
    figures = [
        Figure(
            id="complaints-by-month",
            title=_("Complaints received and days to close, by month received"),
            description=_(
                "Complaints received each month, how many are closed, and how long closing took."
            ),
            columns=[
                Column("month", _("Month received"), "dimension"),
                Column("complaints", _("Complaints received")),
                Column("closed", _("Closed")),
                Column("median_days", _("Median days to close"), "days"),
                Column("p90_days", _("90th percentile days to close"), "days"),
            ],
            rows=month_rows,
            chart={"type": "line", "values": ["complaints", "closed"]},
            notes=[
                _(
                    "Days to close count only closed complaints (%(closed)s of %(all)s); over all months shown the median is %(median)s days and the 90th percentile %(p90)s days. Complaints still open are not in these figures, so recent months look quicker than they will."
                )
                % {
                    "closed": total["closed"],
                    "all": complaints,
                    "median": "—" if median_all is None else int(median_all),
                    "p90": "—" if p90_all is None else int(p90_all),
                }
            ],
            quality=q(closed_missing),
        )
    ]
    categories = release.records(
        f"SELECT category, sum(complaints)::BIGINT AS complaints FROM dash_complaint "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"WHERE {where} GROUP BY ALL ORDER BY complaints DESC, category",
        params,
    )
    categories = top(categories, "category", ["complaints"])
    for row in categories:
        row["share"] = rate(row["complaints"], complaints)
    figures.append(
        Figure(
            id="complaints-by-category",
            title=_("Complaints by category"),
            description=_("Complaints received, by the category the agency gave the complaint."),
            columns=[
                Column("category", _("Category"), "dimension"),
                Column("complaints", _("Complaints")),
                Column("share", _("Share of complaints"), "rate"),
            ],
            rows=categories,
            chart={"type": "bar", "values": ["complaints"]},
            quality=q({"category": (int(total["category_missing"]), complaints)}),
        )
    )
    if release.has("dash_allegation"):
        figures += _allegations(ctx, months, notes)
    if ctx.city_wide:
        rows = release.records(
            f"SELECT neighbourhood, sum(complaints)::BIGINT AS complaints FROM dash_complaint "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
            f"WHERE {where} AND neighbourhood IS NOT NULL GROUP BY ALL",
            params,
        )
        if rows:
            rows.sort(key=lambda r: ctx.names.get(r["neighbourhood"], r["neighbourhood"]))
            figures.append(
                Figure(
                    id="complaints-by-neighbourhood",
                    title=_("Complaints by neighbourhood"),
                    description=_("Complaints received about events in each neighbourhood."),
                    columns=[
                        Column("neighbourhood", _("Neighbourhood"), "dimension"),
                        Column("complaints", _("Complaints")),
                    ],
                    rows=rows,
                    chart={"type": "bar", "values": ["complaints"]},
                    quality=q({"neighbourhood": (int(total["no_place"]), complaints)}),
                    links={r["neighbourhood"]: ctx.link(r["neighbourhood"]) for r in rows},
                    names=ctx.names,
                    map_measure="complaints",
                )
            )
    # Oversight's published statistics: sustained rates with intervals, concurrence with the
    # board and investigators, days to close and in each stage.
    return figures + complaint_figures(ctx)


def _allegations(
    ctx: Context, months: tuple[str | None, str | None], notes: list[str]
) -> list[Figure]:
    where, params = ctx.where()
    rows = ctx.release.records(
        "SELECT category, sum(allegations)::BIGINT AS allegations, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"coalesce(sum(allegations) FILTER (WHERE finding IN ({FINDINGS_SQL})), 0)::BIGINT AS decided, "
        "coalesce(sum(allegations) FILTER (WHERE finding = 'sustained'), 0)::BIGINT AS sustained, "
        "coalesce(sum(allegations) FILTER (WHERE finding IS NULL), 0)::BIGINT AS finding_missing, "
        "coalesce(sum(allegations) FILTER (WHERE category IS NULL), 0)::BIGINT AS category_missing "
        f"FROM dash_allegation WHERE {where} GROUP BY ALL ORDER BY allegations DESC, category",
        params,
    )
    allegations = sum(r["allegations"] for r in rows)
    missing = {
        "allegation.category": (sum(r["category_missing"] for r in rows), allegations),
        "allegation.final_finding": (sum(r["finding_missing"] for r in rows), allegations),
    }
    kept = top(rows, "category", ["allegations", "decided", "sustained"])
    for row in kept:
        row["sustained_rate"] = rate(row["sustained"], row["decided"])
    decided = sum(r["decided"] for r in rows)
    sustained = sum(r["sustained"] for r in rows)
    sustained_note = _(
        "Sustained rate = sustained allegations / allegations with a finding (sustained, not sustained, unfounded or exonerated). Over all categories: %(sustained)s of %(decided)s. Rates on fewer than 20 allegations with a finding are marked unreliable."
    ) % {"sustained": sustained, "decided": decided}
    q = quality(ctx, allegations, "allegations", missing, months, notes)
    findings = ctx.release.records(
        f"SELECT finding, sum(allegations)::BIGINT AS allegations FROM dash_allegation "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"WHERE {where} GROUP BY ALL ORDER BY allegations DESC, finding",
        params,
    )
    for row in findings:
        row["share"] = rate(row["allegations"], allegations)
    return [
        Figure(
            id="allegations-by-category",
            title=_("Allegations and sustained rates by category"),
            description=_(
                "Allegations in the complaints received in the months shown, and the share of decided allegations that were sustained."
            ),
            columns=[
                Column("category", _("Allegation category"), "dimension"),
                Column("allegations", _("Allegations")),
                Column("decided", _("With a finding")),
                Column("sustained", _("Sustained")),
                Column("sustained_rate", _("Sustained rate"), "rate", "decided"),
            ],
            rows=kept,
            chart={"type": "bar", "values": ["sustained_rate"]},
            notes=[sustained_note],
            quality=q,
        ),
        Figure(
            id="allegation-findings",
            title=_("Findings on allegations"),
            description=_("The final finding on each allegation."),
            columns=[
                Column("finding", _("Finding"), "dimension"),
                Column("allegations", _("Allegations")),
                Column("share", _("Share of allegations"), "rate"),
            ],
            rows=findings,
            chart={"type": "bar", "values": ["allegations"]},
            quality=q,
        ),
    ]


DASHBOARDS.register(
    Dashboard(
        "complaints",
        gettext_lazy("Complaints"),
        gettext_lazy(
            "Complaints about officers' conduct: what they allege, what was found, and how long it took."
        ),
        "complaint",
        "dash_complaint",
        build,
    )
)

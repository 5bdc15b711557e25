"""Figures from oversight's published statistics (the `oversight_*` release tables).

Oversight contributes these tables to every release (docs/oversight.md, "Published
statistics"); the dashboards read them by name, as any other reader of a release would, and
never import the app. Each table already withholds its small cells (empty, `suppressed`), so
a withheld figure reads as "—" here. They count the agency as a whole: the month filter
chooses years where a table has them, and the neighbourhood filter does not apply, so they are
shown on the city-wide dashboard only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from commonbeat.transparency.dashboards.common import Context, quality
from commonbeat.transparency.dashboards.figures import Column, Figure

SUSTAINED = "oversight_sustained_rates"
CONCURRENCE = "oversight_concurrence"
DAYS_TO_CLOSE = "oversight_days_to_close"
DAYS_IN_STAGE = "oversight_days_in_stage"
FORCE_REVIEWS = "oversight_force_reviews"


def _years(ctx: Context) -> tuple[str, str]:
    return ctx.filters.start[:4], ctx.filters.end[:4]


def _quality(ctx: Context, rows: list[dict[str, Any]], measure: str, kind: str) -> dict[str, Any]:
    total = sum(int(r.get(measure) or 0) for r in rows)
    return quality(ctx, total, kind, {}, (None, None), [_origin_note()])


def _origin_note() -> str:
    return _(
        "“Handled here” counts the cases handled in Commonbeat; “historic records” counts the complaints the agency published before, imported as records. Figures resting on fewer cases than the release's minimum are withheld (—)."
    )


def complaint_figures(ctx: Context) -> list[Figure]:
    """Sustained rates by year, days to close and in each stage, and concurrence with the
    recommendations, for the dashboard's agency."""
    if not ctx.city_wide:
        return []
    release, figures = ctx.release, []
    if release.has(SUSTAINED):
        first, last = _years(ctx)
        rows = release.records(
            f"SELECT year, origin, decided, sustained, rate, rate_low, rate_high FROM {SUSTAINED} "  # noqa: S608  fixed table; values are ? parameters
            "WHERE agency = ? AND category = 'all' AND year BETWEEN ? AND ? "
            "AND year NOT IN ('all', 'unknown') ORDER BY year, origin",
            [ctx.agency, first, last],
        )
        if rows:
            figures.append(
                Figure(
                    id="sustained-rates-by-year",
                    title=_("Sustained rates by year closed, with %(level)s intervals")
                    % {"level": "95%"},
                    description=_(
                        "The share of allegations with a final finding that were sustained, by the year the case closed."
                    ),
                    columns=[
                        Column("year", _("Year closed"), "dimension"),
                        Column("origin", _("Cases"), "dimension"),
                        Column("decided", _("Allegations with a final finding")),
                        Column("sustained", _("Sustained")),
                        Column("rate", _("Sustained rate"), "rate", "decided"),
                        Column("rate_low", _("Interval, low"), "rate"),
                        Column("rate_high", _("Interval, high"), "rate"),
                    ],
                    rows=rows,
                    notes=[
                        _(
                            "The interval is the Wilson %(level)s score interval: with this many allegations, the rate could plausibly lie anywhere in it."
                        )
                        % {"level": "95%"}
                    ],
                    quality=_quality(ctx, rows, "decided", "allegations"),
                )
            )
    if release.has(CONCURRENCE):
        rows = release.records(
            f"SELECT recommended_by, origin, compared, followed, share_followed FROM {CONCURRENCE} "  # noqa: S608  fixed table; values are ? parameters
            "WHERE agency = ? AND year = 'all' ORDER BY recommended_by, origin",
            [ctx.agency],
        )
        if rows:
            figures.append(
                Figure(
                    id="final-decision-followed-recommendation",
                    title=_("How often the final decision followed the recommendation"),
                    description=_(
                        "Allegations with both a recommended and a final finding, and how often the final finding was the one recommended by the civilian board or by the investigators."
                    ),
                    columns=[
                        Column("recommended_by", _("Recommended by"), "dimension"),
                        Column("origin", _("Cases"), "dimension"),
                        Column("compared", _("Allegations compared")),
                        Column("followed", _("Final finding as recommended")),
                        Column("share_followed", _("Share followed"), "rate", "compared"),
                    ],
                    rows=rows,
                    chart={"type": "bar", "values": ["share_followed"]},
                    notes=[_("Over every year in the release.")],
                    quality=_quality(ctx, rows, "compared", "allegations"),
                )
            )
    if release.has(DAYS_TO_CLOSE):
        rows = release.records(
            f"SELECT origin, closed_cases, days_p25, days_median, days_p75 FROM {DAYS_TO_CLOSE} "  # noqa: S608  fixed table; values are ? parameters
            "WHERE agency = ? AND category = 'all' ORDER BY origin",
            [ctx.agency],
        )
        if rows:
            figures.append(_days_figure(ctx, rows))
    if release.has(DAYS_IN_STAGE):
        rows = release.records(
            f"SELECT stage AS case_stage, cases, days_p25, days_median, days_p75 FROM {DAYS_IN_STAGE} "  # noqa: S608  fixed table; values are ? parameters
            "WHERE agency = ? ORDER BY days_median DESC NULLS LAST, stage",
            [ctx.agency],
        )
        if rows:
            figures.append(
                Figure(
                    id="days-in-each-stage",
                    title=_("Days spent in each stage of a case"),
                    description=_(
                        "How long cases handled here stayed in each stage before moving on (quartiles)."
                    ),
                    columns=[
                        Column("case_stage", _("Stage"), "dimension"),
                        Column("cases", _("Cases that left the stage")),
                        Column("days_p25", _("First quartile, days"), "days"),
                        Column("days_median", _("Median days"), "days"),
                        Column("days_p75", _("Third quartile, days"), "days"),
                    ],
                    rows=rows,
                    chart={"type": "bar", "values": ["days_median"]},
                    quality=_quality(ctx, rows, "cases", "complaints"),
                )
            )
    return figures


def _days_figure(ctx: Context, rows: list[dict[str, Any]]) -> Figure:
    return Figure(
        id="days-to-close-by-origin",
        title=_("Days from receipt to closing"),
        description=_("Quartiles of the days each closed complaint took, over every year."),
        columns=[
            Column("origin", _("Cases"), "dimension"),
            Column("closed_cases", _("Complaints closed")),
            Column("days_p25", _("First quartile, days"), "days"),
            Column("days_median", _("Median days"), "days"),
            Column("days_p75", _("Third quartile, days"), "days"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["days_median"]},
        quality=_quality(ctx, rows, "closed_cases", "complaints"),
    )


def force_review_figures(ctx: Context) -> list[Figure]:
    """Use-of-force reports filed in Commonbeat, reviewed, and the reviews' outcomes, by month."""
    if not ctx.city_wide or not ctx.release.has(FORCE_REVIEWS):
        return []
    rows = ctx.release.records(
        "SELECT month, submitted, reviewed, within_policy, training_needed, referred "  # noqa: S608  fixed table; values are ? parameters
        f"FROM {FORCE_REVIEWS} WHERE month BETWEEN ? AND ? ORDER BY month",
        [ctx.filters.start, ctx.filters.end],
    )
    if not rows:
        return []
    return [
        Figure(
            id="force-reports-reviewed",
            title=_("Use-of-force reports reviewed, and what the reviews found"),
            description=_(
                "Reports officers filed in Commonbeat each month, the reviews finished, and their outcomes."
            ),
            columns=[
                Column("month", _("Month"), "dimension"),
                Column("submitted", _("Reports submitted")),
                Column("reviewed", _("Reviews finished")),
                Column("within_policy", _("Within policy")),
                Column("training_needed", _("Training needed")),
                Column("referred", _("Referred to investigation")),
            ],
            rows=rows,
            chart={"type": "line", "values": ["submitted", "reviewed"]},
            notes=[
                _(
                    "Counts from 1 to the release's minimum are withheld (—). Reports filed in Commonbeat only; the historic incidents above come from the agency's own records."
                )
            ],
            quality=quality(
                ctx, sum(int(r["submitted"] or 0) for r in rows), "reports", {}, (None, None)
            ),
        )
    ]

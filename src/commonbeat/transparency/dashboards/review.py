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


def _read(ctx: Context, table: str, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Rows of one of oversight's tables, none when the release does not have it."""
    if not ctx.release.has(table):
        return []
    return ctx.release.records(sql.format(table=table), params)


def _quartiles(
    ctx: Context,
    rows: list[dict[str, Any]],
    dimension: Column,
    count: Column,
    text: tuple[str, str, str],
) -> Figure:
    """A figure of day quartiles (first, median, third) for each value of one dimension;
    `text` is its id, title and description."""
    figure_id, title, description = text
    return Figure(
        id=figure_id,
        title=title,
        description=description,
        columns=[
            dimension,
            count,
            Column("days_p25", _("First quartile, days"), "days"),
            Column("days_median", _("Median days"), "days"),
            Column("days_p75", _("Third quartile, days"), "days"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["days_median"]},
        quality=_quality(ctx, rows, count.key, "complaints"),
    )


def complaint_figures(ctx: Context) -> list[Figure]:
    """Sustained rates by year, days to close and in each stage, and concurrence with the
    recommendations, for the dashboard's agency."""
    if not ctx.city_wide:
        return []
    figures = []
    # Table names are fixed here and filled in by _read; values are ? parameters.
    sustained = _read(
        ctx, SUSTAINED,
        "SELECT year, origin, decided, sustained, rate, rate_low, rate_high FROM {table} "
        "WHERE agency = ? AND category = 'all' AND year BETWEEN ? AND ? "
        "AND year NOT IN ('all', 'unknown') ORDER BY year, origin",
        [ctx.agency, *_years(ctx)],
    )  # fmt: skip
    if sustained:
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
                rows=sustained,
                notes=[
                    _(
                        "The interval is the Wilson %(level)s score interval: with this many allegations, the rate could plausibly lie anywhere in it."
                    )
                    % {"level": "95%"}
                ],
                quality=_quality(ctx, sustained, "decided", "allegations"),
            )
        )
    followed = _read(
        ctx, CONCURRENCE,
        "SELECT recommended_by, origin, compared, followed, share_followed FROM {table} "
        "WHERE agency = ? AND year = 'all' ORDER BY recommended_by, origin",
        [ctx.agency],
    )  # fmt: skip
    if followed:
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
                rows=followed,
                chart={"type": "bar", "values": ["share_followed"]},
                notes=[_("Over every year in the release.")],
                quality=_quality(ctx, followed, "compared", "allegations"),
            )
        )
    to_close = _read(
        ctx, DAYS_TO_CLOSE,
        "SELECT origin, closed_cases, days_p25, days_median, days_p75 FROM {table} "
        "WHERE agency = ? AND category = 'all' ORDER BY origin",
        [ctx.agency],
    )  # fmt: skip
    if to_close:
        figures.append(
            _quartiles(
                ctx, to_close, Column("origin", _("Cases"), "dimension"),
                Column("closed_cases", _("Complaints closed")),
                ("days-to-close-by-origin", _("Days from receipt to closing"),
                 _("Quartiles of the days each closed complaint took, over every year.")),
            )
        )  # fmt: skip
    in_stage = _read(
        ctx, DAYS_IN_STAGE,
        "SELECT stage AS case_stage, cases, days_p25, days_median, days_p75 FROM {table} "
        "WHERE agency = ? ORDER BY days_median DESC NULLS LAST, stage",
        [ctx.agency],
    )  # fmt: skip
    if in_stage:
        figures.append(
            _quartiles(
                ctx, in_stage, Column("case_stage", _("Stage"), "dimension"),
                Column("cases", _("Cases that left the stage")),
                ("days-in-each-stage", _("Days spent in each stage of a case"),
                 _("How long cases handled here stayed in each stage before moving on (quartiles).")),
            )
        )  # fmt: skip
    return figures


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

"""The use-of-force dashboard: incidents by month, force types, injuries to the people force
was used on and to officers, and incidents per 1,000 arrests and per 1,000 calls."""

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
from commonbeat.transparency.dashboards.figures import Column, Figure, per_1000, rate
from commonbeat.transparency.dashboards.registry import DASHBOARDS, Dashboard
from commonbeat.transparency.dashboards.review import force_review_figures

COUNTS = (
    "incidents",
    "fatal",
    "firearm",
    "subjects",
    "subjects_injured",
    "subject_injury_missing",
    "officers",
    "officers_injured",
    "officer_injury_missing",
)


def build(ctx: Context) -> list[Figure]:
    where, params = ctx.where()
    sums = ", ".join(f"coalesce(sum({c}), 0)::BIGINT AS {c}" for c in COUNTS)
    total = ctx.release.records(
        f"SELECT {sums}, coalesce(sum(incidents) FILTER (WHERE neighbourhood IS NULL), 0)::BIGINT "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"AS no_place FROM dash_force WHERE {where}",
        params,
    )[0]
    incidents = int(total["incidents"])
    by_month = ctx.release.records(
        f"SELECT month, {sums} FROM dash_force WHERE {where} GROUP BY ALL ORDER BY month",  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        params,
    )
    months = span(r["month"] for r in by_month)
    notes = place_and_time_notes(
        ctx, "dash_force", "incidents", _("incidents"), int(total["no_place"])
    )
    injury_missing = {
        "force_subject.injured": (total["subject_injury_missing"], total["subjects"]),
        "force_officer.injured": (total["officer_injury_missing"], total["officers"]),
    }

    def q(missing: dict[str, tuple[int, int]], more: list[str] | None = None) -> dict[str, Any]:
        return quality(ctx, incidents, "incidents", missing, months, notes + (more or []))

    figures = [
        Figure(
            id="force-by-month",
            title=_("Use-of-force incidents by month"),
            description=_("Incidents, and people injured in them, by the month they occurred."),
            columns=[
                Column("month", _("Month"), "dimension"),
                Column("incidents", _("Incidents")),
                Column("subjects_injured", _("People injured (force used on them)")),
                Column("officers_injured", _("Officers injured")),
            ],
            rows=by_month,
            chart={"type": "line", "values": ["incidents", "subjects_injured", "officers_injured"]},
            quality=q(injury_missing),
        ),
        _types(ctx, q({})),
        Figure(
            id="force-injuries",
            title=_("Injuries"),
            description=_(
                "People force was used on and officers involved, and how many of each were injured."
            ),
            columns=[
                Column("people", _("Who"), "dimension"),
                Column("people_count", _("People")),
                Column("injured", _("Injured")),
                Column("injury_rate", _("Share injured"), "rate", "people_count"),
            ],
            rows=[
                {
                    "people": kind,
                    "people_count": int(total[kind]),
                    "injured": int(total[f"{kind}_injured"]),
                    "injury_rate": rate(int(total[f"{kind}_injured"]), int(total[kind])),
                }
                for kind in ("subjects", "officers")
            ],
            chart={"type": "bar", "values": ["injury_rate"]},
            notes=[
                _(
                    "Share injured = people recorded as injured / people recorded in the incidents; an injury not recorded counts as none. Shares of fewer than 20 people are marked unreliable."
                ),
                _(
                    "%(fatal)s incidents were recorded as fatal and %(firearm)s involved an officer firing a gun."
                )
                % {"fatal": total["fatal"], "firearm": total["firearm"]},
            ],
            quality=q(injury_missing),
        ),
    ]
    rates = _rates(ctx, incidents, q({}))
    if rates is not None:
        figures.append(rates)
    if ctx.city_wide:
        rows = ctx.release.records(
            f"SELECT neighbourhood, {sums} FROM dash_force WHERE {where} "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
            "AND neighbourhood IS NOT NULL GROUP BY ALL",
            params,
        )
        if rows:
            rows.sort(key=lambda r: ctx.names.get(r["neighbourhood"], r["neighbourhood"]))
            figures.append(
                Figure(
                    id="force-by-neighbourhood",
                    title=_("Use-of-force incidents by neighbourhood"),
                    description=_("Incidents in each neighbourhood."),
                    columns=[
                        Column("neighbourhood", _("Neighbourhood"), "dimension"),
                        Column("incidents", _("Incidents")),
                        Column("subjects_injured", _("People injured (force used on them)")),
                        Column("officers_injured", _("Officers injured")),
                    ],
                    rows=rows,
                    chart={"type": "bar", "values": ["incidents"]},
                    quality=q({"neighbourhood": (int(total["no_place"]), incidents)}),
                    links={r["neighbourhood"]: ctx.link(r["neighbourhood"]) for r in rows},
                    names=ctx.names,
                    map_measure="incidents",
                )
            )
    # Reviews of the reports officers filed in Commonbeat (oversight's published statistics).
    return figures + force_review_figures(ctx)


def _types(ctx: Context, q: dict[str, Any]) -> Figure:
    where, params = ctx.where()
    rows = ctx.release.records(
        f"SELECT force_type, sum(incidents)::BIGINT AS incidents, sum(actions)::BIGINT AS actions "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"FROM dash_force_type WHERE {where} GROUP BY ALL ORDER BY incidents DESC, force_type",
        params,
    )
    missing = sum(r["actions"] for r in rows if r["force_type"] is None)
    all_actions = sum(r["actions"] for r in rows)
    kept = top(rows, "force_type", ["incidents", "actions"])
    q = {
        **q,
        "missing": [
            {
                "field": "force_action.force_type",
                "missing": missing,
                "of": all_actions,
                "share": round(missing / all_actions, 4) if all_actions else None,
            }
        ],
    }
    return Figure(
        id="force-types",
        title=_("Types of force used"),
        description=_("Officers' actions by type of force, as the agency records them."),
        columns=[
            Column("force_type", _("Type of force"), "dimension"),
            Column("incidents", _("Incidents where used")),
            Column("actions", _("Times used")),
        ],
        rows=kept,
        chart={"type": "bar", "values": ["incidents"]},
        notes=[
            _(
                "An incident where several types were used counts once under each, so incidents do not add up to the total. The most common 25 types are listed; the rest are summed as “All others”."
            )
        ],
        quality=q,
    )


def _rates(ctx: Context, incidents: int, q: dict[str, Any]) -> Figure | None:
    """Incidents per 1,000 arrests (stops ending in arrest) and per 1,000 calls, same filters."""
    where, params = ctx.where()
    rows = []
    for key, cube, measure in (
        ("arrests", "dash_stop", "arrests"),
        ("calls", "dash_call_volume", "calls"),
    ):
        if not ctx.release.has(cube):
            continue
        count = ctx.release.value(
            f"SELECT sum({measure})::BIGINT FROM {cube} WHERE {where}",  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
            params,
        )
        if count:
            rows.append(
                {
                    "denominator": key,
                    "denominator_count": int(count),
                    "incidents": incidents,
                    "per_1000": per_1000(incidents, int(count)),
                }
            )
    if not rows:
        return None
    return Figure(
        id="force-rates",
        title=_("Use-of-force incidents per 1,000 arrests and per 1,000 calls"),
        description=_(
            "Incidents divided by arrests or calls for service in the same place and months."
        ),
        columns=[
            Column("denominator", _("Per 1,000 of"), "dimension"),
            Column("denominator_count", _("Count")),
            Column("incidents", _("Incidents")),
            Column("per_1000", _("Incidents per 1,000"), "per_1000", "denominator_count"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["per_1000"]},
        notes=[
            _(
                "Arrests are the stops whose outcome was an arrest in this release's stop records; arrests made outside stops are not in it. Calls are all calls for service, whichever service responded. Not every incident follows an arrest or a call, so these are ratios, not probabilities."
            )
        ],
        quality=q,
    )


DASHBOARDS.register(
    Dashboard(
        "force",
        gettext_lazy("Use of force"),
        gettext_lazy(
            "Incidents in which officers used force, the force used, and the injuries that followed."
        ),
        "force_incident",
        "dash_force",
        build,
    )
)

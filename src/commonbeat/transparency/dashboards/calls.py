"""The calls-for-service dashboard: volume by month, service and type; response times by
priority and stage (median and 90th percentile from the histogram cube); share of calls with a
unit on scene within target times."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.transparency.dashboards import labels
from commonbeat.transparency.dashboards.common import (
    Context,
    place_and_time_notes,
    priority_order,
    quality,
    quantile,
    resolution_note,
    span,
    top,
)
from commonbeat.transparency.dashboards.cubes import OUT_OF_ORDER, STAGES, TARGET_MINUTES
from commonbeat.transparency.dashboards.figures import Column, Figure, rate
from commonbeat.transparency.dashboards.registry import DASHBOARDS, Dashboard


def _volume(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """One scan of the volume cube: by month and service, by type, by neighbourhood, total."""
    where, params = ctx.where()
    rows = ctx.release.records(
        "SELECT grouping(month) = 0 AS by_month, grouping(call_type) = 0 AS by_type, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "grouping(neighbourhood) = 0 AS by_place, month, discipline, call_type, neighbourhood, "
        "sum(calls)::BIGINT AS calls, sum(type_missing)::BIGINT AS type_missing, "
        "sum(priority_missing)::BIGINT AS priority_missing, "
        "sum(discipline_missing)::BIGINT AS discipline_missing "
        f"FROM dash_call_volume WHERE {where} "
        "GROUP BY GROUPING SETS ((month, discipline), (call_type), (neighbourhood), ())",
        params,
    )
    grouped: dict[str, list[dict[str, Any]]] = {"month": [], "type": [], "place": [], "total": []}
    for row in rows:
        kind = (
            "month"
            if row["by_month"]
            else "type"
            if row["by_type"]
            else "place"
            if row["by_place"]
            else "total"
        )
        grouped[kind].append(row)
    return grouped


def build(ctx: Context) -> list[Figure]:
    volume = _volume(ctx)
    zero = {"calls": 0, "type_missing": 0, "priority_missing": 0, "discipline_missing": 0}
    totals = volume["total"][0] if volume["total"] and volume["total"][0]["calls"] else zero
    calls = int(totals["calls"])
    no_place = sum(r["calls"] for r in volume["place"] if r["neighbourhood"] is None)
    months = span(r["month"] for r in volume["month"])
    notes = place_and_time_notes(ctx, "dash_call_volume", "calls", _("calls"), no_place)

    def q(missing: dict[str, tuple[int, int]], more: list[str] | None = None) -> dict[str, Any]:
        return quality(ctx, calls, "calls", missing, months, notes + (more or []))

    figures = [_by_month(volume["month"], q({"discipline": (totals["discipline_missing"], calls)}))]
    figures.append(_by_type(volume["type"], q({"call_type": (totals["type_missing"], calls)})))
    response, stage_missing, by_place = _response(ctx)
    response.quality = q(
        {"priority": (totals["priority_missing"], calls), **stage_missing}, [resolution_note()]
    )
    figures.append(response)
    figures.append(_targets(ctx, q({"priority": (totals["priority_missing"], calls)})))
    if ctx.city_wide:
        place = _by_neighbourhood(
            ctx, volume["place"], by_place, q({"neighbourhood": (no_place, calls)})
        )
        if place is not None:
            figures.append(place)
    return figures


def _by_month(found: list[dict[str, Any]], q: dict[str, Any]) -> Figure:
    disciplines = sorted({r["discipline"] for r in found}, key=lambda d: (d is None, d or ""))
    by_month: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in found:
        by_month[r["month"]][_key(r["discipline"])] = int(r["calls"])
    rows = []
    for month in sorted(by_month):
        row: dict[str, Any] = {"month": month}
        for d in disciplines:
            row[_key(d)] = by_month[month].get(_key(d), 0)
        row["calls"] = sum(by_month[month].values())
        rows.append(row)
    columns = [Column("month", _("Month"), "dimension")]
    if len(disciplines) > 1:
        columns += [Column(_key(d), labels.value("discipline", d)) for d in disciplines]
    columns.append(Column("calls", _("All calls")))
    return Figure(
        id="calls-by-month",
        title=_("Calls for service by month"),
        description=_("Calls received each month, by the service that responded where recorded."),
        columns=columns,
        rows=rows,
        chart={"type": "line", "values": [c.key for c in columns[1:]]},
        quality=q,
    )


def _key(discipline: str | None) -> str:
    return f"calls_{discipline or 'not_recorded'}"


def _by_type(grouped: list[dict[str, Any]], q: dict[str, Any]) -> Figure:
    found = sorted(
        ({"call_type": r["call_type"], "calls": int(r["calls"])} for r in grouped),
        key=lambda r: (-r["calls"], r["call_type"] or ""),
    )
    rows = top(found, "call_type", ["calls"])
    total = sum(r["calls"] for r in found)
    for row in rows:
        row["share"] = rate(row["calls"], total)
    return Figure(
        id="calls-by-type",
        title=_("Calls for service by type"),
        description=_("The most common call types at intake, with their share of all calls."),
        columns=[
            Column("call_type", _("Call type"), "dimension"),
            Column("calls", _("Calls")),
            Column("share", _("Share of calls"), "rate"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["calls"]},
        notes=[
            _("The %(top)s most common types are listed; the rest are summed as “All others”.")
            % {"top": 25}
        ]
        if len(rows) < len(found)
        else [],
        quality=q,
    )


def _response(
    ctx: Context,
) -> tuple[Figure, dict[str, tuple[int, int]], dict[str, list[tuple[int, int]]]]:
    """Histograms by (service, priority, stage) and, city-wide, of the total by neighbourhood."""
    where, params = ctx.where()
    sets = "(discipline, priority, stage, bin), (neighbourhood, stage, bin)"
    found_all = ctx.release.rows(
        "SELECT grouping(neighbourhood) = 0, neighbourhood, discipline, priority, stage, bin, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"sum(calls)::BIGINT FROM dash_call_response WHERE {where} GROUP BY GROUPING SETS ({sets})",
        params,
    )
    by_place: dict[str, list[tuple[int, int]]] = defaultdict(list)
    found = []
    for is_place, place, discipline, priority, stage, index, count in found_all:
        if not is_place:
            found.append((discipline, priority, stage, index, count))
        elif stage == "total" and place is not None:
            by_place[place].append((index, count))
    histograms: dict[tuple[Any, Any], dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    missing: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for discipline, priority, stage, index, count in found:
        missing[stage][1] += count
        if index is None or index == OUT_OF_ORDER:
            missing[stage][0] += count
            continue
        histograms[(discipline, priority)][stage].append((index, count))
    rows = []
    for discipline, priority in sorted(
        histograms, key=lambda k: ((k[0] is None, k[0] or ""), priority_order(k[1]))
    ):
        stages = histograms[(discipline, priority)]
        row: dict[str, Any] = {
            "discipline": discipline,
            "priority": priority,
            "calls": sum(n for _b, n in stages.get("total", [])),
        }
        for name, _start, _end in STAGES:
            row[f"{name}_median"] = quantile(stages.get(name, []), 0.5)
            row[f"{name}_p90"] = quantile(stages.get(name, []), 0.9)
        rows.append(row)
    columns = [
        Column("discipline", _("Service"), "dimension"),
        Column("priority", _("Priority"), "dimension"),
        Column("calls", _("Calls timed to scene")),
    ]
    for name, _start, _end in STAGES:
        stage = labels.value("stage", name)
        columns.append(
            Column(f"{name}_median", _("%(stage)s: median") % {"stage": stage}, "seconds")
        )
        columns.append(
            Column(f"{name}_p90", _("%(stage)s: 90th percentile") % {"stage": stage}, "seconds")
        )
    figure = Figure(
        id="response-times",
        title=_("Response times by priority and stage"),
        description=_(
            "Median and 90th-percentile time of each stage, from the call being received to the first unit on scene. Charted: the total, in minutes."
        ),
        columns=columns,
        rows=rows,
        chart={"type": "bar", "values": ["total_median", "total_p90"]},
        notes=[
            _(
                "Each stage counts the calls with both of its times recorded in order; calls cancelled before a stage (or officer-initiated calls with no queue) are not in it. “Calls timed to scene” counts calls with both the receipt and arrival times."
            ),
            resolution_note(),
        ],
        quality={},
    )
    stage_missing = {
        f"{labels.value('stage', name)}": (missing[name][0], missing[name][1])
        for name, _start, _end in STAGES
    }
    return figure, stage_missing, by_place


def _targets(ctx: Context, q: dict[str, Any]) -> Figure:
    where, params = ctx.where()
    within = ", ".join(f"sum(within_{m})::BIGINT AS within_{m}" for m in TARGET_MINUTES)
    found = ctx.release.records(
        f"SELECT discipline, priority, sum(reached)::BIGINT AS reached, {within} "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"FROM dash_call_target WHERE {where} GROUP BY ALL",
        params,
    )
    found.sort(
        key=lambda r: (
            (r["discipline"] is None, r["discipline"] or ""),
            priority_order(r["priority"]),
        )
    )
    rows = []
    for r in found:
        row = {"discipline": r["discipline"], "priority": r["priority"], "reached": r["reached"]}
        for m in TARGET_MINUTES:
            row[f"share_{m}"] = rate(r[f"within_{m}"], r["reached"])
        rows.append(row)
    return Figure(
        id="response-targets",
        title=_("Share of calls with a unit on scene within target times"),
        description=_(
            "Of calls where a unit arrived, the share where it arrived within 5, 10, 15 and 20 minutes of the call being received."
        ),
        columns=[
            Column("discipline", _("Service"), "dimension"),
            Column("priority", _("Priority"), "dimension"),
            Column("reached", _("Calls with a unit on scene")),
            *[
                Column(
                    f"share_{m}", _("Within %(minutes)s min") % {"minutes": m}, "rate", "reached"
                )
                for m in TARGET_MINUTES
            ],
        ],
        rows=rows,
        chart={"type": "bar", "values": [f"share_{m}" for m in TARGET_MINUTES]},
        notes=[
            _(
                "Counted exactly from each call's times (not from the histogram). Denominator: calls with both a receipt and an on-scene time. Shares of fewer than 20 calls are marked unreliable."
            )
        ],
        quality=q,
    )


def _by_neighbourhood(
    ctx: Context,
    grouped: list[dict[str, Any]],
    histograms: dict[str, list[tuple[int, int]]],
    q: dict[str, Any],
) -> Figure | None:
    volume = {r["neighbourhood"]: int(r["calls"]) for r in grouped if r["neighbourhood"]}
    if not volume:
        return None
    rows = [
        {
            "neighbourhood": slug,
            "calls": int(volume[slug]),
            "timed": sum(
                n for b, n in histograms.get(slug, []) if b is not None and b != OUT_OF_ORDER
            ),
            "total_median": quantile(histograms.get(slug, []), 0.5),
        }
        for slug in sorted(volume, key=lambda s: ctx.names.get(s, s))
    ]
    return Figure(
        id="calls-by-neighbourhood",
        title=_("Calls for service by neighbourhood"),
        description=_(
            "Calls in each neighbourhood and the median time to the first unit on scene."
        ),
        columns=[
            Column("neighbourhood", _("Neighbourhood"), "dimension"),
            Column("calls", _("Calls")),
            Column("timed", _("Calls timed to scene")),
            Column("total_median", _("Median call to on scene"), "seconds"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["calls"]},
        notes=[resolution_note()],
        quality=q,
        links={r["neighbourhood"]: ctx.link(r["neighbourhood"]) for r in rows},
        names=ctx.names,
        map_measure="calls",
    )


DASHBOARDS.register(
    Dashboard(
        "calls",
        gettext_lazy("Calls for service"),
        gettext_lazy(
            "How many calls come in, of which types, and how long it takes for help to arrive."
        ),
        "call",
        "dash_call_volume",
        build,
    )
)

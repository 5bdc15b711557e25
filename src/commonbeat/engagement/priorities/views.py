"""Public pages of priorities: each neighbourhood's "you said, we did" page (with its
upcoming events) and one priority's page with its measure's before/after chart."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.events import api as events_api
from commonbeat.engagement.priorities import api, chart
from commonbeat.engagement.priorities.measure import Series, series
from commonbeat.engagement.priorities.models import Priority
from commonbeat.releases.cache import current_release

MAX_CHARTS = 12  # charts drawn on one neighbourhood page; the rest link to their own page
MAX_EVENTS = 20
PRIORITY_HEADER = (
    "id", "neighbourhood", "issue", "source", "issue_date", "action", "action_date", "owner",
    "status", "progress", "measure", "part_of", "url",
)  # fmt: skip
SERIES_HEADER = ("month", "count", "phase")


def _number(value: float, digits: int = 2) -> str:
    return number_format(round(value, digits), digits)


def describe(found: Series) -> str:
    """The comparison in words, with its interval, or why there is none."""
    if found.comparison is None:
        return {
            "no_table": _("The current release has no records of this kind."),
            "no_records": _("The current release has no records of this kind for the agency."),
            "no_action": _("The comparison starts once the action has a start date."),
            "too_few_months": _(
                "Not enough months yet: the comparison needs three whole months before and "
                "three after the month the action began."
            ),
        }.get(found.reason, "")
    c = found.comparison
    if c.after_mean == 0:
        return _(
            "None were counted in the %(after)s months after the action began, against "
            "%(before_mean)s a month in the %(before)s months before (ratio 0; 95%% interval "
            "up to %(high)s)."
        ) % {
            "after": c.after_months,
            "before": c.before_months,
            "before_mean": _number(c.before_mean, 1),
            "high": _number(c.high),
        }
    return _(
        "%(after_mean)s a month in the %(after)s months after the action began, against "
        "%(before_mean)s a month in the %(before)s months before: a ratio of %(ratio)s "
        "(95%% interval %(low)s to %(high)s). An interval that includes 1 means the change "
        "could be chance."
    ) % {
        "after_mean": _number(c.after_mean, 1),
        "after": c.after_months,
        "before_mean": _number(c.before_mean, 1),
        "before": c.before_months,
        "ratio": _number(c.ratio),
        "low": _number(c.low),
        "high": _number(c.high),
    }


def _measured(priority: Priority) -> dict[str, Any] | None:
    """The measure's series, chart and words for one priority, from the current release."""
    release = current_release()
    if priority.measure is None or release is None:
        return None
    neighbourhood = priority.neighbourhood
    found = series(
        release, priority.measure, neighbourhood.agency.slug, neighbourhood.slug,
        priority.action_date,
    )  # fmt: skip
    comparison = found.comparison
    return {
        "release": release.version,
        "series": found,
        "chart": chart.svg(found),
        "words": describe(found),
        "rows": [
            {"month": bar["month"], "count": bar["count"], "phase": bar["phase"]}
            for bar in (chart.svg(found) or {"bars": []})["bars"]
        ],
        "data": {
            "release": release.version,
            "action_month": found.action_month,
            "months": [
                {"month": m, "count": n} for m, n in zip(found.months, found.counts, strict=True)
            ],
            "comparison": (
                {
                    "before_months": comparison.before_months,
                    "after_months": comparison.after_months,
                    "before_mean": comparison.before_mean,
                    "after_mean": comparison.after_mean,
                    "rate_ratio": comparison.ratio,
                    "interval_95": [comparison.low, comparison.high],
                    "dispersion": comparison.dispersion,
                    "method": "quasi-Poisson rate ratio, whole months, 12 either side at most",
                }
                if comparison
                else None
            ),
            "note": describe(found),
        },
    }


@policy.requires("engagement.view")
def neighbourhood_page(
    request: HttpRequest, agency: str, neighbourhood: str, suffix: str | None = None
) -> HttpResponse:
    place = get_object_or_404(
        Neighbourhood.objects.select_related("agency"), agency__slug=agency, slug=neighbourhood
    )
    priorities = list(api.public_priorities(place))
    shown: list[dict[str, Any]] = []
    for i, priority in enumerate(priorities):
        item = {"priority": priority, "data": api.priority_data(priority)}
        if i < MAX_CHARTS and priority.measure_id and priority.action_date:
            item["measured"] = _measured(priority)
        shown.append(item)
    events = list(events_api.neighbourhood_events(place)[:MAX_EVENTS])
    listed_priorities: list[dict[str, Any]] = [
        {**item["data"], "measured": item["measured"]["data"] if item.get("measured") else None}
        for item in shown
    ]
    listed_events = [events_api.event_data(e) for e in events]
    data = {
        "agency": place.agency.slug,
        "neighbourhood": place.slug,
        "name": place.name,
        "priorities": listed_priorities,
        "events": listed_events,
    }
    rows = []
    for entry in listed_priorities:
        for row in [entry, *entry["parts"]]:
            rows.append(
                [
                    row["id"], place.slug, row["issue"], row["source"], row["issue_date"],
                    row["action"], row["action_date"], row["owner"], row["status"],
                    row["progress"], row["measure"], entry["id"] if row is not entry else "",
                    request.build_absolute_uri(row["url"]),
                ]
            )  # fmt: skip
    context = {
        "place": place,
        "items": shown,
        "event_items": [
            {"event": e, "data": d} for e, d in zip(events, listed_events, strict=True)
        ],
    }
    return twins.respond(
        request, "engagement/neighbourhood.html", context, data, suffix=suffix,
        table=(PRIORITY_HEADER, rows), filename=f"{place.agency.slug}-{place.slug}-priorities",
    )  # fmt: skip


@policy.requires("engagement.view")
def priority_page(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    priority = get_object_or_404(
        Priority.objects.filter(public=True)
        .select_related("neighbourhood__agency", "measure", "source_event", "parent")
        .prefetch_related("milestones", "children__milestones"),
        pk=pk,
    )
    measured = _measured(priority) if priority.action_date or priority.measure_id else None
    data = {**api.priority_data(priority), "measured": measured["data"] if measured else None}
    rows = [(r["month"], r["count"], r["phase"]) for r in measured["rows"]] if measured else []
    context = {"priority": priority, "item": data, "measured": measured}
    return twins.respond(
        request, "engagement/priority.html", context, data, suffix=suffix,
        table=(SERIES_HEADER, rows), filename=f"priority-{priority.pk}",
    )  # fmt: skip

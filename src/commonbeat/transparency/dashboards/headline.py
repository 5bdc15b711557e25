"""A plain-language headline for a neighbourhood: this period against the same months a year
before, and whether the change is beyond normal variation.

Counts of events in a fixed place and span of time are treated as Poisson. Two periods of the
same length (the same calendar months, a year apart) have the same exposure, so under "no
change in the underlying rate" the later count, given the total of both, is Binomial(total,
½): the exact conditional test (Przyborowski and Wilenski 1940). Its two-sided p-value and a
95% interval for the rate ratio (from the Clopper-Pearson interval of the binomial share)
say whether the change could be chance; a change is called "beyond normal variation" only
when p < 0.05. Nothing here is adjusted for trends, seasons or how many places are looked at,
which the sentence does not claim.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.stats import binomtest

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards import figures as figs
from commonbeat.transparency.dashboards import memo

ALPHA = 0.05
# How many of the latest months the neighbourhood page compares (a quarter).
PAGE_MONTHS = 3
# The count each dashboard's headline compares: dashboard slug -> (cube, column, what it is).
MEASURES: dict[str, tuple[str, str, Promise]] = {
    "crime": ("dash_crime", "crimes", gettext_lazy("Recorded crimes")),
    "stops": ("dash_stop", "stops", gettext_lazy("Stops")),
    "calls": ("dash_call_volume", "calls", gettext_lazy("Calls for service")),
    "force": ("dash_force", "incidents", gettext_lazy("Use-of-force incidents")),
    "complaints": ("dash_complaint", "complaints", gettext_lazy("Complaints")),
}


@dataclass(frozen=True)
class Change:
    """The outcome of comparing two Poisson counts with equal exposure."""

    now: int
    before: int
    p_value: float | None  # None when both counts are zero: there is nothing to test
    ratio: float | None  # now / before; None when before is 0
    ratio_low: float | None
    ratio_high: float | None

    @property
    def beyond_normal(self) -> bool:
        return self.p_value is not None and self.p_value < ALPHA


def compare(now: int, before: int, days_now: int = 1, days_before: int = 1) -> Change:
    """Return the exact conditional test of `now` against `before`.

    Exposure is the spans' lengths in days (a quarter a year apart can differ by a leap day,
    consecutive quarters by two days): under no change, now | total ~ Binomial(total, p0)
    with p0 = days_now / (days_now + days_before). The rate ratio is per day.
    """
    total = now + before
    if total == 0:
        return Change(now, before, None, None, None, None)
    p0 = days_now / (days_now + days_before)
    test = binomtest(now, total, p0, alternative="two-sided")
    interval = test.proportion_ci(confidence_level=1 - ALPHA, method="exact")
    scale = days_before / days_now

    def ratio(share: float) -> float | None:
        return None if share >= 1 else share / (1 - share) * scale

    return Change(
        now,
        before,
        float(test.pvalue),
        now / before * scale if before else None,
        ratio(float(interval.low)),
        ratio(float(interval.high)),
    )


def days(span: tuple[str, str]) -> int:
    """Return the number of days in the months from span[0] to span[1] (YYYY-MM, inclusive)."""
    year, month = int(span[0][:4]), int(span[0][5:7])
    total = 0
    while f"{year:04d}-{month:02d}" <= span[1]:
        total += calendar.monthrange(year, month)[1]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return total


def month_count(span: tuple[str, str]) -> int:
    return (int(span[1][:4]) - int(span[0][:4])) * 12 + int(span[1][5:7]) - int(span[0][5:7]) + 1


def shift(month: str, years: int) -> str:
    """Return the month `years` years from `month` (YYYY-MM)."""
    return f"{int(month[:4]) + years:04d}-{month[5:7]}"


def months_back(month: str, count: int) -> str:
    """Return the month `count - 1` months before `month`: the start of a span of `count`."""
    year, number = int(month[:4]), int(month[5:7]) - (count - 1)
    while number < 1:
        year, number = year - 1, number + 12
    return f"{year:04d}-{number:02d}"


def _count(
    release: Release, cube: str, column: str, agency: str, place: str, span: tuple[str, str]
) -> int:
    found = release.value(
        f"SELECT coalesce(sum({column}), 0)::BIGINT FROM {cube} "  # noqa: S608  cube and column names fixed in code; request values are ? parameters
        "WHERE agency = ? AND neighbourhood = ? AND month BETWEEN ? AND ?",
        [agency, place, *span],
    )
    return int(found or 0)


def headline(
    release: Release,
    dashboard: str,
    agency: str,
    neighbourhood: str,
    start: str,
    end: str,
    first_month: str,
) -> dict[str, Any] | None:
    """Return the headline for one dashboard's count in a neighbourhood, or None.

    The months chosen are compared with the same months a year before; when the release does
    not reach back that far, with the same number of months just before (the sentence says
    so, and that seasons may explain a difference). None when neither lies in the release.
    """
    if dashboard not in MEASURES:
        return None
    cube, column, what = MEASURES[dashboard]
    if not release.has(cube):
        return None
    span = (start, end)
    year_before = (shift(start, -1), shift(end, -1))
    just_before = (months_back(months_back(start, 2), month_count(span)), months_back(start, 2))
    if year_before[0] >= first_month and year_before[1] < start:
        earlier, baseline = year_before, "year_before"
    elif just_before[0] >= first_month:
        earlier, baseline = just_before, "months_before"
    else:
        return None

    def compute() -> Change:
        return compare(
            _count(release, cube, column, agency, neighbourhood, span),
            _count(release, cube, column, agency, neighbourhood, earlier),
            days(span),
            days(earlier),
        )

    change = memo.per_release(
        release, ("headline", cube, agency, neighbourhood, start, end), compute
    )
    # A count under the release's min_count is withheld here as in its count tables, with
    # the test's figures, which would give it back from the other count.
    min_count = int(release.manifest.get("privacy", {}).get("min_count") or 10)
    withheld = any(0 < count < min_count for count in (change.now, change.before))
    if withheld:
        change = Change(change.now, change.before, None, None, None, None)
    found = {
        "dashboard": dashboard,
        "measure": column,
        "from": start,
        "to": end,
        "previous_from": earlier[0],
        "previous_to": earlier[1],
        "baseline": baseline,
        "count": change.now,
        "previous_count": change.before,
        "p_value": None if change.p_value is None else round(change.p_value, 4),
        "rate_ratio": None if change.ratio is None else round(change.ratio, 3),
        "rate_ratio_low": None if change.ratio_low is None else round(change.ratio_low, 3),
        "rate_ratio_high": None if change.ratio_high is None else round(change.ratio_high, 3),
        "beyond_normal_variation": change.beyond_normal,
        "test": "exact conditional binomial test of two Poisson counts, two-sided",
        "suppressed": withheld,
        "text": (
            withheld_sentence(str(what), min_count, span, earlier)
            if withheld
            else sentence(str(what), change, span, earlier)
        )
        + (
            ""
            if baseline == "year_before"
            else " "
            + _(
                "The release has no data for the same months a year before, so these are the months just before; seasons may explain part of a difference."
            )
        ),
    }
    if withheld:
        found["count"] = found["previous_count"] = None
    return found


def withheld_sentence(
    what: str, min_count: int, now: tuple[str, str], before: tuple[str, str]
) -> str:
    """Return the headline when one of its counts is too small to publish."""
    return _(
        "%(what)s: fewer than %(count)s in %(span)s or in %(previous)s, too few to publish or compare without risk of pointing at the people counted."
    ) % {"what": what, "count": min_count, "span": _span(now), "previous": _span(before)}


def _span(span: tuple[str, str]) -> str:
    if span[0] == span[1]:
        return span[0]
    return _("%(start)s to %(end)s") % {"start": span[0], "end": span[1]}


def sentence(what: str, change: Change, now: tuple[str, str], before: tuple[str, str]) -> str:
    """Return the headline in the reader's language."""
    counts = {
        "what": what,
        "now": figs.display("count", change.now),
        "before": figs.display("count", change.before),
        "span": _span(now),
        "previous": _span(before),
    }
    if change.p_value is None:
        return _("%(what)s: none in %(span)s, and none in %(previous)s.") % counts
    first = _("%(what)s: %(now)s in %(span)s, against %(before)s in %(previous)s.") % counts
    if change.now == change.before:
        same = _("No change.")  # outside the f-string, where makemessages finds it
        return f"{first} {same}"
    direction = _("from none")
    if change.before:
        share = figs.display("rate", abs(change.now - change.before) / change.before)
        more = change.now > change.before
        direction = (_("%(share)s more") if more else _("%(share)s fewer")) % {"share": share}
    p_value = figs.display("rate", change.p_value).replace(" %", "")
    if change.beyond_normal:
        verdict = _(
            "The change (%(direction)s) is beyond normal variation: counts this size would differ this much by chance less than 5 times in 100 (exact test, p = %(p)s %%)."
        )
    else:
        verdict = _(
            "The change (%(direction)s) is within normal variation: counts this size often differ this much by chance (exact test, p = %(p)s %%)."
        )
    return f"{first} {verdict % {'direction': direction, 'p': p_value}}"

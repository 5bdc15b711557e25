"""A priority's measure drawn over the released records: monthly counts in its neighbourhood
before and after the action began, and the comparison stated with its uncertainty.

The series reads only the current release (the public side never opens the record store).
Months run over the release's coverage of that record type for the agency, zero-filled, so a
quiet month counts as zero rather than vanishing. The comparison takes up to twelve whole
months before the month the action began against up to twelve whole months after it (the
action's own month is left out, being part before and part after), and fits a quasi-Poisson
model of the monthly counts with an indicator for "after": the rate ratio is exp(β) with a
95 % interval whose width allows for months varying more than chance would (Pearson's
dispersion, never below 1). At least three months on each side are needed. A before/after
comparison says what changed, not why: the page says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import statsmodels.api as sm

from commonbeat.engagement.priorities.models import Measure
from commonbeat.releases.cache import Release

WINDOW_MONTHS = 12
MIN_MONTHS = 3
Z95 = 1.959963984540054

# (table, month expression) per record type: calls keep their instant, the rest their month.
_TABLES: dict[str, str] = {
    Measure.RecordType.CALL: "call",
    Measure.RecordType.CRIME: "crime",
    Measure.RecordType.STOP: "stop",
    Measure.RecordType.FORCE: "force_incident",
}


@dataclass(frozen=True)
class Comparison:
    before_months: int
    after_months: int
    before_mean: float
    after_mean: float
    ratio: float
    low: float
    high: float
    dispersion: float


@dataclass(frozen=True)
class Series:
    months: list[str]
    counts: list[int]
    action_month: str | None
    comparison: Comparison | None
    reason: str = ""  # why there is no comparison (a code the page words)
    points: list[dict[str, Any]] = field(default_factory=list)


def _month_sql(release: Release, record_type: str) -> str:
    if record_type == Measure.RecordType.CALL:
        return f"strftime({release.local_time_sql('received_at')}, '%Y-%m')"
    return "occurred_month"


def _query(
    release: Release, measure: Measure, agency: str, neighbourhood: str
) -> tuple[str, list[Any]]:
    month = _month_sql(release, measure.record_type)
    where = ["agency = ?", "neighbourhood = ?"]
    params: list[Any] = [agency, neighbourhood]
    types = [t.strip().lower() for t in measure.types if t.strip()]
    if types:
        marks = ", ".join("?" for _ in types)
        if measure.record_type == Measure.RecordType.CALL:
            where.append(f"(lower(call_type) IN ({marks}) OR lower(final_type) IN ({marks}))")
            params += types + types
        else:
            where.append(f"lower(category) IN ({marks})")
            params += types
    if measure.from_hour is not None and measure.to_hour is not None:
        hour = f"hour({release.local_time_sql('received_at')})"
        if measure.from_hour < measure.to_hour:
            where.append(f"{hour} >= ? AND {hour} < ?")
        else:  # wraps past midnight: 22 to 6
            where.append(f"({hour} >= ? OR {hour} < ?)")
        params += [measure.from_hour, measure.to_hour]
    table = _TABLES[measure.record_type]
    sql = (
        f"SELECT {month} AS month, count(*) AS n FROM {table} "  # noqa: S608  table and expressions fixed here; values are parameters
        f"WHERE {' AND '.join(where)} GROUP BY 1 ORDER BY 1"
    )
    return sql, params


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    found = []
    while (year, month) <= end:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def compare(months: list[str], counts: list[int], action_month: str) -> Comparison | None:
    """The quasi-Poisson rate ratio after/before, or None with too few months either side."""
    before = [c for m, c in zip(months, counts, strict=True) if m < action_month][-WINDOW_MONTHS:]
    after = [c for m, c in zip(months, counts, strict=True) if m > action_month][:WINDOW_MONTHS]
    if len(before) < MIN_MONTHS or len(after) < MIN_MONTHS or sum(before) == 0:
        return None
    y = np.array(before + after, dtype=float)
    x = sm.add_constant(np.array([0.0] * len(before) + [1.0] * len(after)))
    if sum(after) == 0:
        # No events after: the model's estimate runs to zero; state the one-sided bound only.
        return Comparison(
            len(before), len(after), float(np.mean(before)), 0.0, 0.0, 0.0,
            _zero_after_upper(sum(before), len(before), len(after)), 1.0,
        )  # fmt: skip
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit()
    # Pearson's dispersion: months vary more than a Poisson count would (never taken below 1).
    dispersion = max(1.0, float(fit.pearson_chi2) / float(fit.df_resid))
    beta = float(fit.params[1])
    se = float(fit.bse[1]) * math.sqrt(dispersion)
    return Comparison(
        before_months=len(before),
        after_months=len(after),
        before_mean=float(np.mean(before)),
        after_mean=float(np.mean(after)),
        ratio=math.exp(beta),
        low=math.exp(beta - Z95 * se),
        high=math.exp(beta + Z95 * se),
        dispersion=dispersion,
    )


def _zero_after_upper(before_total: int, before_months: int, after_months: int) -> float:
    # With none after, the exact 95 % upper bound on the after rate is 3.69/after_months
    # (Poisson, 0 events, two-sided 97.5 %); divided by the before rate.
    return (3.689 / after_months) / (before_total / before_months)


def series(
    release: Release, measure: Measure, agency: str, neighbourhood: str, action: date | None
) -> Series:
    """The measure's monthly counts in the neighbourhood, and the before/after comparison."""
    table = _TABLES[measure.record_type]
    action_month = action.strftime("%Y-%m") if action else None
    if not release.has(table):
        return Series([], [], action_month, None, "no_table")
    coverage = [
        c for c in release.coverage() if c["record_type"] == table and c["agency"] == agency
    ]
    if not coverage or not coverage[0]["first_month"]:
        return Series([], [], action_month, None, "no_records")
    first, last = coverage[0]["first_month"], coverage[0]["last_month"]
    counts = dict(_counted(release, measure, agency, neighbourhood))
    months = _months(first, last)
    values = [int(counts.get(m, 0)) for m in months]
    if action_month is None:
        return Series(months, values, None, None, "no_action")
    found = compare(months, values, action_month)
    reason = "" if found else "too_few_months"
    return Series(months, values, action_month, found, reason)


def _counted(
    release: Release, measure: Measure, agency: str, neighbourhood: str
) -> tuple[tuple[str, int], ...]:
    key = (
        release.version, measure.pk, measure.record_type, tuple(measure.types),
        measure.from_hour, measure.to_hour, agency, neighbourhood,
    )  # fmt: skip
    return _cached(key, lambda: _run(release, measure, agency, neighbourhood))


_CACHE: dict[tuple[Any, ...], tuple[tuple[str, int], ...]] = {}
_CACHE_SIZE = 512


def _cached(key: tuple[Any, ...], compute: Any) -> tuple[tuple[str, int], ...]:
    # A release never changes, so its counts are kept per process (bounded, oldest out).
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compute()
    return _CACHE[key]


def _run(
    release: Release, measure: Measure, agency: str, neighbourhood: str
) -> tuple[tuple[str, int], ...]:
    sql, params = _query(release, measure, agency, neighbourhood)
    return tuple((str(m), int(n)) for m, n in release.rows(sql, params) if m is not None)

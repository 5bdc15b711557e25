"""Intervals the equity analyses share: exact Poisson for counts per person, Wilson for shares.

Every function returns plain floats (None where undefined, e.g. no rows), so the figures go
straight into a `Table` row. Intervals are 95% (results.LEVEL) and computed by statsmodels:

- a count per person or per stop (stops per resident, force subjects per 1,000 stops): the exact
  (Garwood) Poisson interval for the count, divided by the exposure;
- the ratio of two such rates: the exact conditional interval (the binomial split of the two
  counts, Clopper-Pearson), which needs no large-count approximation;
- a share (hit rate, sustained rate, searches per stop): the Wilson score interval;
- the difference of two shares: Newcombe's hybrid score interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import translation
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson

from commonbeat.core.vocab import Race
from commonbeat.insights.results import LEVEL, UNKNOWN_RACES
from commonbeat.records.sql import quote_literals

ALPHA = 1 - LEVEL
PERCENT = round(100 * LEVEL)  # the intervals' level, as sentences give it

# The group every other is compared with, and the order groups are listed in.
REFERENCE = "white"
RACE_ORDER = (
    "white",
    "black",
    "hispanic",
    "asian_pacific_islander",
    "native_american",
    "multiracial",
    "other",
)

Interval = tuple[float | None, float | None, float | None]


def known_race(column: str) -> str:
    """SQL condition: the race column holds a race (not missing, unknown or not recorded)."""
    return f"{column} IS NOT NULL AND {column} NOT IN ({quote_literals(UNKNOWN_RACES)})"


def group_name(race: str) -> str:
    """The race's label in English, for a summary's parameters.

    The label is a msgid of the Race vocabulary, so a renderer that passes string parameters
    through gettext shows it translated.
    """
    if race not in Race.values:
        return race
    with translation.override("en"):
        return str(Race(race).label)


def race_sort_key(race: str) -> tuple[int, str]:
    return (RACE_ORDER.index(race) if race in RACE_ORDER else len(RACE_ORDER), race)


def poisson_rate(count: int, exposure: float, scale: float = 1.0) -> Interval:
    """Return count / exposure x scale with its exact Poisson interval."""
    if exposure <= 0:
        return None, None, None
    low, high = confint_poisson(count, exposure, method="exact-c", alpha=ALPHA)
    return _f(count / exposure * scale), _f(low * scale), _f(high * scale)


def rate_ratio(count: int, exposure: float, ref_count: int, ref_exposure: float) -> Interval:
    """Return the ratio of two Poisson rates with the exact conditional interval.

    Given the two counts' total, the first is binomial with p = R·e1 / (R·e1 + e2), R the rate
    ratio: the Clopper-Pearson interval for p, mapped back to R (statsmodels offers this test
    but not its interval).
    """
    if exposure <= 0 or ref_exposure <= 0 or ref_count == 0:
        return None, None, None
    ratio = (count / exposure) / (ref_count / ref_exposure)
    low, high = proportion_confint(count, count + ref_count, alpha=ALPHA, method="beta")
    scale = ref_exposure / exposure
    high_ratio = high / (1 - high) * scale if high < 1 else math.inf
    return _f(ratio), _f(low / (1 - low) * scale), _f(high_ratio)


def wilson(count: int, total: int) -> Interval:
    """Return count / total with the Wilson score interval."""
    if total <= 0:
        return None, None, None
    low, high = proportion_confint(count, total, alpha=ALPHA, method="wilson")
    return _f(count / total), _f(low), _f(high)


def share_difference(count: int, total: int, ref_count: int, ref_total: int) -> Interval:
    """Return count/total - ref_count/ref_total with Newcombe's hybrid score interval."""
    if total <= 0 or ref_total <= 0:
        return None, None, None
    low, high = confint_proportions_2indep(
        count, total, ref_count, ref_total, method="newcomb", compare="diff", alpha=ALPHA
    )
    return _f(count / total - ref_count / ref_total), _f(low), _f(high)


def put(row: dict[str, Any], key: str, interval: Interval) -> None:
    """Store an estimate and its interval as `key`, `key_low`, `key_high`."""
    row[key], row[f"{key}_low"], row[f"{key}_high"] = interval


def with_interval(key: str) -> tuple[str, str, str]:
    return key, f"{key}_low", f"{key}_high"


def withhold(row: dict[str, Any], keys: Iterable[str]) -> int:
    """Blank figures that rest on a suppressed count elsewhere (e.g. a ratio to a small group).

    Returns the cells blanked and flags the row, as `results.suppress` does.
    """
    blanked = 0
    for key in keys:
        if row.get(key) is not None:
            row[key] = None
            blanked += 1
    if blanked:
        row["suppressed"] = True
    return blanked


def by_race(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """A table's rows keyed by race, for a result's machine-readable `estimates`."""
    return {row["race"]: {k: v for k, v in row.items() if k != "race"} for row in rows}


def round_figures(row: Mapping[str, Any], digits: int = 6) -> dict[str, Any]:
    """Round floats so stored results do not carry floating-point noise."""
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in row.items()}


def pct(value: float | None) -> float | None:
    """A share as a percentage rounded to one decimal, for summary sentences."""
    return None if value is None else round(100 * value, 1)


def _f(value: Any) -> float | None:
    number = float(value)
    return number if number == number else None  # NaN (e.g. 0 of 0) is undefined

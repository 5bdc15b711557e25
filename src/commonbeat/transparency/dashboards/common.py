"""What every dashboard module shares: the request's context, quality notes, quantiles.

The data-quality block sits beside every figure (the issue asks for it): the months asked
for and the months that have data, how many records the figure summarises, the share of each
field it uses that is missing, and the release it came from. It is computed from the same
cube rows as the figure, so it describes exactly what was counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards import labels, memo
from commonbeat.transparency.dashboards.cubes import BINS_PER_DECADE, UNDER_ONE_SECOND
from commonbeat.transparency.dashboards.figures import Column, Figure, per_1000
from commonbeat.transparency.dashboards.filters import Filters

# Long category lists (call types, force types) show the largest ones and group the rest.
TOP = 25


@dataclass(frozen=True)
class Context:
    """Everything a dashboard needs to build its figures for one request."""

    release: Release
    agency: str
    filters: Filters
    names: dict[str, str]  # neighbourhood slug -> name (from core where it exists)
    link: Callable[[str], str]  # neighbourhood slug -> this dashboard filtered to it

    def where(self, prefix: str = "") -> tuple[str, list[Any]]:
        return self.filters.where(self.agency, prefix)

    @property
    def city_wide(self) -> bool:
        return self.filters.neighbourhood is None


def quality(
    ctx: Context,
    records: int,
    record_kind: str,
    missing: dict[str, tuple[int, int]],
    months: tuple[str | None, str | None],
    notes: Iterable[str] = (),
) -> dict[str, Any]:
    """Return a figure's quality block; `missing` maps field -> (missing, out of)."""
    return {
        "release": ctx.release.version,
        "from": ctx.filters.start,
        "to": ctx.filters.end,
        "first_month_with_data": months[0],
        "last_month_with_data": months[1],
        "records": int(records),
        "record_kind": record_kind,
        "missing": [
            {
                "field": name,
                "missing": int(count),
                "of": int(total),
                "share": round(count / total, 4) if total else None,
            }
            for name, (count, total) in missing.items()
        ],
        "notes": [str(note) for note in notes],
    }


def span(months: Iterable[Any]) -> tuple[str | None, str | None]:
    """Return the first and last month among those given (months with data)."""
    found = sorted(str(m) for m in months if m is not None)
    return (found[0], found[-1]) if found else (None, None)


def _undated(release: Release, cube: str, measure: str) -> dict[tuple[str, str | None], int]:
    rows = release.rows(
        f"SELECT agency, neighbourhood, sum({measure})::BIGINT FROM {cube} "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        "WHERE month IS NULL GROUP BY ALL"
    )
    return {(agency, place): int(count) for agency, place, count in rows}


def undated_note(ctx: Context, cube: str, measure: str, kind: str) -> str | None:
    """Say how many records have no month (and so are in no month range), if any."""
    found = memo.per_release(
        ctx.release, ("undated", cube), lambda: _undated(ctx.release, cube, measure)
    )
    if ctx.filters.neighbourhood is None:
        count = sum(n for (agency, _place), n in found.items() if agency == ctx.agency)
    else:
        count = found.get((ctx.agency, ctx.filters.neighbourhood), 0)
    if not count:
        return None
    return _("%(count)s %(kind)s have no month and are not counted.") % {
        "count": count,
        "kind": kind,
    }


def neighbourhood_note(ctx: Context, missing: int, kind: str) -> str | None:
    if not ctx.city_wide or not missing:
        return None
    return _(
        "%(count)s %(kind)s have no neighbourhood: they count city-wide but in no neighbourhood."
    ) % {"count": missing, "kind": kind}


def place_and_time_notes(
    ctx: Context, cube: str, measure: str, kind: str, no_place: int
) -> list[str]:
    """Return the notes every dashboard carries: records with no month, and with no place."""
    found = (undated_note(ctx, cube, measure, kind), neighbourhood_note(ctx, no_place, kind))
    return [note for note in found if note]


def bin_value(index: int) -> float:
    """Return the value a histogram bin stands for: its geometric middle, in seconds."""
    if index == UNDER_ONE_SECOND:
        return 0.5
    return float(10 ** ((index + 0.5) / BINS_PER_DECADE))


def quantile(histogram: Iterable[tuple[int, int]], q: float) -> float | None:
    """Return the q-quantile of a histogram of (bin, count): the bin where the rank falls."""
    bins = sorted((b, n) for b, n in histogram if b is not None and b >= UNDER_ONE_SECOND and n)
    total = sum(n for _b, n in bins)
    if not total:
        return None
    rank = max(1, math.ceil(q * total))  # the nearest-rank definition
    seen = 0
    for index, count in bins:
        seen += count
        if seen >= rank:
            return bin_value(index)
    return bin_value(bins[-1][0])


def resolution_note() -> str:
    step = (10 ** (1 / BINS_PER_DECADE) - 1) * 100
    return _(
        "Medians and 90th percentiles are read from a histogram of durations in bins %(step).1f%% wide (log-spaced), so each is within %(half).1f%% of the exact value."
    ) % {"step": step, "half": step / 2}


def top(
    rows: list[dict[str, Any]], key: str, measures: Iterable[str], size: int = TOP
) -> list[dict[str, Any]]:
    """Keep the `size` largest rows (rows come sorted) and sum the rest into one."""
    if len(rows) <= size + 1:
        return rows
    kept, rest = rows[:size], rows[size:]
    others: dict[str, Any] = {key: labels.OTHERS}
    for measure in measures:
        others[measure] = sum(row.get(measure) or 0 for row in rest)
    return [*kept, others]


def priority_order(value: Any) -> tuple[int, float, str]:
    """Sort priorities numerically where they are numbers ('2' before '10')."""
    if value is None:
        return (2, 0, "")
    text = str(value)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0, text)


def sorted_months(values: Iterable[Any]) -> list[str]:
    return sorted({str(v) for v in values if v is not None})


def residents(ctx: Context) -> dict[str, int]:
    """Return residents per neighbourhood of the agency, from the release's benchmark."""

    def compute() -> dict[tuple[str, str], int]:
        if not ctx.release.has("dash_residents"):
            return {}
        rows = ctx.release.rows(
            "SELECT agency, neighbourhood, sum(residents)::BIGINT FROM dash_residents "
            "WHERE neighbourhood IS NOT NULL GROUP BY ALL"
        )
        return {(agency, place): int(count) for agency, place, count in rows if count}

    found = memo.per_release(ctx.release, ("residents by neighbourhood",), compute)
    return {place: count for (agency, place), count in found.items() if agency == ctx.agency}


def with_resident_rates(ctx: Context, figures: list[Figure]) -> list[Figure]:
    """Give each figure by neighbourhood its mapped count per 1,000 residents, beside the
    count, where the release publishes the neighbourhoods' residents."""
    known = residents(ctx)
    if not known:
        return figures
    for figure in figures:
        measure = figure.map_measure
        if measure is None or not any(r.get("neighbourhood") in known for r in figure.rows):
            continue
        key = f"{measure}_per_1000_residents"
        for row in figure.rows:
            row["residents"] = known.get(row.get("neighbourhood") or "")
            row[key] = per_1000(row.get(measure), row["residents"])
        at = next(i for i, c in enumerate(figure.columns) if c.key == measure) + 1
        column = next(c for c in figure.columns if c.key == measure)
        figure.columns[at:at] = [
            Column("residents", _("Residents")),
            Column(
                key,
                _("%(measure)s per 1,000 residents") % {"measure": column.label},
                "per_1000",
            ),
        ]
        figure.notes.append(
            _(
                "Residents are the release's published population of each neighbourhood; people counted in a neighbourhood need not live there, so a rate per resident is a guide to scale, not a risk."
            )
        )
    return figures

"""Published sentiment series beside our own surveys: Chicago's Police Sentiment Scores.

Chicago's scores (a monthly online survey run by Elucd, 0-100 for safety and for trust, by area,
district and sector) arrive as `external_series` records through the record store's
`chicago_sentiment` mapping and reach the public side only in a release. This module reads the
current release: the city-wide and per-area series of safety and trust, overall (not by group),
one point per published period. The early scores are weekly, later ones monthly; each point is
drawn at its period's start. Chicago redrew its areas: the weekly scores to May 2019 have three
named areas (Central, North, South), the monthly ones five numbered areas; both are shown.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from commonbeat.records.mappings.chicago_sentiment import SERIES
from commonbeat.releases.cache import Release

MEASURES = ("safety", "trust")
LEVELS = ("city", "area")
TABLE = "external_series"


def agencies(release: Release | None) -> list[str]:
    """Agencies whose released records carry the series."""
    if release is None or not release.has(TABLE):
        return []
    rows = release.rows(
        f"SELECT DISTINCT agency FROM {TABLE} WHERE series = ? ORDER BY agency",  # noqa: S608  fixed name
        [SERIES],
    )
    return [str(r[0]) for r in rows]


def series(release: Release, agency: str) -> dict[str, Any]:
    """Per place (the city, then each area), per measure, the points (period start, value)."""
    rows = release.rows(
        f"""SELECT level, area, measure, CAST(period_start AS VARCHAR) AS start,
                   CAST(period_end AS VARCHAR) AS finish, value
            FROM {TABLE}
            WHERE series = ? AND agency = ? AND "group" = 'all'
              AND level IN ('city', 'area') AND measure IN ('safety', 'trust')
              AND value IS NOT NULL
            ORDER BY level, area, start""",  # noqa: S608  fixed name; values are parameters
        [SERIES, agency],
    )
    places: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {m: [] for m in MEASURES}
    )
    for level, area, measure, start, finish, value in rows:
        places[(str(level), str(area))][str(measure)].append(
            {"start": start, "end": finish, "value": round(float(value), 2)}
        )
    ordered = sorted(places, key=lambda p: (LEVELS.index(p[0]), _area_order(p[1])))
    first = min(
        (pt["start"] for p in places.values() for m in p.values() for pt in m), default=None
    )
    last = max((pt["start"] for p in places.values() for m in p.values() for pt in m), default=None)
    return {
        "series": SERIES,
        "agency": agency,
        "first": first,
        "last": last,
        "places": [
            {"level": lv, "area": a, "label": _label(a), **places[(lv, a)]} for lv, a in ordered
        ],
    }


def _label(area: str) -> str:
    digits = "".join(ch for ch in area if ch.isascii() and ch.isdigit())
    return digits or area.replace("_", " ").title()


def _area_order(area: str) -> tuple[int, str]:
    # Numbered areas (area_1 to area_5, Chicago's areas since 2020) first; the three named
    # areas of the weekly scores (Central, North, South, to May 2019) after them.
    digits = "".join(ch for ch in area if ch.isascii() and ch.isdigit())
    return (int(digits) if digits else 1_000, area)


def periods(place: dict[str, Any]) -> list[dict[str, Any]]:
    """The place's periods in order, each with its safety and trust score (None if missing)."""
    by_start: dict[str, dict[str, Any]] = {}
    for measure in MEASURES:
        for point in place[measure]:
            by_start.setdefault(point["start"], {"start": point["start"]})[measure] = point["value"]
    return [by_start[k] for k in sorted(by_start)]

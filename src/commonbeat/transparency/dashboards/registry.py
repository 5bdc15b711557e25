"""The dashboards, what each needs from a release, and which an agency has data for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from commonbeat.core.registry import Registry
from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards.common import Context
from commonbeat.transparency.dashboards.figures import Figure


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str | Promise
    intro: str | Promise
    record_type: str  # the release table whose coverage (months, records) the dashboard has
    cube: str  # the cube whose neighbourhoods and months the filters offer
    build: Callable[[Context], list[Figure]]


# Each dashboard module registers itself at its end; TransparencyConfig.ready() imports them in
# the order the index lists them.
DASHBOARDS: Registry[Dashboard] = Registry("dashboards", key=lambda d: d.slug)


def coverage_by_agency(release: Release) -> dict[str, dict[str, dict[str, Any]]]:
    """Return {agency: {dashboard slug: coverage row}} for dashboards with data."""
    by_type: dict[str, list[Dashboard]] = {}
    for dashboard in DASHBOARDS.values():
        if release.has(dashboard.cube):
            by_type.setdefault(dashboard.record_type, []).append(dashboard)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in release.coverage():
        for dashboard in by_type.get(row["record_type"], []):
            if row["records"] and row["first_month"]:
                found.setdefault(row["agency"], {})[dashboard.slug] = row
    return {
        agency: {slug: rows[slug] for slug in DASHBOARDS if slug in rows}
        for agency, rows in sorted(found.items())
    }

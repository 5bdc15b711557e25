"""The five dashboards, what each needs from a release, and which an agency has data for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonbeat.transparency.dashboards import calls, complaints, crime, force, stops
from commonbeat.transparency.dashboards.common import Context
from commonbeat.transparency.dashboards.figures import Figure
from commonbeat.transparency.release import Release


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str | Promise
    intro: str | Promise
    record_type: str  # the release table whose coverage (months, records) the dashboard has
    cube: str  # the cube whose neighbourhoods and months the filters offer
    build: Callable[[Context], list[Figure]]


DASHBOARDS = {
    d.slug: d
    for d in (
        Dashboard(
            "calls",
            _("Calls for service"),
            _("How many calls come in, of which types, and how long it takes for help to arrive."),
            "call",
            "dash_call_volume",
            calls.build,
        ),
        Dashboard(
            "crime",
            _("Crime and outcomes"),
            _("Recorded crimes by category and month, their outcomes, and how many are cleared."),
            "crime",
            "dash_crime",
            crime.build,
        ),
        Dashboard(
            "stops",
            _("Stops"),
            _(
                "Who is stopped, searched, frisked and arrested, and how often searches find something."
            ),
            "stop",
            "dash_stop",
            stops.build,
        ),
        Dashboard(
            "force",
            _("Use of force"),
            _(
                "Incidents in which officers used force, the force used, and the injuries that followed."
            ),
            "force_incident",
            "dash_force",
            force.build,
        ),
        Dashboard(
            "complaints",
            _("Complaints"),
            _(
                "Complaints about officers' conduct: what they allege, what was found, and how long it took."
            ),
            "complaint",
            "dash_complaint",
            complaints.build,
        ),
    )
}


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

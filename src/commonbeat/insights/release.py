"""The analyses' contribution to a release: each agency's equity report, `equity/<agency>.json`.

Computed at publication from the private records, where exact dates, times and places are
still known, but holding aggregate figures only, with cells resting on fewer than the release's
`min_count` rows withheld; a report naming a private field is refused (ReleaseContext.write_json).
Registered by InsightsConfig.ready() after the record store's tables, whose agencies it reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from commonbeat.insights.equity import equity_report
from commonbeat.insights.stops import Selection
from commonbeat.records.contributions import Contributor, PublishError, ReleaseContext
from commonbeat.records.zones import fix_command

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def contribute(context: ReleaseContext) -> dict[str, dict[str, Any]]:
    """Write each agency's equity report; return the manifest's `equity` entries.

    Each report reads clock times in the zone the manifest gives the agency; where none is
    known, the analyses reading clock times refuse (saying why), and nothing assumes UTC.
    """
    if not context.store.count("stop"):
        return {}
    con = context.con
    agencies = [
        row[0] for row in con.execute("SELECT DISTINCT agency FROM stop ORDER BY 1").fetchall()
    ]
    zones = context.agencies()
    (context.staging / "equity").mkdir()
    out: dict[str, dict[str, Any]] = {}
    for agency in agencies:
        if not SAFE_NAME.match(agency):
            raise PublishError(
                f"Agency {agency!r} cannot name a file: its slug must be a-z, 0-9, - or _."
            )
        zone = zones.get(agency, {}).get("time_zone") or None
        report = equity_report(
            con,
            Selection(agency=agency),
            min_count=context.min_count,
            time_zone=zone,
            generated=context.created,
        )
        data = report.to_dict()
        results = data["results"]
        out[agency] = {
            **context.write_json(f"equity/{agency}.json", data),
            "stops": data["dataset"]["rows"],
            "analyses": [r["analysis"] for r in results],
            "applicable": [r["analysis"] for r in results if r["applicable"]],
            "time_zone": zone,
            # Why each analysis that did not apply was refused, in English, for the operator.
            "refused": {
                r.analysis: r.reason.render()
                for r in report.results
                if not r.applicable and r.reason is not None
            },
        }
    return out


def describe(section: Mapping[str, Any]) -> list[str]:
    """Return one line per agency's equity report (stops, analyses that applied), then one per
    analysis refused for want of the agency's time zone, saying how to fix it."""
    lines = []
    for slug, entry in section.items():
        lines.append(
            f"  {slug:24} equity report: {entry['stops']:,} stops, "
            f"{len(entry['applicable'])} of {len(entry['analyses'])} analyses applicable "
            f"({entry['path']})"
        )
        if entry.get("time_zone", "") is None:
            refused = ", ".join(sorted(entry.get("refused", {}))) or "none"
            lines.append(
                f"    SKIPPED for {slug}: no time zone is known, so analyses of local clock "
                f"times were refused (not applicable: {refused}). Fix: {fix_command(slug)}"
            )
    return lines


CONTRIBUTOR = Contributor("equity", contribute, section="equity", describe=describe)

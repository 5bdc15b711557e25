"""Operations that make releases; the `publish` command and the demo call these."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from django.conf import settings

from commonbeat.core.models import Agency
from commonbeat.records.contributions import CONTRIBUTORS
from commonbeat.records.store import RecordStore, default_store
from commonbeat.releases.publish import ReleaseSummary, publish


def publish_release(
    grid_metres: float = 250.0,
    min_count: int | None = None,
    store: RecordStore | None = None,
    releases_dir: Path | None = None,
    equity: bool = True,
    skip: Collection[str] = (),
) -> ReleaseSummary:
    """Publish a new release of the record store, with each agency's time zone from the database.

    The `publish` command and the demo both call this, so a release is made one way only.
    `skip` names release contributors to leave out (`equity` False skips "equity", the equity
    reports). Raises PublishError when there is nothing to publish or a setting is wrong.
    """
    time_zones = {
        slug: zone for slug, zone in Agency.objects.values_list("slug", "time_zone") if zone
    }
    licences = {slug: lic for slug, lic in Agency.objects.values_list("slug", "licence") if lic}
    return publish(
        store or default_store(),
        Path(releases_dir or settings.RELEASES_DIR),
        grid_metres=grid_metres,
        min_count=settings.PUBLISH_MIN_COUNT if min_count is None else min_count,
        time_zones=time_zones,
        licences=licences,
        equity=equity,
        skip=skip,
    )


def time_zone_lines(summary: ReleaseSummary) -> list[str]:
    """Return one line per agency of a release: its time zone, where it came from, any note."""
    origin = {"agency": "the agency's record", "source": "its sources", "default": "default"}
    lines = []
    for slug, entry in summary.agencies.items():
        if not entry.get("time_zone"):
            lines.append(f"  {slug:24} time zone NOT KNOWN: clock-time analyses skipped")
        else:
            where = origin.get(entry["time_zone_from"], entry["time_zone_from"])
            lines.append(f"  {slug:24} time zone {entry['time_zone']} ({where})")
        if entry.get("note"):
            lines.append(f"    {entry['note']}")
    return lines


def contribution_lines(summary: ReleaseSummary) -> list[str]:
    """Return what each release contributor says about the section it wrote."""
    lines = []
    for contributor in CONTRIBUTORS.values():
        if contributor.describe is not None and contributor.section in summary.sections:
            lines += contributor.describe(summary.sections[contributor.section])
    return lines

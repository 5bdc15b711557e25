"""Equity reports as the public side reads them: from the release's `equity` documents."""

from __future__ import annotations

from functools import lru_cache

from commonbeat.insights.equity import Report
from commonbeat.releases.cache import Release

SECTION = "equity"  # the manifest section insights/release.py contributes


def equity_agencies(release: Release) -> list[str]:
    """Return the agencies this release carries an equity report for."""
    return release.documents(SECTION)


@lru_cache(maxsize=64)
def equity_report(release: Release, agency: str) -> Report | None:
    """Return the agency's equity report, or None if the release has none (read once: a
    release never changes)."""
    data = release.document(SECTION, agency)
    return None if data is None else Report.from_dict(data)

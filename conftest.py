"""Root conftest: only what pytest reads before collecting (shared fixtures live in src/commonbeat)."""

from __future__ import annotations

import shutil


def pytest_report_header() -> list[str]:
    """Say which database and browser this run uses, so a CI log shows what was tested."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    chromium = shutil.which("chromium") or "none (browser tests skip, or fail under CI=true)"
    return [f"database: {database['ENGINE']} {database.get('HOST') or ''}", f"chromium: {chromium}"]

"""Debian's Chromium driven by Playwright, and axe-core's accessibility check, for tests.

The `browser` fixture lives in `src/commonbeat/conftest.py`; this module holds what it and the
browser tests share. Skipped, with the reason, when no Chromium is installed; under CI=true its
absence fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTEFACTS = Path(os.environ.get("TEST_ARTEFACTS", "test-artifacts")) / "browser"
# Chromium's own background traffic is refused on closed networks; these flags keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 412, "height": 915}  # a cheap phone's screen
# axe-core impact levels that fail a test. "moderate" and "minor" findings are reported in the
# test's output but do not fail it, as the issue asks for no *serious* violations.
FAILING_IMPACTS = ("serious", "critical")


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def launch_browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but Debian's chromium is not installed: `apt-get install chromium`."
            )
        pytest.skip("No Chromium found (install Debian's chromium, or set CHROMIUM_PATH).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # fixtures around it, refuses that unless told the calls are made synchronously on purpose.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def accessibility_problems(page: Any) -> list[str]:
    """Run axe-core (bundled by axe-playwright-python) on the page; return serious findings."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
        line = f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}"
        if violation["impact"] in FAILING_IMPACTS:
            problems.append(line)
        else:
            print(f"axe ({page.url}): {line}")
    return problems


def watch_errors(page: Any) -> list[str]:
    """Collect script errors and console errors (CSP refusals show up here) from a page."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors

"""Root conftest: only what pytest reads before collecting (shared fixtures live in src/commonbeat)."""

from __future__ import annotations

import shutil
from collections import Counter
from typing import Any

import pytest

# Under xdist the controller never collects: workers send it their test ids, and it only hears
# of a test again when the test reports. A test that never reports, or that shares its id with
# another (xdist then runs one of them), would otherwise vanish from the count with the run
# still green, so the run fails naming it.
_COLLECTED: set[str] = set()
_REPORTED: set[str] = set()
_SHARED_IDS: set[str] = set()


def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    _SHARED_IDS.update(nodeid for nodeid, count in Counter(ids).items() if count > 1)
    _COLLECTED.update(ids)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _REPORTED.add(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    problems = [f"NOT RUN {nodeid}" for nodeid in sorted(_COLLECTED - _REPORTED)]
    problems += [f"SHARED ID (only one runs) {nodeid}" for nodeid in sorted(_SHARED_IDS)]
    if problems and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", f"{len(problems)} collected tests did not run", red=True)
            for line in problems:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header() -> list[str]:
    """Say which database and browser this run uses, so a CI log shows what was tested."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    chromium = shutil.which("chromium") or "none (browser tests skip, or fail under CI=true)"
    return [f"database: {database['ENGINE']} {database.get('HOST') or ''}", f"chromium: {chromium}"]

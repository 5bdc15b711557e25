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


# Fixtures that build something every worker then waits for (conftest.py, testing/once.py).
_BUILT_FIXTURES = ("real_release",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the modules so that a worker is not left idle waiting for a build.

    Under `--dist loadscope` workers take whole modules in collection order. The first module
    that needs the real-data release (about 100 s to build) goes first, so one worker builds
    it while the other works through modules that need nothing; the other modules that need
    it go last, when it is built. The order within each module is unchanged.
    """

    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    users = list(
        dict.fromkeys(
            module(item)
            for item in items
            if any(name in getattr(item, "fixturenames", ()) for name in _BUILT_FIXTURES)
        )
    )
    if users:
        rank = {users[0]: 0, **dict.fromkeys(users[1:], 2)}
        items.sort(key=lambda item: rank.get(module(item), 1))


def pytest_report_header() -> list[str]:
    """Say which database and browser this run uses, so a CI log shows what was tested."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    chromium = shutil.which("chromium") or "none (browser tests skip, or fail under CI=true)"
    return [f"database: {database['ENGINE']} {database.get('HOST') or ''}", f"chromium: {chromium}"]

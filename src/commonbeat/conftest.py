"""Fixtures every app's tests share: one persona per role, and a small city to look at.

Personas follow healthchecks' pattern: each view is tested as each role, so a view that
forgets to ask the permission policy shows up as a failing test, not a leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonbeat.core.demo.city import CityPlan, build_city
from commonbeat.core.demo.load import load_city
from commonbeat.core.demo.records.load import generate_records
from commonbeat.core.models import Agency, Officer, User
from commonbeat.core.roles import Role
from commonbeat.records.engine import Importer, ImportReport
from commonbeat.records.publish import publish
from commonbeat.records.store import RecordStore
from commonbeat.testing.browser import launch_browser
from commonbeat.transparency.release import Release, current_release, forget_releases

ANONYMOUS = "anonymous"
PERSONAS = [ANONYMOUS, *Role.values]


def make_persona(role: str, officer: Officer | None = None) -> User:
    """Return a saved user holding the role (no password: tests log in with force_login)."""
    user = User(username=f"{role}-persona", role=role, officer=officer)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def client_as(db: None) -> Callable[..., Client]:
    """Return a function giving a test client signed in as a persona (or anonymous)."""

    def sign_in(role: str, officer: Officer | None = None) -> Client:
        client = Client()
        if role != ANONYMOUS:
            client.force_login(make_persona(role, officer))
        return client

    return sign_in


@pytest.fixture(scope="session")
def small_plan() -> CityPlan:
    """Return a small synthetic city: quick to load, same shape as the demo."""
    return build_city(seed=7, neighbourhood_count=4, officer_count=40)


@pytest.fixture
def city(db: None, small_plan: CityPlan) -> CityPlan:
    """Load the small city into the test database and return its plan."""
    load_city(small_plan)
    return small_plan


SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """Return ../shared/data, or skip when this machine does not have it (CI always does)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"The real data folder {SHARED_DATA} is absent on this machine.")
    return SHARED_DATA


@pytest.fixture
def record_store(tmp_path: Path) -> RecordStore:
    """Return an empty record store in a temporary folder."""
    return RecordStore(tmp_path / "store")


@pytest.fixture
def run_import(db: None, record_store: RecordStore, tmp_path: Path) -> Callable[..., ImportReport]:
    """Return a function importing paths into the temporary store, returning the report."""

    def run(*paths: Path, mapping: str | None = None) -> ImportReport:
        importer = Importer(record_store, mapping=mapping, rejects_dir=tmp_path / "rejects")
        return importer.run(list(paths))

    return run


@pytest.fixture(autouse=True)
def _private_folders(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test writes into the developer's var/: store, releases and caches go to a temp folder."""
    root = tmp_path_factory.mktemp("var")
    settings.RECORD_STORE_DIR = root / "store"
    settings.RELEASES_DIR = root / "releases"
    settings.RELEASE_CACHE_DIR = root / "cache"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skips without it; fails without it under CI)."""
    yield from launch_browser()


# Releases for the public side ---------------------------------------------------------------
# Building a release takes seconds, so each is built once per test session and reused; the
# fixtures point RELEASES_DIR and RELEASE_CACHE_DIR at it for one test.
_BUILT_RELEASES: dict[str, Path] = {}
REAL_RELEASE_FOLDERS = (
    "dispatch_911",
    "uk_stop_search",
    "chicago_invinst",
    "nypd_sqf",
    "seattle_terry_stops",
)


def _build_release(root: Path, paths: list[Path]) -> None:
    store = RecordStore(root / "store")
    report = Importer(store, rejects_dir=root / "rejects").run(paths)
    assert report.ok, [f.error for f in report.files if f.error]
    zones = dict(Agency.objects.values_list("slug", "time_zone"))
    publish(store, root / "releases", min_count=10, time_zones=zones)


@contextmanager
def _serving(root: Path) -> Iterator[Release]:
    from django.test import override_settings

    with override_settings(RELEASES_DIR=root / "releases", RELEASE_CACHE_DIR=root / "cache"):
        forget_releases()
        release = current_release()
        assert release is not None
        try:
            yield release
        finally:
            forget_releases()


@pytest.fixture
def published(city: CityPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    """Load the small city and serve a release of a quarter-size year of its records."""
    if "city" not in _BUILT_RELEASES:
        root = tmp_path_factory.mktemp("city-release")
        generated = generate_records(city, root / "csv", scale=0.25)
        _build_release(root, generated.files)
        _BUILT_RELEASES["city"] = root
    with _serving(_BUILT_RELEASES["city"]) as release:
        yield release


@pytest.fixture
def real_release(
    db: None, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Release]:
    """Serve a release of real data: 911 calls, stops (UK stop and search, NYPD stop, question
    and frisk, Seattle Terry stops) with their equity reports, Chicago force and complaints."""
    if "real" not in _BUILT_RELEASES:
        root = tmp_path_factory.mktemp("real-release")
        _build_release(root, [shared_data / name for name in REAL_RELEASE_FOLDERS])
        _BUILT_RELEASES["real"] = root
    with _serving(_BUILT_RELEASES["real"]) as release:
        yield release

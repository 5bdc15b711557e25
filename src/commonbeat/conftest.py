"""Fixtures every app's tests share: one persona per role, a small city to look at, the demo
city's records in a store, and releases for the public side.

Personas follow healthchecks' pattern: each view is tested as each role, so a view that
forgets to ask the permission policy shows up as a failing test, not a leak.

A lower app's tests get what the layers above build through these fixtures, never by
importing those layers (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.conf import settings as django_settings
from django.test import Client

from commonbeat.core.models import Agency, Officer
from commonbeat.demo.city import CityPlan, build_city
from commonbeat.demo.load import load_city
from commonbeat.demo.records.load import generate_records
from commonbeat.records.engine import Importer, ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.releases.cache import Release
from commonbeat.releases.publish import publish
from commonbeat.testing.browser import launch_browser
from commonbeat.testing.once import built_once, run_folder
from commonbeat.testing.personas import ANONYMOUS, make_persona
from commonbeat.testing.releases import serving

# The shared checks of analysis results (testing/analyses.py) assert with pytest's
# explanations. Registered here, before any test module imports them: the analyses' tests
# (insights) and the demo's tests of its planted effects both use them.
pytest.register_assert_rewrite("commonbeat.testing.analyses")


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


@pytest.fixture
def engaged_city(city: CityPlan) -> CityPlan:
    """The small city with the demo's meetings, registrations and priorities (demo/engagement)."""
    from commonbeat.core.audit import acting_as
    from commonbeat.demo.engagement.plan import load_engagement

    with acting_as("test:engagement"):
        load_engagement(Agency.objects.get(slug=city.agency["slug"]), city)
    return city


@pytest.fixture
def refuse_record_store(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Return a function after which opening the private record store fails the test."""

    def refuse_from_now_on() -> None:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a public page opened the private record store")

        monkeypatch.setattr(RecordStore, "connect", refuse)
        monkeypatch.setattr(RecordStore, "catalog", refuse)

    return refuse_from_now_on


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
        importer = Importer(
            record_store, mapping=mapping, rejects_dir=tmp_path / "rejects", check_places=True
        )
        return importer.run(list(paths))

    return run


# The demo city's records for the analyses -------------------------------------------------
# The demo generator plants known effects (demo/demo-city.md): stop rates by race against the
# resident benchmark, a darkness effect (odds ratio 0.70), search thresholds per race
# (Black 0.10, Hispanic 0.15, others 0.23) and the hit rates they imply. The analyses' tests
# (insights/tests/) run on this store; the demo's tests (demo/tests/test_planted_*.py) check
# that the analyses recover the planted parameters from it.

# The full year of stops (the darkness test needs them); the other families small, except
# force and complaints, which are small at full size anyway.
DEMO_COUNTS = {
    "stop": 60_000,
    "call": 1_000,
    "crime": 1_000,
    "force_incident": 600,
    "complaint": 400,
}


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> RecordStore:
    """A record store holding the seed-1 demo city's 2025 records (60,000 stops), built once."""

    def build(root: Path) -> None:
        generated = generate_records(build_city(seed=1), root / "csv", counts=DEMO_COUNTS)
        report = Importer(RecordStore(root / "store"), rejects_dir=root / "rejects").run(
            generated.files
        )
        assert report.ok and report.committed

    return RecordStore(built_once(tmp_path_factory, "insights-demo", build) / "store")


@pytest.fixture
def demo_con(demo_store: RecordStore) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the demo store, closed after the test."""
    con = demo_store.connect()
    yield con
    con.close()


@pytest.fixture(autouse=True)
def _private_folders(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test writes into the developer's var/: store, releases and caches go to a temp folder."""
    root = tmp_path_factory.mktemp("var")
    settings.RECORD_STORE_DIR = root / "store"
    settings.RELEASES_DIR = root / "releases"
    settings.RELEASE_CACHE_DIR = root / "cache"
    settings.OVERSIGHT_FILES_DIR = root / "oversight-files"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language. A request to a Spanish page activates Spanish
    for the thread that served it, and under xdist any module may follow any other."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _analysis_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Share analysis results keyed by their inputs' content across the whole run (every
    worker, module fixtures included), so a fit the same data already had is read back
    (insights/cache.py) and none is written into the developer's var/."""
    from django.conf import settings

    before = settings.ANALYSIS_CACHE_DIR
    settings.ANALYSIS_CACHE_DIR = run_folder(tmp_path_factory) / "analyses"
    yield
    settings.ANALYSIS_CACHE_DIR = before


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skips without it; fails without it under CI)."""
    yield from launch_browser()


# Releases for the public side ---------------------------------------------------------------
# Each is built once per run (testing/once.py); the fixtures point RELEASES_DIR and
# RELEASE_CACHE_DIR at it for one test.
REAL_RELEASE_FOLDERS = (
    "dispatch_911",
    "uk_stop_search",
    "chicago_invinst",
    "nypd_sqf",
    "seattle_terry_stops",
)


def _build_release(root: Path, paths: list[Path], max_unique_share: float = 0.05) -> None:
    store = RecordStore(root / "store")
    report = Importer(store, rejects_dir=root / "rejects").run(paths)
    assert report.ok, [f.error for f in report.files if f.error]
    zones = dict(Agency.objects.values_list("slug", "time_zone"))
    licences = dict(Agency.objects.values_list("slug", "licence"))
    publish(
        store,
        root / "releases",
        min_count=10,
        time_zones=zones,
        licences=licences,
        max_unique_share=max_unique_share,
    )


@pytest.fixture
def published(city: CityPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    """Load the small city and serve a release of a quarter-size year of its records."""

    def build(root: Path) -> None:
        generated = generate_records(city, root / "csv", scale=0.25)
        _build_release(root, generated.files)

    with serving(built_once(tmp_path_factory, "city-release", build)) as release:
        yield release


@pytest.fixture
def sentiment_release(
    db: None, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Release]:
    """Serve a release of Chicago's Police Sentiment Scores (external_series) alone."""

    def build(root: Path) -> None:
        _build_release(root, [shared_data / "chicago_sentiment"], max_unique_share=1.0)

    with serving(built_once(tmp_path_factory, "sentiment-release", build)) as release:
        yield release


@pytest.fixture
def real_release(
    db: None, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Release]:
    """Serve a release of real data: 911 calls, stops (UK stop and search, NYPD stop, question
    and frisk, Seattle Terry stops) with their equity reports, Chicago force and complaints."""

    def build(root: Path) -> None:
        # The disclosure policy is lifted here, explicitly: the real sources' stops are far
        # more unique than the default allows (exact precincts and points; docs/disclosure.md
        # gives the figures), and these tests read the tables, not the policy.
        _build_release(
            root, [shared_data / name for name in REAL_RELEASE_FOLDERS], max_unique_share=1.0
        )

    with serving(built_once(tmp_path_factory, "real-release", build)) as release:
        yield release

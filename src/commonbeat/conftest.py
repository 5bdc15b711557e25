"""Fixtures every app's tests share: one persona per role, and a small city to look at.

Personas follow healthchecks' pattern: each view is tested as each role, so a view that
forgets to ask the permission policy shows up as a failing test, not a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from commonbeat.core.demo.city import CityPlan, build_city
from commonbeat.core.demo.load import load_city
from commonbeat.core.models import Officer, User
from commonbeat.core.roles import Role
from commonbeat.records.engine import Importer, ImportReport
from commonbeat.records.store import RecordStore

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

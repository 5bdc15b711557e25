"""Fixtures for the analyses: the demo city's full year of stops in a record store, built once.

The demo generator plants known effects (docs/demo-city.md): stop rates by race against the
resident benchmark, a darkness effect (odds ratio 0.70), search thresholds per race
(Black 0.10, Hispanic 0.15, others 0.23) and the hit rates they imply. The analyses' tests
recover them from this store.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from commonbeat.core.demo import records
from commonbeat.core.demo.city import build_city
from commonbeat.records.engine import Importer
from commonbeat.records.store import RecordStore

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
    """A record store holding the seed-1 demo city's 2025 records (60,000 stops)."""
    root = tmp_path_factory.mktemp("insights-demo")
    generated = records.generate_records(build_city(seed=1), root / "csv", counts=DEMO_COUNTS)
    store = RecordStore(root / "store")
    report = Importer(store, rejects_dir=root / "rejects").run(generated.files)
    assert report.ok and report.committed
    return store


@pytest.fixture
def demo_con(demo_store: RecordStore) -> Iterator[duckdb.DuckDBPyConnection]:
    con = demo_store.connect()
    yield con
    con.close()

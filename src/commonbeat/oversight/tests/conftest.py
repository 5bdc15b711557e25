from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    """Each test starts with no requests counted against the intake's per-client limits."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def default_rules(db: None) -> None:
    """The early-intervention rules the data migration installs, put back when a transactional
    test run earlier on this worker has flushed the tables (as live-server tests do)."""
    from commonbeat.testing.oversight import restore_default_rules

    restore_default_rules()

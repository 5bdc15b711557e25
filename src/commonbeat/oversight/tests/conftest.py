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

"""The process-wide neighbourhood index over the saved boundaries, kept fresh by signals."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db.models.signals import post_delete, post_save

from commonbeat.core.geo import NeighbourhoodIndex
from commonbeat.core.models import Agency, Neighbourhood

# Signals drop the index in the process that made a change; other server processes notice
# within INDEX_MAX_AGE seconds.
INDEX_MAX_AGE = 60.0
_index: NeighbourhoodIndex | None = None
_built_at = 0.0
_lock = threading.Lock()


def neighbourhood_index() -> NeighbourhoodIndex:
    """Return the process-wide index, built on first use and after any boundary changes."""
    global _index, _built_at
    with _lock:
        if _index is None or time.monotonic() - _built_at > INDEX_MAX_AGE:
            rows = list(Neighbourhood.objects.values_list("id", "agency__slug", "slug", "boundary"))
            _index = NeighbourhoodIndex(rows)
            _built_at = time.monotonic()
        return _index


def invalidate_index(*args: Any, **kwargs: Any) -> None:
    """Drop the cached index so that the next lookup sees the current boundaries."""
    global _index
    with _lock:
        _index = None


def connect_cache_invalidation() -> None:
    """Rebuild the index whenever a neighbourhood or agency is saved or deleted."""
    for model in (Neighbourhood, Agency):
        post_save.connect(invalidate_index, sender=model, dispatch_uid=f"geo:{model.__name__}:save")
        post_delete.connect(
            invalidate_index, sender=model, dispatch_uid=f"geo:{model.__name__}:del"
        )

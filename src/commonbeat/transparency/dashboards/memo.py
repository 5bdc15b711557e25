"""Small in-process caches: a release never changes, so what is computed from it can be kept.

Keys carry the release's folder and version, so a new release (or a test's other release)
never meets an old entry. Each cache is bounded and least-recently-used entries leave first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from commonbeat.releases.cache import Release

T = TypeVar("T")


class LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                found: T = self._items[key]
                return found
        # Computed outside the lock: two threads may both compute a missing entry, which is
        # cheaper than making every other request wait.
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# Facts about a release (coverage, neighbourhoods, residents): few, small, asked every request.
facts = LRU(512)
# Whole dashboards' figures per (release, agency, dashboard, filters, language).
figures = LRU(1024)


def release_key(release: Release) -> tuple[str, str]:
    return (str(release.path), release.version)


def per_release(release: Release, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    return facts.get((*release_key(release), *key), compute)

"""Serving a release folder to the pages under test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from commonbeat.releases.cache import Release, current_release, forget_releases


@contextmanager
def serving(root: Path) -> Iterator[Release]:
    """Serve the newest release under `root / "releases"` while the block runs."""
    from django.test import override_settings

    with override_settings(RELEASES_DIR=root / "releases", RELEASE_CACHE_DIR=root / "cache"):
        forget_releases()
        release = current_release()
        assert release is not None
        try:
            yield release
        finally:
            forget_releases()

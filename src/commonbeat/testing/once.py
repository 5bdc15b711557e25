"""Expensive test fixtures built once per run, shared by every xdist worker of the run.

A release or a demo record store takes seconds to minutes to build (the real release fits the
threshold test at publish time). Each is built into a folder the workers of one `pytest` run
share: the first worker to ask builds it under a file lock, the others wait and then read it.
What is built is never written again, and the release cache databases beside a release are
built under their own lock (releases/cache.py), so readers in several processes are safe.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

_BUILT: dict[str, Path] = {}


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder every worker of this run shares (the base temp folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """Return the folder `build(folder)` filled, building it only if no worker has yet."""
    if name in _BUILT:
        return _BUILT[name]
    root = run_folder(tmp_path_factory) / f"built-{name}"
    with FileLock(f"{root}.lock"):
        if not (root / ".built").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            build(root)
            (root / ".built").touch()
    _BUILT[name] = root
    return root

"""Results kept by the content of their inputs: computed once, recomputed when anything changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from commonbeat.insights import cache
from commonbeat.insights.threshold.fit import Cells, Settings, fit_key

CODE = ("commonbeat.insights.cache",)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return {"value": self.calls}


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.ANALYSIS_CACHE, settings.ANALYSIS_CACHE_DIR = True, tmp_path / "analyses"
    return tmp_path / "analyses"


def test_the_same_inputs_are_computed_once_and_read_back(folder: Path) -> None:
    compute = Counter()
    assert cache.cached("kind", "key", compute, CODE) == {"value": 1}
    assert cache.cached("kind", "key", compute, CODE) == {"value": 1}
    assert compute.calls == 1
    assert len(list((folder / "kind").glob("*.pickle"))) == 1


def test_other_inputs_or_another_kind_are_computed_again(folder: Path) -> None:
    compute = Counter()
    cache.cached("kind", "key", compute, CODE)
    cache.cached("kind", "other key", compute, CODE)
    cache.cached("other kind", "key", compute, CODE)
    assert compute.calls == 3


def test_an_unreadable_entry_is_computed_again(folder: Path) -> None:
    compute = Counter()
    cache.cached("kind", "key", compute, CODE)
    (entry,) = (folder / "kind").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.cached("kind", "key", compute, CODE) == {"value": 2}
    assert cache.cached("kind", "key", compute, CODE) == {"value": 2}


def test_the_setting_turns_the_cache_off(settings: Any, folder: Path) -> None:
    settings.ANALYSIS_CACHE = False
    compute = Counter()
    cache.cached("kind", "key", compute, CODE)
    cache.cached("kind", "key", compute, CODE)
    assert compute.calls == 2
    assert not folder.exists()


def test_the_digest_sees_every_value_of_an_array_and_its_type() -> None:
    a = np.array([1.0, 2.0, 3.0])
    assert cache.digest(a) == cache.digest(a.copy())
    assert cache.digest(a) != cache.digest(np.array([1.0, 2.0, 3.5]))
    assert cache.digest(a) != cache.digest(a.astype(np.float32))
    assert cache.digest(a) != cache.digest(a.reshape(3, 1))
    assert cache.digest("1") != cache.digest(1)


def test_a_fit_is_keyed_by_its_cells_settings_and_reference() -> None:
    def cells(hits: float) -> Cells:
        return Cells(
            ("a",),
            ("black", "white"),
            np.array([0, 0], dtype=np.int32),
            np.array([0, 1], dtype=np.int32),
            np.array([100.0, 100.0]),
            np.array([10.0, 10.0]),
            np.array([hits, 3.0]),
        )

    key = fit_key(cells(2.0), Settings(), "white")
    assert key == fit_key(cells(2.0), Settings(), "white")
    assert key != fit_key(cells(1.0), Settings(), "white")
    assert key != fit_key(cells(2.0), Settings(seed=1), "white")
    assert key != fit_key(cells(2.0), Settings(), "black")

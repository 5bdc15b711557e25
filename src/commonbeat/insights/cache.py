"""Results that depend only on their inputs' content, kept on disk by a digest of that content.

The threshold test's NUTS fit takes 20-70 s per agency, and a publication refits every agency
even when its stops have not changed since the last release. A fit is a pure function of its
cells, its settings, its reference race and the code that computes it (the seed is one of the
settings), so `cached()` files it under a SHA-256 of all four and hands it back the next time
the same inputs come. Changing any input, or any module of the code, changes the digest.

The folder is `ANALYSIS_CACHE_DIR` (default `VAR_DIR/cache/analyses`); `ANALYSIS_CACHE=False`
turns caching off, as the benchmarks do so that they time real fits. Like the record store, the folder is
private to the server: what it holds is read back with pickle, so only the application
writes there. A file is written to a temporary name and renamed into place, so readers in
other processes see a whole entry or none; an entry that cannot be read is computed again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


def folder() -> Path | None:
    """Return the cache folder, or None when caching is off (or settings are not loaded)."""
    from django.conf import settings

    if not settings.configured or not getattr(settings, "ANALYSIS_CACHE", False):
        return None
    return Path(settings.ANALYSIS_CACHE_DIR)


def digest(*parts: Any) -> str:
    """Return a SHA-256 over the parts: arrays by dtype, shape and bytes, the rest by repr."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(f"array:{part.dtype.str}:{part.shape}:".encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(f"{type(part).__qualname__}:{part!r}".encode())
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=16)
def code_digest(modules: tuple[str, ...]) -> str:
    """Return a SHA-256 of the named modules' source files, and of the libraries' versions."""
    import importlib
    import importlib.metadata

    h = hashlib.sha256()
    for name in modules:
        source = importlib.import_module(name).__file__
        h.update(name.encode() + b"\x00" + Path(str(source)).read_bytes())
    for library in ("jax", "jaxlib", "numpyro", "numpy"):
        try:
            h.update(f"{library}=={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{library}: absent".encode())
    return h.hexdigest()


def cached(kind: str, key: str, compute: Callable[[], T], code: Iterable[str] = ()) -> T:
    """Return compute()'s result for this key, from the cache when a run before made it."""
    root = folder()
    if root is None:
        return compute()
    path = root / kind / f"{digest(key, code_digest(tuple(code)))}.pickle"
    try:
        with path.open("rb") as stored:
            found: T = pickle.load(stored)  # noqa: S301  written only by this module, in the server's private folder
        return found
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        path.unlink(missing_ok=True)  # unreadable (an older layout): compute it again
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    with staging.open("wb") as out:
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(staging, path)
    return value

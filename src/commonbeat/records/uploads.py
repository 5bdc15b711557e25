"""Files uploaded for import: each in its own folder under VAR_DIR/uploads/<token>/, kept
until imported (then deleted) or until UPLOAD_RETENTION_HOURS pass without an import."""

from __future__ import annotations

import logging
import re
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404

logger = logging.getLogger(__name__)
TOKEN = re.compile(r"[0-9a-f]{32}")


def folder() -> Path:
    """Return the folder that holds uploads waiting to be imported."""
    return Path(settings.VAR_DIR) / "uploads"


def store(name: str, chunks: Iterable[bytes]) -> tuple[str, Path]:
    """Write an upload to its own new folder; return its token and path."""
    token = uuid.uuid4().hex
    home = folder() / token
    home.mkdir(parents=True, mode=0o700)
    # Only the base name, stripped of anything path-like, reaches the disk.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:120].lstrip(".") or "upload.csv"
    path = home / safe
    with path.open("wb") as sink:
        for chunk in chunks:
            sink.write(chunk)
    return token, path


def path_for(token: str) -> Path:
    """Return the uploaded file of a token; a forged or expired token is a 404."""
    if not TOKEN.fullmatch(token):
        raise Http404
    home = folder() / token
    files = list(home.iterdir()) if home.is_dir() else []
    if len(files) != 1:
        raise Http404
    return files[0]


def token_of(path: Path) -> str | None:
    """Return the token of an uploaded file's path, or None for a file from elsewhere."""
    try:
        relative = path.resolve().relative_to(folder().resolve())
    except ValueError:
        return None
    token = relative.parts[0] if relative.parts else ""
    return token if TOKEN.fullmatch(token) else None


def discard(token: str) -> None:
    """Delete an upload's folder (after its import, or when it expired)."""
    if TOKEN.fullmatch(token):
        shutil.rmtree(folder() / token, ignore_errors=True)


@dataclass(frozen=True)
class Cleaned:
    deleted: list[str]
    kept: int
    freed_bytes: int


def clean(hours: float | None = None, busy: Iterable[str] = ()) -> Cleaned:
    """Delete uploads older than `hours` (UPLOAD_RETENTION_HOURS) that no import is using."""
    hours = settings.UPLOAD_RETENTION_HOURS if hours is None else hours
    cutoff = time.time() - hours * 3600
    keep = set(busy)
    deleted, kept, freed = [], 0, 0
    home = folder()
    for entry in sorted(home.iterdir()) if home.is_dir() else []:
        if not entry.is_dir() or not TOKEN.fullmatch(entry.name) or entry.name in keep:
            kept += 1
            continue
        files = [f for f in entry.rglob("*") if f.is_file()]
        newest = max([entry.stat().st_mtime, *(f.stat().st_mtime for f in files)])
        if newest >= cutoff:
            kept += 1
            continue
        freed += sum(f.stat().st_size for f in files)
        shutil.rmtree(entry, ignore_errors=True)
        deleted.append(entry.name)
        logger.info(
            "Deleted the upload %s (never imported, older than %s hours)", entry.name, hours
        )
    return Cleaned(deleted, kept, freed)

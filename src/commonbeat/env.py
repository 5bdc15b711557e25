"""Strict readers for settings that come from the environment.

Each reader refuses a malformed value at start-up with a message that names the variable,
so a typo in a deployment fails loudly instead of silently falling back to a default.
A secret may also be given as a file: VAR_FILE=/run/secrets/var is read when VAR is unset.
Without SECRET_KEY, the signing key is generated once into the var folder (local_secret_key).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points at {path!r}, which cannot be read: {exc}"
            ) from exc
    return None


def env_str(name: str, default: str | object = _MISSING) -> str:
    """Return the variable as text, or the default; refuse it if required and absent."""
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"{name} must be set (see README, 'Running in production').")
        return str(default)
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return True or False; anything other than those two words is refused."""
    value = _raw(name)
    if value is None or value == "":
        return default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """Return a whole number, refusing text and values below the minimum."""
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_float(name: str, default: float, minimum: float, maximum: float) -> float:
    """Return a decimal number within [minimum, maximum], refusing text and values outside."""
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(
            f"{name} must be between {minimum:g} and {maximum:g}, not {number:g}."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list with blanks and surrounding spaces removed."""
    value = _raw(name)
    if value is None or value.strip() == "":
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item: {value!r}.")
    return items


def local_secret_key(path: Path, variable: str = "SECRET_KEY") -> str:
    """Return the key kept in `path`, generating it (mode 0600) on first use.

    `variable` names the setting that would replace the file, for the error messages
    (SECRET_KEY for the signing key, AUDIT_KEY for the audit log's key).

    The key is written to a private temporary file and then linked into place, so processes
    starting at once agree on one key and none ever reads a half-written file.
    """
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(secrets.token_urlsafe(50) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                # If another process won the race, its key is the one.
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)
            finally:
                os.unlink(temporary)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"No {variable} is set and one cannot be generated in {path}: {exc}. "
                f"Make that folder writable, or set {variable} (or {variable}_FILE)."
            ) from exc
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} holds a secret key but other users may read it; "
            f"run `chmod 600 {path}` or set {variable} instead."
        )
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 16:
        raise ImproperlyConfigured(
            f"{path} holds a key shorter than 16 characters; set {variable}, or replace the "
            "file with a longer key."
        )
    return key

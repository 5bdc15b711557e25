"""Files kept privately (complaints' attachments, concerns' photos): outside the static and
media roots, under random names, mode 0600, reached only through views that ask the policy.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class PrivateFolder:
    """One folder of private files, its root read from settings when used."""

    def __init__(self, root: Callable[[], Path]) -> None:
        self._root = root

    def root(self) -> Path:
        return self._root()

    @contextmanager
    def storing(self) -> Iterator[list[Path]]:
        """Collect the files written in the block; if the block fails, delete them all.

        Used around the record's transaction, so a database failure leaves no orphan file
        and a failed file write stores no record.
        """
        written: list[Path] = []
        try:
            yield written
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise

    def store(self, data: bytes, extension: str, written: list[Path]) -> str:
        """Write the bytes under a random name (two-level folders keep directories small)
        and return that name."""
        token = secrets.token_hex(16)
        stored_name = f"{token[:2]}/{token}{extension}"
        path = self.root() / stored_name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        written.append(path)
        with path.open("xb") as out:
            out.write(data)
        path.chmod(0o600)
        return stored_name

    def path_of(self, stored_name: str) -> Path:
        """The file of a stored name, refusing any name that would leave the folder."""
        base = self.root().resolve()
        path = (base / stored_name).resolve()
        if base not in path.parents:
            raise FileNotFoundError(stored_name)
        return path

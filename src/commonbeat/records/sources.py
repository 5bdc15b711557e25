"""Turn what an operator hands to `commonbeat import` (a file, folder, .zip or .gz) into CSV inputs."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SNIFF_BYTES = 64 * 1024
# Files in a folder or archive that are plainly not data (documentation, manifests).
IGNORED_SUFFIXES = {".pdf", ".xls", ".xlsx", ".doc", ".docx", ".md", ".txt", ".json", ".zip"}


class InputError(Exception):
    """A problem with an input as a whole; the message names the file and says what to do.

    `web` is the same message for someone using the upload page, where command-line advice
    (a flag to pass) means nothing.
    """

    def __init__(self, message: str, web: str | None = None) -> None:
        super().__init__(message)
        self.web = web or message


# Checksums are computed beside the import (hashlib and DuckDB both release the GIL), so a
# large new file is not read twice in a row.
_hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="commonbeat-sha256")


@dataclass(frozen=True)
class InputFile:
    path: Path  # a readable file on disk (an archive member is extracted to a temporary folder)
    name: str  # what the operator knows it as: "2021-03-20.zip:2021-03-20_active_complaint.csv"
    gzipped: bool
    digest: Future[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", _hashing.submit(file_sha256, self.path))

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of the file's bytes (waiting for it if still being computed)."""
        return self.digest.result()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in 1 MiB blocks."""
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def head_bytes(source: InputFile, size: int = SNIFF_BYTES) -> bytes:
    """Return the first bytes of the file's content (decompressed if gzipped)."""
    opener = gzip.open if source.gzipped else open
    try:
        with opener(source.path, "rb") as stream:
            return bytes(stream.read(size))
    except (OSError, EOFError) as exc:
        raise InputError(
            f"{source.name}: cannot be read as {'gzip' if source.gzipped else 'a file'}: {exc}"
        ) from exc


def sniff(source: InputFile) -> None:
    """Refuse an input that is empty or binary before any parser sees it."""
    head = head_bytes(source)
    if not head.strip(b"\xef\xbb\xbf\r\n\t "):
        raise InputError(f"{source.name}: the file is empty.")
    if b"\x00" in head:
        raise InputError(
            f"{source.name}: this looks like a binary file, not CSV text "
            "(it contains NUL bytes). Export the data as CSV and import that."
        )


def read_header(source: InputFile, encoding: str, delimiter: str) -> list[str]:
    """Return the header row's column names (BOM removed, blanks named by position)."""
    head = head_bytes(source)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    # Only the header line must decode here; bad bytes further down are rejected row by row.
    first_line = re.split(rb"\r\n|\r|\n", head, maxsplit=1)[0]
    try:
        first = first_line.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source.name}, line 1: the header is not {encoding} text "
            f"(byte 0x{first_line[exc.start]:02x}). "
            "Re-export as UTF-8, or declare the file's encoding in its mapping."
        ) from exc
    try:
        names = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(
            f"{source.name}, line 1: the header row cannot be read as CSV ({exc})."
        ) from exc
    return dedupe([n.strip() for n in names])


def dedupe(names: list[str]) -> list[str]:
    """Return column names made unique (col, col_2, ...) and blanks named column_N."""
    seen: dict[str, int] = {}
    out = []
    for index, name in enumerate(names, start=1):
        base = name or f"column_{index}"
        count = seen.get(base, 0) + 1
        seen[base] = count
        out.append(base if count == 1 else f"{base}_{count}")
    return out


@contextmanager
def expand(paths: list[Path]) -> Iterator[list[InputFile]]:
    """Yield every CSV input under the paths, extracting archives to a temporary folder."""
    with ExitStack() as stack:
        found: list[InputFile] = []
        for path in paths:
            if not path.exists():
                raise InputError(f"{path}: no such file or folder.")
            candidates = (
                sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            )
            for candidate in candidates:
                found.extend(
                    _open_one(
                        candidate, stack, explicit=not path.is_dir() or candidate.suffix == ".zip"
                    )
                )
        yield found


def _open_one(path: Path, stack: ExitStack, explicit: bool) -> list[InputFile]:
    if path.suffix.lower() == ".zip":
        return _zip_members(path, stack)
    if path.name.startswith(".") or (not explicit and path.suffix.lower() in IGNORED_SUFFIXES):
        return []
    gzipped = path.suffix.lower() == ".gz"
    return [InputFile(path, path.name, gzipped)]


def _zip_members(path: Path, stack: ExitStack) -> list[InputFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path.name}: not a readable .zip archive ({exc}).") from exc
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="commonbeat-import-")))
    members: list[InputFile] = []
    with archive:
        for info in archive.infolist():
            member = Path(info.filename)
            if (
                info.is_dir()
                or member.name.startswith(".")
                or member.suffix.lower() in IGNORED_SUFFIXES - {".txt"}
            ):
                continue
            if "__MACOSX" in member.parts:
                continue
            target = folder / f"{len(members):04d}-{member.name}"
            with archive.open(info) as source, target.open("wb") as sink:
                while block := source.read(1 << 20):
                    sink.write(block)
            gzipped = member.suffix.lower() == ".gz"
            members.append(InputFile(target, f"{path.name}:{info.filename}", gzipped))
    return members

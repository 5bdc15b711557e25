"""Turn what an operator hands to `commonbeat import` (a file, folder, .zip or .gz) into CSV inputs."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext

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
    if gzipped:
        check_gzip(path)
    return [InputFile(path, path.name, gzipped)]


def check_gzip(path: Path, name: str | None = None, cap: int | None = None) -> int:
    """Refuse a .gz that expands past the archive limits (or past `cap`, what is left of its
    archive's budget); its trailer's size is not trusted (it is the size modulo 4 GiB, and
    forgeable), so the stream is counted, stopping early. Return the bytes it expands to."""
    name = name or path.name
    limit = min(expanded_limit(), max(path.stat().st_size, 1 << 20) * settings.ARCHIVE_MAX_RATIO)
    if cap is not None:
        limit = min(limit, cap)
    counted = 0
    try:
        with gzip.open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                counted += len(block)
                if counted > limit:
                    break
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{name}: cannot be read as gzip: {exc}") from exc
    if counted > limit:
        raise InputError(
            gettext(
                "%(name)s: the file expands to more than %(size)s MB (more than %(ratio)s times "
                "its size, or past the limit of %(limit)s MB); it was not read further."
            )
            % {
                "name": name,
                "size": f"{limit / 1048576:,.0f}",
                "ratio": settings.ARCHIVE_MAX_RATIO,
                "limit": settings.ARCHIVE_MAX_EXPANDED_MB,
            }
        )
    return counted


def _wanted(info: zipfile.ZipInfo) -> bool:
    member = Path(info.filename)
    return not (
        info.is_dir()
        or member.name.startswith(".")
        or member.suffix.lower() in IGNORED_SUFFIXES - {".txt"}
        or "__MACOSX" in member.parts
    )


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open an archive after checking its directory against the limits; refuse it otherwise."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path.name}: not a readable .zip archive ({exc}).") from exc
    try:
        check_archive(path.name, archive.infolist(), path.stat().st_size)
    except InputError:
        archive.close()
        raise
    return archive


def expanded_limit() -> int:
    """Return the most bytes an archive may expand to (ARCHIVE_MAX_EXPANDED_MB)."""
    return int(settings.ARCHIVE_MAX_EXPANDED_MB) * 1024 * 1024


def check_archive(name: str, infos: list[zipfile.ZipInfo], archive_bytes: int) -> None:
    """Refuse an archive whose directory declares too many members, too many bytes or too
    high a compression ratio (a zip bomb), before anything is extracted."""
    if len(infos) > settings.ARCHIVE_MAX_MEMBERS:
        raise InputError(
            gettext(
                "%(name)s: the archive holds %(count)s files, more than the limit of "
                "%(limit)s. Split it into smaller archives."
            )
            % {"name": name, "count": len(infos), "limit": settings.ARCHIVE_MAX_MEMBERS}
        )
    expanded = sum(info.file_size for info in infos)
    if expanded > expanded_limit():
        raise InputError(
            gettext(
                "%(name)s: the archive would expand to %(size)s MB, more than the limit of "
                "%(limit)s MB. Split it into smaller archives."
            )
            % {
                "name": name,
                "size": f"{expanded / 1048576:,.0f}",
                "limit": settings.ARCHIVE_MAX_EXPANDED_MB,
            }
        )
    compressed = max(archive_bytes, sum(info.compress_size for info in infos), 1)
    ratio = expanded / compressed
    worst = max(
        (info.file_size / max(info.compress_size, 1) for info in infos if info.file_size),
        default=0.0,
    )
    # Tiny files compress well without harm; the ratio counts only beyond a mebibyte.
    if expanded > (1 << 20) and max(ratio, worst) > settings.ARCHIVE_MAX_RATIO:
        raise InputError(
            gettext(
                "%(name)s: the archive expands %(ratio)s times (to %(size)s MB), more than the "
                "limit of %(limit)s times for real data; it looks like a zip bomb and was not "
                "opened."
            )
            % {
                "name": name,
                "ratio": f"{max(ratio, worst):,.0f}",
                "size": f"{expanded / 1048576:,.0f}",
                "limit": settings.ARCHIVE_MAX_RATIO,
            }
        )


class ExpansionBudget:
    """Bytes an archive may still expand to; the directory's declared sizes are not trusted,
    so every extracted byte is counted against the cap and extraction stops at it."""

    def __init__(self, name: str, limit: int | None = None) -> None:
        self.name = name
        self.left = expanded_limit() if limit is None else limit

    def copy(self, source: IO[bytes], sink: IO[bytes], declared: int | None = None) -> int:
        """Copy source to sink in blocks, stopping with an InputError past the budget or past
        the member's declared size; return the bytes copied."""
        copied = 0
        while block := source.read(1 << 20):
            copied += len(block)
            self.left -= len(block)
            if self.left < 0:
                raise InputError(
                    gettext(
                        "%(name)s: the archive expands to more than the limit of %(limit)s MB "
                        "(extraction stopped there); split it into smaller archives."
                    )
                    % {"name": self.name, "limit": settings.ARCHIVE_MAX_EXPANDED_MB}
                )
            if declared is not None and copied > declared:
                raise InputError(
                    gettext(
                        "%(name)s: a file in the archive holds more than its directory declares; "
                        "the archive is damaged or forged and was not used."
                    )
                    % {"name": self.name}
                )
            sink.write(block)
        return copied


def _zip_members(path: Path, stack: ExitStack) -> list[InputFile]:
    archive = open_zip(path)
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="commonbeat-import-")))
    members: list[InputFile] = []
    budget = ExpansionBudget(path.name)
    with archive:
        for info in archive.infolist():
            if not _wanted(info):
                continue
            member = Path(info.filename)
            target = folder / f"{len(members):04d}-{member.name}"
            try:
                with archive.open(info) as source, target.open("wb") as sink:
                    budget.copy(source, sink, declared=info.file_size)
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
                target.unlink(missing_ok=True)
                raise InputError(
                    gettext(
                        "%(name)s: %(member)s cannot be extracted (%(error)s); the archive is "
                        "damaged or its directory does not match its contents."
                    )
                    % {"name": path.name, "member": info.filename, "error": exc}
                ) from exc
            except InputError:
                target.unlink(missing_ok=True)
                raise
            gzipped = member.suffix.lower() == ".gz"
            name = f"{path.name}:{info.filename}"
            if gzipped:  # a .gz inside the archive: its expansion counts against the archive's
                budget.left -= check_gzip(target, name, cap=max(budget.left, 0))
            members.append(InputFile(target, name, gzipped))
    return members


@contextmanager
def sample(path: Path, max_bytes: int) -> Iterator[tuple[Path, bool]]:
    """Yield a small plain copy of the first data file under path (at most max_bytes of its
    decompressed content, cut at a line end) and whether it was cut short.

    A preview reads only this: a zip's first data member, a .gz's first bytes, a file's head.
    """
    with tempfile.TemporaryDirectory(prefix="commonbeat-preview-") as tmp:
        folder = Path(tmp)
        if path.suffix.lower() == ".zip":
            with open_zip(path) as archive:
                infos = [i for i in archive.infolist() if _wanted(i)]
                if not infos:
                    raise InputError(f"{path.name}: no CSV files found.")
                info = infos[0]
                name = Path(info.filename).name
                try:
                    with archive.open(info) as member:
                        if name.lower().endswith(".gz"):
                            name = name[:-3]
                            with gzip.open(member, "rb") as inner:
                                head = inner.read(max_bytes + 1)
                        else:
                            head = member.read(max_bytes + 1)
                except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
                    raise InputError(
                        f"{path.name}: {info.filename} cannot be extracted ({exc})."
                    ) from exc
        elif path.suffix.lower() == ".gz":
            name = path.name[:-3]
            try:
                with gzip.open(path, "rb") as stream:
                    head = stream.read(max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(f"{path.name}: cannot be read as gzip: {exc}") from exc
        else:
            name = path.name
            with path.open("rb") as stream:
                head = stream.read(max_bytes + 1)
        cut = len(head) > max_bytes
        if cut:
            head = head[:max_bytes]
            end = max(head.rfind(b"\n"), head.rfind(b"\r"))
            head = head[: end + 1] if end > 0 else head
        target = folder / name
        target.write_bytes(head)
        yield target, cut

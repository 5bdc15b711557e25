"""Files sent with a report: what they are (read from their bytes), and keeping them privately.

A file's name and its declared type are the sender's to choose, so neither decides anything:
the first bytes say what a file is, and an image must also open in Pillow. Images are
re-encoded from their pixels, so that EXIF (the camera, the time, the GPS position of the
person's home) and every other metadata block are gone. Files are kept under
OVERSIGHT_FILES_DIR, outside the static and media roots, under random names, and reach
staff only through the download view.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Kind, content type and extension for each format we keep, by how its bytes begin.
IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
IMAGE_FORMATS["WEBP"] = ("image/webp", ".webp")
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a photo


@dataclass(frozen=True)
class Checked:
    """A file that passed: what it is and the bytes to keep (re-encoded for images)."""

    kind: str  # "image", "pdf", "video"
    content_type: str
    extension: str
    data: bytes
    original_name: str


class Refused(ValueError):
    """A file we do not keep, with the message for the person who sent it."""


def _video(head: bytes) -> tuple[str, str] | None:
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime", ".mov"
        return "video/mp4", ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm", ".webm"
    return None


def check(upload: UploadedFile) -> Checked:
    """Return the file as we would keep it, or raise Refused saying why."""
    name = (upload.name or "file")[:255]
    limit = settings.INTAKE_FILE_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise Refused(
            _("“%(name)s” is larger than %(limit)s MB. Send a smaller file, e.g. a photo.")
            % {"name": name, "limit": settings.INTAKE_FILE_MAX_MB}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Refused(
            _("“%(name)s” is larger than %(limit)s MB. Send a smaller file, e.g. a photo.")
            % {"name": name, "limit": settings.INTAKE_FILE_MAX_MB}
        )
    if data.startswith(b"%PDF-"):
        return Checked("pdf", "application/pdf", ".pdf", data, name)
    video = _video(data[:16])
    if video is not None:
        return Checked("video", video[0], video[1], data, name)
    return _image(data, name)


def _image(data: bytes, name: str) -> Checked:
    refused = Refused(
        _(
            "“%(name)s” is not a photo, PDF or video we can keep (JPEG, PNG, WebP, PDF, MP4, "
            "WebM or MOV), whatever its name says."
        )
        % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise refused
            if probe.width * probe.height > MAX_PIXELS:
                raise Refused(_("“%(name)s” has too many pixels to be a photo.") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = image.format or "JPEG"
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
            # A new image from the pixels alone: no EXIF, GPS, XMP, ICC or comment comes along.
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            clean.save(out, fmt, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise refused from exc
    content_type, extension = IMAGE_FORMATS[fmt]
    return Checked("image", content_type, extension, out.getvalue(), name)


def root() -> Path:
    return Path(settings.OVERSIGHT_FILES_DIR)


@dataclass(frozen=True)
class Stored:
    checked: Checked
    stored_name: str
    sha256: str


@contextmanager
def storing() -> Iterator[list[Path]]:
    """Collect the files written in the block; if the block fails, delete them all.

    Used inside the report's transaction, so a database failure leaves no orphan file and a
    failed file write stores no case.
    """
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def store(checked: Checked, written: list[Path]) -> Stored:
    """Write the file under a random name (two-level folders keep directories small)."""
    token = secrets.token_hex(16)
    stored_name = f"{token[:2]}/{token}{checked.extension}"
    path = root() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    written.append(path)
    with path.open("xb") as out:
        out.write(checked.data)
    path.chmod(0o600)
    return Stored(checked, stored_name, hashlib.sha256(checked.data).hexdigest())


def path_of(stored_name: str) -> Path:
    """The file of a stored name, refusing any name that would leave the folder."""
    base = root().resolve()
    path = (base / stored_name).resolve()
    if base not in path.parents:
        raise FileNotFoundError(stored_name)
    return path

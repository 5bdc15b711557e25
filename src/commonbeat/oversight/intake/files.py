"""Files sent with a report: what they are (read from their bytes), and keeping them privately.

A file's name and its declared type are the sender's to choose, so neither decides anything:
the first bytes say what a file is, and an image must also open in Pillow. Images are
re-encoded from their pixels, so that EXIF (the camera, the time, the GPS position of the
person's home) and every other metadata block are gone (core/images.py). Files are kept under
OVERSIGHT_FILES_DIR, outside the static and media roots, under random names, and reach
staff only through the download view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from commonbeat.core import images
from commonbeat.core.private_files import PrivateFolder


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
    try:
        clean = images.clean_image(data)
    except images.TooManyPixels:
        raise Refused(_("“%(name)s” has too many pixels to be a photo.") % {"name": name}) from None
    except images.NotAPhoto:
        raise Refused(
            _(
                "“%(name)s” is not a photo, PDF or video we can keep (JPEG, PNG, WebP, PDF, MP4, "
                "WebM or MOV), whatever its name says."
            )
            % {"name": name}
        ) from None
    return Checked("image", clean.content_type, clean.extension, clean.data, name)


FOLDER = PrivateFolder(lambda: Path(settings.OVERSIGHT_FILES_DIR))
root = FOLDER.root
storing = FOLDER.storing
path_of = FOLDER.path_of


@dataclass(frozen=True)
class Stored:
    checked: Checked
    stored_name: str
    sha256: str


def store(checked: Checked, written: list[Path]) -> Stored:
    """Write the file under a random name in OVERSIGHT_FILES_DIR."""
    stored_name = FOLDER.store(checked.data, checked.extension, written)
    return Stored(checked, stored_name, hashlib.sha256(checked.data).hexdigest())

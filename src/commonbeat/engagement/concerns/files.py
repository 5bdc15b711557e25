"""Concerns' photos: checked and stripped of metadata (core/images.py), kept privately under
CONCERN_FILES_DIR, and shown to the public only once staff set `photo_public`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from commonbeat.core.images import CleanImage, NotAPhoto, TooManyPixels, clean_image
from commonbeat.core.private_files import PrivateFolder

FOLDER = PrivateFolder(lambda: Path(settings.CONCERN_FILES_DIR))
storing = FOLDER.storing
path_of = FOLDER.path_of


class PhotoRefused(ValueError):
    """A photo we do not keep, with the message for the person who sent it."""


def check_photo(upload: UploadedFile) -> CleanImage:
    name = (upload.name or "photo")[:100]
    limit = settings.CONCERN_PHOTO_MAX_MB * 1024 * 1024
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PhotoRefused(
            _("“%(name)s” is larger than %(limit)s MB: send a smaller photo.")
            % {"name": name, "limit": settings.CONCERN_PHOTO_MAX_MB}
        )
    try:
        return clean_image(data)
    except (NotAPhoto, TooManyPixels):
        raise PhotoRefused(
            _("“%(name)s” is not a JPEG, PNG or WebP photo, whatever its name says.")
            % {"name": name}
        ) from None


def store(photo: CleanImage, written: list[Path]) -> str:
    return FOLDER.store(photo.data, photo.extension, written)

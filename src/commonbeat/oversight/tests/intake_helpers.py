"""Shared pieces of the intake tests: a small city, files made to order."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GOOD = {
    "kind": "complaint",
    "incident_date": "2026-11-01",
    "location_text": "Main Street",
    "narrative": "The officer shouted at me and pushed me against the wall.",
    "language": "en",
}


def photo_with_gps(name: str = "me.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (41.0, 35.0, 12.5)
    gps[3], gps[4] = "W", (93.0, 37.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def named(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.OVERSIGHT_FILES_DIR)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

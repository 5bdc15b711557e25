"""Photos people send (with a complaint, with a concern): checked from their bytes and
re-encoded from their pixels, so that EXIF (the camera, the time, the GPS position of the
person's home) and every other metadata block are gone. A file's name and declared type are
the sender's to choose, so neither decides anything.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Content type and extension for each format we keep.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a photo


class NotAPhoto(ValueError):
    """The bytes are not a JPEG, PNG or WebP image that opens."""


class TooManyPixels(ValueError):
    """The image is larger than any photo (a decompression bomb)."""


@dataclass(frozen=True)
class CleanImage:
    content_type: str
    extension: str
    data: bytes


def clean_image(data: bytes) -> CleanImage:
    """Return the photo rebuilt from its pixels, upright, without any metadata."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise NotAPhoto
            if probe.width * probe.height > MAX_PIXELS:
                raise TooManyPixels
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
        raise NotAPhoto from exc
    content_type, extension = IMAGE_FORMATS[fmt]
    return CleanImage(content_type, extension, out.getvalue())

"""Bounded uploads: a file larger than UPLOAD_MAX_MB is refused while it streams in.

`BoundedUploadHandler` comes first in FILE_UPLOAD_HANDLERS. It counts each file's bytes as
they arrive and, past the limit, skips the file: the handlers after it close (and so delete)
what they had written, and the rest of the body is read and thrown away, so the page can
answer with a message instead of a broken connection. A body whose declared length already
exceeds the limit is refused before the first byte of the file is kept. The view reads the
message with `refusals(request)`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext

# Room in a request body for the form's other fields and the multipart boundaries.
BODY_OVERHEAD = 64 * 1024


def limit_bytes() -> int:
    """Return the largest upload accepted, in bytes."""
    return int(settings.UPLOAD_MAX_MB) * 1024 * 1024


def refusals(request: HttpRequest) -> list[str]:
    """Return the messages for files refused in this request (empty when none were)."""
    return list(getattr(request, "upload_refusals", []))


def refusal_message(name: str) -> str:
    """Return the message a person reads when their file is over the limit."""
    return gettext(
        "“%(name)s” is larger than the upload limit of %(limit)s MB, so it was not kept. "
        "Split it into smaller files (for example one per month), or ask the operator to "
        "import it from the command line."
    ) % {"name": name, "limit": settings.UPLOAD_MAX_MB}


class BoundedUploadHandler(FileUploadHandler):
    """Refuse any uploaded file over UPLOAD_MAX_MB, counting bytes as they stream."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int | None,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.content_length = content_length
        return None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        if (getattr(self, "content_length", None) or 0) > limit_bytes() + BODY_OVERHEAD:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > limit_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) hands over the file

    def _refuse(self) -> None:
        if self.request is not None:
            found = getattr(self.request, "upload_refusals", [])
            found.append(refusal_message(str(self.file_name)))
            self.request.upload_refusals = found  # type: ignore[attr-defined]
        raise SkipFile

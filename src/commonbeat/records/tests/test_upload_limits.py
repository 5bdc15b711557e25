"""Uploads are bounded: a file over UPLOAD_MAX_MB is refused as it streams in, with a message
naming the file and the limit, and nothing of it stays on disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory, override_settings

from commonbeat.core.roles import Role
from commonbeat.core.uploads import BoundedUploadHandler
from commonbeat.records.tests.test_bad_input import GOOD, HEADER

MB = 1024 * 1024


@pytest.fixture
def spool(tmp_path: Path) -> Iterator[Path]:
    """Point uploads and Django's temporary upload files into folders the test can inspect."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with override_settings(VAR_DIR=tmp_path, FILE_UPLOAD_TEMP_DIR=str(temporary)):
        yield tmp_path


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.parent.name != "store"]


def test_a_55_mb_upload_is_refused_with_a_message_and_nothing_is_kept(
    client_as: Callable[[str], Client], spool: Path
) -> None:
    # The finding: a 55 MB CSV was accepted. The limit is 50 MB by default.
    body = (HEADER + "\n").encode() + b"x" * (55 * MB)
    big = SimpleUploadedFile("stops-2024.csv", body, "text/csv")
    response = client_as(Role.ANALYST).post("/records/imports/new/", {"file": big, "mapping": ""})
    assert response.status_code == 413
    html = response.content.decode()
    assert "“stops-2024.csv” is larger than the upload limit of 50 MB" in html
    assert "This field is required" not in html
    assert leftovers(spool) == []
    assert not (spool / "uploads").exists() or not any((spool / "uploads").iterdir())


def test_a_file_just_over_the_limit_is_caught_while_it_streams(
    client_as: Callable[[str], Client], spool: Path
) -> None:
    # Small enough that the body's declared length leaves the decision to the byte counter,
    # and large enough to be spooled to a temporary file, which must be deleted.
    body = (HEADER + "\n").encode() + b"y" * MB
    upload = SimpleUploadedFile("just-over.csv", body, "text/csv")
    with override_settings(UPLOAD_MAX_MB=1, FILE_UPLOAD_MAX_MEMORY_SIZE=1024):
        response = client_as(Role.ADMINISTRATOR).post(
            "/records/imports/new/", {"file": upload, "mapping": ""}
        )
    assert response.status_code == 413
    assert "“just-over.csv” is larger than the upload limit of 1 MB" in response.content.decode()
    assert leftovers(spool) == []


def test_a_file_within_the_limit_is_kept_for_its_preview(
    client_as: Callable[[str], Client], spool: Path
) -> None:
    upload = SimpleUploadedFile("small.csv", f"{HEADER}\n{GOOD}\n".encode(), "text/csv")
    with override_settings(UPLOAD_MAX_MB=1):
        response = client_as(Role.ANALYST).post(
            "/records/imports/new/", {"file": upload, "mapping": ""}
        )
    assert response.status_code == 302
    (kept,) = leftovers(spool / "uploads")
    assert kept.name == "small.csv"


def test_the_handler_counts_bytes_without_trusting_the_declared_length() -> None:
    request = RequestFactory().post("/")
    handler = BoundedUploadHandler(request)
    handler.handle_raw_input(None, {}, None, b"--b")  # no length declared (or one that lies)
    with override_settings(UPLOAD_MAX_MB=2):
        handler.new_file("file", "endless.csv", "text/csv", None)
        chunk = b"z" * (256 * 1024)
        sent = 0
        with pytest.raises(SkipFile):
            while True:
                assert handler.receive_data_chunk(chunk, sent) == chunk
                sent += len(chunk)
    assert sent == 2 * MB  # stopped at the first byte past the limit, not at the end
    assert request.upload_refusals == [  # type: ignore[attr-defined]
        "“endless.csv” is larger than the upload limit of 2 MB, so it was not kept. Split it "
        "into smaller files (for example one per month), or ask the operator to import it "
        "from the command line."
    ]


def test_the_spanish_page_gives_the_refusal_in_spanish_or_english_but_never_silently(
    client_as: Callable[[str], Client], spool: Path
) -> None:
    upload = SimpleUploadedFile("grande.csv", b"a,b\n" + b"1" * (2 * MB), "text/csv")
    with override_settings(UPLOAD_MAX_MB=1):
        response = client_as(Role.ANALYST).post(
            "/es/records/imports/new/", {"file": upload, "mapping": ""}
        )
    assert response.status_code == 413
    assert "grande.csv" in response.content.decode()
    assert leftovers(spool) == []

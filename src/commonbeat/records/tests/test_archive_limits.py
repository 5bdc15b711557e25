"""Archives are checked before they are opened: a zip bomb (709 KB that expands to 200 MB) is
refused from its directory without extracting a byte, and what is extracted is counted, so a
directory that lies about its sizes cannot push past the cap."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from commonbeat.core import jobs
from commonbeat.core.roles import Role
from commonbeat.records import sources
from commonbeat.records.engine import ImportReport
from commonbeat.records.models import ImportRun
from commonbeat.records.sources import ExpansionBudget, InputError
from commonbeat.records.tests.test_bad_input import GOOD, HEADER

MB = 1024 * 1024


def zip_bomb(path: Path, megabytes: int = 200) -> Path:
    """Write a small .zip whose one CSV expands to `megabytes` MB (the probe's 709 KB file)."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("2019-01-city-of-london-stop-and-search.csv", "w") as member,
    ):
        member.write((HEADER + "\n").encode())
        row = (GOOD + "\n").encode()
        block = row * (MB // len(row))
        for _ in range(megabytes):
            member.write(block)
    return path


def lying_zip(path: Path, declared: int) -> Path:
    """Write a .zip whose central directory declares its member `declared` bytes long."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "2019-01-city-of-london-stop-and-search.csv",
            "\n".join([HEADER, *[GOOD] * 20000]) + "\n",
        )
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02")  # the member's central directory header
    struct.pack_into("<I", data, entry + 24, declared)  # its uncompressed size
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any attempt to extract a member (there must be none for a refused archive)."""
    opened: list[str] = []
    real = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_a_zip_bomb_is_refused_before_anything_is_extracted(
    tmp_path: Path, run_import: Callable[..., ImportReport], no_extraction: list[str]
) -> None:
    bomb = zip_bomb(tmp_path / "stops.zip")
    size = bomb.stat().st_size
    assert size < 2 * MB  # a few hundred KB on disk ...
    assert (
        sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) > 200_000_000
    )  # ... 200 MB out
    no_extraction.clear()
    report = run_import(bomb)
    assert not report.committed
    (failed,) = report.files
    assert "stops.zip: the archive expands" in failed.error
    assert "limit of 100 times" in failed.error and "zip bomb" in failed.error
    assert no_extraction == []


def test_an_archive_over_the_expanded_size_limit_is_refused_from_its_directory(
    tmp_path: Path, no_extraction: list[str]
) -> None:
    bomb = zip_bomb(tmp_path / "big.zip", megabytes=3)
    no_extraction.clear()
    with (
        override_settings(ARCHIVE_MAX_EXPANDED_MB=2, ARCHIVE_MAX_RATIO=100_000),
        pytest.raises(InputError, match=r"would expand to 3 MB, more than the limit of 2 MB"),
        sources.expand([bomb]),
    ):
        pass
    assert no_extraction == []


def test_an_archive_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(6):
            archive.writestr(f"{n}.csv", "a,b\n1,2\n")
    with (
        override_settings(ARCHIVE_MAX_MEMBERS=5),
        pytest.raises(InputError, match="holds 6 files, more than the limit of 5"),
        sources.expand([path]),
    ):
        pass


def test_a_lying_central_directory_is_refused_and_never_expands_past_its_word(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    # The directory says 1,000 bytes; the member holds about 2.6 MB. Python's zipfile stops at
    # the declared size and the checksum then fails: the archive is refused, nothing stored.
    liar = lying_zip(tmp_path / "liar.zip", declared=1000)
    assert zipfile.ZipFile(liar).infolist()[0].file_size == 1000
    report = run_import(liar)
    assert not report.committed
    (failed,) = report.files
    assert "does not match its contents" in failed.error


def test_the_streaming_counter_stops_a_reader_that_ignores_the_declared_sizes() -> None:
    # Should a reader ever trust local headers over the directory, the counter still holds:
    # it stops at the member's declared size, and at the archive's cap, whichever comes first.
    endless = io.BytesIO(b"x" * (3 * MB))
    with pytest.raises(InputError, match="holds more than its directory declares"):
        ExpansionBudget("liar.zip", limit=100 * MB).copy(endless, io.BytesIO(), declared=1000)
    sink = io.BytesIO()
    with (
        override_settings(ARCHIVE_MAX_EXPANDED_MB=2),
        pytest.raises(InputError, match="expands to more than the limit of 2 MB"),
    ):
        ExpansionBudget("liar.zip").copy(io.BytesIO(b"x" * (3 * MB)), sink)
    assert sink.tell() <= 2 * MB  # extraction stopped at the cap


def test_a_zip_bomb_uploaded_is_refused_on_its_preview_without_extracting(
    client_as: Callable[[str], Client], tmp_path: Path, no_extraction: list[str]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = zip_bomb(tmp_path / "stops.zip")
    client = client_as(Role.ANALYST)
    with override_settings(VAR_DIR=tmp_path / "var", RECORD_STORE_DIR=tmp_path / "store"):
        upload = SimpleUploadedFile("stops.zip", bomb.read_bytes(), "application/zip")
        response = client.post("/records/imports/new/", {"file": upload, "mapping": ""})
        no_extraction.clear()
        html = client.get(response["Location"]).content.decode()
        assert "looks like a zip bomb" in html
        assert no_extraction == []
        done = client.post(response["Location"].split("?")[0], {"mapping": "", "rows": "all"})
        jobs.run_pending()
    run = ImportRun.objects.get()
    assert done["Location"] == f"/records/imports/{run.pk}/"
    assert run.status == ImportRun.Status.FAILED and run.rows_stored == 0
    assert no_extraction == []


def test_a_preview_reads_only_the_head_of_an_archive_member(tmp_path: Path) -> None:
    # Repeated rows compress far beyond real data, so the ratio limit is raised here.
    archive = zip_bomb(tmp_path / "ok.zip", megabytes=1)
    with (
        override_settings(ARCHIVE_MAX_RATIO=100_000),
        sources.sample(archive, 64 * 1024) as (
            head,
            cut,
        ),
    ):
        assert cut and head.stat().st_size <= 64 * 1024
        assert head.read_bytes().endswith(b"\n")  # cut at a line end
        assert head.name == "2019-01-city-of-london-stop-and-search.csv"


def test_a_gzip_bomb_is_refused_by_counting_what_it_expands_to(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    import gzip

    path = tmp_path / "2019-01-city-of-london-stop-and-search.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as stream:
        stream.write((HEADER + "\n").encode())
        for _ in range(150):  # past 100 times the 1 MiB floor the ratio allows small files
            stream.write(b"\n" * MB)
    assert path.stat().st_size < 500_000
    report = run_import(path)
    (failed,) = report.files
    assert not report.committed and "it was not read further" in failed.error


def test_a_gzip_bomb_inside_a_zip_is_counted_as_it_expands(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    import gzip

    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=9) as stream:
        stream.write((HEADER + "\n").encode())
        for _ in range(150):
            stream.write(b"\n" * MB)
    # Stored, not deflated: the zip's own directory shows no expansion at all.
    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("2019-01-city-of-london-stop-and-search.csv.gz", packed.getvalue())
    report = run_import(path)
    (failed,) = report.files
    assert not report.committed
    assert "nested.zip:2019-01-city-of-london-stop-and-search.csv.gz" in failed.error
    assert "it was not read further" in failed.error

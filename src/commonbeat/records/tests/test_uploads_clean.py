"""Uploads never imported are deleted after UPLOAD_RETENTION_HOURS: by `commonbeat uploads
clean`, and every hour by the worker. An upload waiting for its import is kept."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings

from commonbeat.core import jobs
from commonbeat.core.jobs import Job
from commonbeat.core.roles import Role
from commonbeat.records import uploads
from commonbeat.records.tests.test_bad_input import GOOD, HEADER


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path) -> object:
    with override_settings(VAR_DIR=tmp_path, RECORD_STORE_DIR=tmp_path / "store"):
        yield


def aged(path: Path, hours: float) -> Path:
    """Make an upload look `hours` old."""
    then = time.time() - hours * 3600
    for item in [path.parent, path]:
        os.utime(item, (then, then))
    return path


def test_the_command_deletes_uploads_older_than_the_retention_and_keeps_the_rest(
    db: None, tmp_path: Path
) -> None:
    old_token, old = uploads.store("old.csv", [b"a,b\n1,2\n"])
    _new_token, new = uploads.store("new.csv", [b"a,b\n1,2\n"])
    aged(old, 25)
    aged(new, 23)
    out = StringIO()
    call_command("uploads", "clean", stdout=out)
    assert not old.parent.exists() and new.exists()
    assert f"deleted {old_token}" in out.getvalue()
    assert "Deleted 1 uploads never imported" in out.getvalue() and "1 kept" in out.getvalue()


def test_the_retention_is_a_setting_and_the_command_takes_hours(db: None) -> None:
    _token, upload = uploads.store("a.csv", [b"x"])
    aged(upload, 3)
    with override_settings(UPLOAD_RETENTION_HOURS=2):
        call_command("uploads", "clean", stdout=StringIO())
    assert not upload.exists()
    _token, upload = uploads.store("b.csv", [b"x"])
    aged(upload, 3)
    call_command("uploads", "clean", "--hours", "4", stdout=StringIO())
    assert upload.exists()


def test_an_upload_waiting_for_its_import_is_kept(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    client = client_as(Role.ANALYST)
    content = f"{HEADER}\n{GOOD}\n".encode()
    upload = SimpleUploadedFile("2019-01-city-of-london-stop-and-search.csv", content)
    response = client.post("/records/imports/new/", {"file": upload, "mapping": ""})
    client.post(response["Location"].split("?")[0], {"mapping": "", "rows": "all"})
    (folder,) = (tmp_path / "uploads").iterdir()
    aged(next(folder.iterdir()), 48)
    call_command("uploads", "clean", stdout=StringIO())
    assert folder.exists()  # queued for import, so not deleted


def test_the_worker_cleans_every_hour_and_says_what_it_deleted(db: None) -> None:
    _token, upload = uploads.store("forgotten.csv", [b"a,b\n" * 1000])
    aged(upload, 30)
    lines: list[str] = []
    jobs.work(once=True, say=lines.append)
    assert not upload.exists()
    job = Job.objects.get(kind="records.clean_uploads")
    assert job.status == Job.Status.DONE and job.result["deleted"] == [upload.parent.name]
    assert any("Deleted 1 uploads never imported" in line for line in lines)


def test_something_that_is_not_an_upload_is_never_deleted(db: None, tmp_path: Path) -> None:
    stray = tmp_path / "uploads" / "notes"
    stray.mkdir(parents=True)
    (stray / "keep.txt").write_text("mine")
    aged(stray / "keep.txt", 100)
    call_command("uploads", "clean", stdout=StringIO())
    assert (stray / "keep.txt").exists()

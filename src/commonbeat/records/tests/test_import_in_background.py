"""An upload's import runs in the background worker, not in the request: the page waits
(refreshing itself, no script needed), its JSON twin follows the job, and the report appears
when the import is done. The import stays atomic, and running its job again stores nothing
twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from commonbeat.core import jobs
from commonbeat.core.jobs import Job
from commonbeat.core.roles import Role
from commonbeat.records import services, uploads
from commonbeat.records.models import ImportRun
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path) -> object:
    with override_settings(VAR_DIR=tmp_path, RECORD_STORE_DIR=tmp_path / "store"):
        yield


def upload_and_confirm(client: Client, *rows: str) -> str:
    content = "\n".join([HEADER, *rows]) + "\n"
    upload = SimpleUploadedFile(
        "2019-01-city-of-london-stop-and-search.csv", content.encode(), "text/csv"
    )
    response = client.post("/records/imports/new/", {"file": upload, "mapping": ""})
    done = client.post(response["Location"].split("?")[0], {"mapping": "", "rows": "good"})
    return str(done["Location"])


def test_the_import_is_queued_and_its_page_waits_until_the_worker_is_done(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    client = client_as(Role.ANALYST)
    location = upload_and_confirm(client, GOOD, GOOD.replace("14:30", "15:30"))
    run = ImportRun.objects.get()
    assert location == f"/records/imports/{run.pk}/"
    assert run.status == ImportRun.Status.QUEUED and run.job is not None
    assert run.job.kind == "records.import" and run.job.status == Job.Status.QUEUED
    assert RecordStore(tmp_path / "store").count("stop") == 0  # nothing ran in the request

    waiting = client.get(location).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "Import in progress" in waiting and "<progress" in waiting
    twin = client.get(f"/records/imports/{run.pk}.json").json()
    assert (twin["status"], twin["done"], twin["report"]) == ("queued", False, None)
    assert twin["job"]["status"] == "queued" and twin["job"]["progress"] == 0

    (job,) = jobs.run_pending()
    assert job.status == Job.Status.DONE and job.result == {"run": run.pk, "status": "committed"}
    run.refresh_from_db()
    assert (run.status, run.rows_read, run.rows_stored) == (ImportRun.Status.COMMITTED, 2, 2)
    assert RecordStore(tmp_path / "store").count("stop") == 2
    report = client.get(location).content.decode()
    assert "Import report" in report and 'http-equiv="refresh"' not in report
    twin = client.get(f"/records/imports/{run.pk}.json").json()
    assert twin["done"] and twin["status"] == "committed" and twin["job"]["progress"] == 100
    assert twin["report"]["committed"] is True
    assert not any((tmp_path / "uploads").iterdir())  # imported: the upload is gone


def test_only_readers_of_imports_see_its_progress(
    client_as: Callable[[str], Client],
) -> None:
    location = upload_and_confirm(client_as(Role.ANALYST), GOOD)
    run = ImportRun.objects.get()
    assert client_as(Role.SUPERVISOR).get(f"/records/imports/{run.pk}.json").status_code == 200
    officer = client_as(Role.OFFICER)
    assert officer.get(location).status_code == 403
    assert officer.get(f"/records/imports/{run.pk}.json").status_code == 403
    assert client_as(Role.RESIDENT).get(f"/records/imports/{run.pk}.json").status_code == 403


def test_running_the_job_again_stores_nothing_twice(
    client_as: Callable[[str], Client], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload_and_confirm(client_as(Role.ANALYST), GOOD)
    run = ImportRun.objects.get()
    job = jobs.claim("first-worker")
    assert job is not None
    # The first worker stored the rows, then died before recording it (or deleting the
    # upload): its job is retried.
    monkeypatch.setattr(uploads, "discard", lambda token: None)
    services.import_queued(job, run_id=run.pk)
    assert RecordStore(tmp_path / "store").count("stop") == 1
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    result = services.import_queued(job, run_id=run.pk)
    assert result["status"] == ImportRun.Status.UNCHANGED
    assert RecordStore(tmp_path / "store").count("stop") == 1


def test_a_finished_run_is_not_imported_again_by_a_late_retry(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    upload_and_confirm(client_as(Role.ANALYST), GOOD)
    jobs.run_pending()
    run = ImportRun.objects.get()
    assert services.import_queued(run.job, run_id=run.pk) == {
        "run": run.pk,
        "status": ImportRun.Status.COMMITTED,
    }
    assert RecordStore(tmp_path / "store").count("stop") == 1


def test_an_upload_cleaned_away_before_its_import_fails_with_a_reason(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    import shutil

    client = client_as(Role.ANALYST)
    location = upload_and_confirm(client, GOOD)
    shutil.rmtree(tmp_path / "uploads")
    (job,) = jobs.run_pending()
    run = ImportRun.objects.get()
    assert job.status == Job.Status.FAILED and run.status == ImportRun.Status.FAILED
    assert "is no longer on the server" in job.message
    html = client.get(location).content.decode()
    assert "is no longer on the server" in html and 'http-equiv="refresh"' not in html


@override_settings(JOB_STALE_MINUTES=10)
def test_an_import_whose_worker_died_on_its_last_attempt_is_failed_not_left_waiting(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = client_as(Role.ANALYST)
    location = upload_and_confirm(client, GOOD)
    run = ImportRun.objects.get()
    for worker in ("first", "second"):  # records.import allows two attempts
        job = jobs.claim(worker)
        assert job is not None
        Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(minutes=11))
        jobs.recover_stale()
    run.refresh_from_db()
    assert run.job is not None and run.job.status == Job.Status.FAILED
    assert run.status == ImportRun.Status.FAILED
    page = client.get(location).content.decode()
    assert 'http-equiv="refresh"' not in page and "no sign of life" in page
    assert client.get(f"/records/imports/{run.pk}.json").json()["done"] is True
    assert RecordStore(tmp_path / "store").count("stop") == 0

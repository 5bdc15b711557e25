"""Analysts and administrators publish from the web: confirm, then follow a status page that
refreshes itself until done; every publication is in the audit log; one at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client, override_settings

from commonbeat.core import jobs
from commonbeat.core.jobs import Job
from commonbeat.core.models import AuditEntry
from commonbeat.core.roles import Role
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER
from commonbeat.releases.models import PublishRun
from commonbeat.releases.publish import releases
from commonbeat.testing.personas import ANONYMOUS

PUBLISHERS = {Role.ADMINISTRATOR, Role.ANALYST}


@pytest.fixture
def at_once() -> Callable[[], list[Job]]:
    """Run the queued publications here, as the background worker would."""
    return jobs.run_pending


@pytest.fixture
def stocked(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> RecordStore:
    month = tmp_path / "2019-01-city-of-london-stop-and-search.csv"
    rows = [GOOD.replace("14:30", f"14:{m:02d}") for m in range(12)]
    month.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert run_import(month).committed
    return record_store


@pytest.mark.parametrize("role", [ANONYMOUS, *Role.values])
def test_only_analysts_and_administrators_may_publish(
    client_as: Callable[[str], Client],
    role: str,
    stocked: RecordStore,
    tmp_path: Path,
    at_once: Callable[[], list[Job]],
) -> None:
    client = client_as(role)
    with override_settings(RECORD_STORE_DIR=stocked.root, RELEASES_DIR=tmp_path / "out"):
        page = client.get("/publish/")
        done = client.post("/publish/", {"confirm": "yes"})
        ran = at_once()
    if role == ANONYMOUS:
        assert page.status_code == done.status_code == 302
        assert "/publish/" not in done["Location"].split("?")[0]
    elif role not in PUBLISHERS:
        assert page.status_code == done.status_code == 403
    if role not in PUBLISHERS:
        assert not PublishRun.objects.exists() and not ran
        return
    assert page.status_code == 200
    assert "Yes, publish a new release" in page.content.decode()
    run = PublishRun.objects.get()
    assert done["Location"] == f"/publish/{run.pk}/"
    assert run.status == PublishRun.Status.DONE
    assert run.user is not None and run.user.role == role
    (manifest,) = releases(tmp_path / "out")
    assert run.summary["version"] == manifest["version"]
    status = client.get(done["Location"]).content.decode()
    assert "Published" in status and 'http-equiv="refresh"' not in status
    assert manifest["version"] in status
    entries = AuditEntry.objects.filter(model="releases.publishrun", object_pk=str(run.pk))
    assert [e.action for e in entries.order_by("seq")][:1] == ["create"]
    assert entries.filter(changes__status=["running", "done"]).exists()
    assert all(e.actor.endswith(f":{role}-persona") for e in entries)


def test_a_publication_is_not_started_by_a_mere_visit_or_without_confirming(
    client_as: Callable[[str], Client], at_once: Callable[[], list[Job]]
) -> None:
    client = client_as(Role.ANALYST)
    assert client.get("/publish/").status_code == 200
    assert client.post("/publish/", {}).status_code == 200
    assert not PublishRun.objects.exists() and not at_once()


def test_the_status_page_refreshes_itself_while_publishing(
    client_as: Callable[[str], Client],
) -> None:
    run = PublishRun.objects.create(actor="user:1:x", step="Writing the public tables")
    html = client_as(Role.ADMINISTRATOR).get(f"/publish/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Writing the public tables" in html and "Publishing" in html


def test_a_second_publication_is_refused_while_one_runs(
    client_as: Callable[[str], Client], at_once: Callable[[], list[Job]]
) -> None:
    PublishRun.objects.create(actor="command:publish")
    client = client_as(Role.ANALYST)
    response = client.post("/publish/", {"confirm": "yes"})
    assert response.status_code == 409
    assert "A release is already being published" in response.content.decode()
    assert PublishRun.objects.count() == 1 and not at_once()


def test_a_failed_publication_says_why_and_frees_the_way(
    client_as: Callable[[str], Client],
    record_store: RecordStore,
    tmp_path: Path,
    at_once: Callable[[], list[Job]],
) -> None:
    client = client_as(Role.ANALYST)
    with override_settings(RECORD_STORE_DIR=record_store.root, RELEASES_DIR=tmp_path / "out"):
        done = client.post("/publish/", {"confirm": "yes"})  # an empty store
        (job,) = at_once()
        run = PublishRun.objects.get()
        assert job.status == Job.Status.FAILED and job.message == run.error
        assert run.status == PublishRun.Status.FAILED and run.error
        assert run.error in client.get(done["Location"]).content.decode()
        again = client.post("/publish/", {"confirm": "yes"})
    assert again.status_code == 302 and PublishRun.objects.count() == 2


def test_the_publish_command_is_logged_too(stocked: RecordStore, tmp_path: Path) -> None:
    from django.core.management import call_command

    with override_settings(RECORD_STORE_DIR=stocked.root, RELEASES_DIR=tmp_path / "out"):
        call_command("publish", "--no-equity")
    run = PublishRun.objects.get()
    assert (run.actor, run.status) == ("command:publish", PublishRun.Status.DONE)
    assert AuditEntry.objects.filter(model="releases.publishrun", actor="command:publish").exists()


def test_the_status_page_has_a_json_twin_that_follows_the_job(
    client_as: Callable[[str], Client],
    stocked: RecordStore,
    tmp_path: Path,
    at_once: Callable[[], list[Job]],
) -> None:
    client = client_as(Role.ANALYST)
    with override_settings(RECORD_STORE_DIR=stocked.root, RELEASES_DIR=tmp_path / "out"):
        done = client.post("/publish/", {"confirm": "yes"})
        run = PublishRun.objects.get()
        waiting = client.get(f"/publish/{run.pk}.json").json()
        assert (waiting["status"], waiting["done"], waiting["version"]) == ("running", False, None)
        assert Job.objects.get().kind == "releases.publish"  # queued, not run in the request
        at_once()
    finished = client.get(f"/publish/{run.pk}.json").json()
    assert finished["done"] and finished["status"] == "done"
    assert finished["version"] == PublishRun.objects.get().summary["version"]
    assert f"/publish/{run.pk}.json" in client.get(done["Location"]).content.decode()
    assert client_as(Role.OFFICER).get(f"/publish/{run.pk}.json").status_code == 403


@override_settings(JOB_STALE_MINUTES=10)
def test_a_publication_whose_worker_died_is_failed_and_frees_the_way(
    client_as: Callable[[str], Client], stocked: RecordStore, tmp_path: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = client_as(Role.ANALYST)
    with override_settings(RECORD_STORE_DIR=stocked.root, RELEASES_DIR=tmp_path / "out"):
        done = client.post("/publish/", {"confirm": "yes"})
        job = jobs.claim("dead-worker")
        assert job is not None
        Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(minutes=11))
        (failed,) = jobs.recover_stale()
        run = PublishRun.objects.get()
        assert failed.status == Job.Status.FAILED
        assert (run.status, run.error) == (PublishRun.Status.FAILED, failed.message)
        assert run.finished is not None and releases(tmp_path / "out") == []
        assert AuditEntry.objects.filter(model="releases.publishrun", actor="command:worker")
        page = client.get(done["Location"]).content.decode()
        assert 'http-equiv="refresh"' not in page and "no sign of life" in page
        again = client.post("/publish/", {"confirm": "yes"})
    assert again.status_code == 302 and PublishRun.objects.count() == 2

"""The background job queue: jobs are claimed once, run, and leave their outcome; a job whose
worker died is queued again or failed; periodic jobs are queued by the worker itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from commonbeat.core import jobs
from commonbeat.core.jobs import JOB_KINDS, PERIODIC, Job, JobError, JobKind

RAN: list[dict[str, Any]] = []


def echo(job: Job, **args: Any) -> dict[str, Any]:
    job.report("halfway", 50)
    RAN.append(args)
    return {"echo": args}


def refuse(job: Job, **args: Any) -> None:
    raise JobError("The file was not there; upload it again.")


def crash(job: Job, **args: Any) -> None:
    raise RuntimeError("a bug")


def speak(job: Job, **args: Any) -> None:
    from django.utils.translation import gettext

    job.message = gettext("Failed")


JOB_KINDS.register(JobKind("tests.echo", f"{__name__}.echo"))
JOB_KINDS.register(JobKind("tests.speak", f"{__name__}.speak"))
JOB_KINDS.register(JobKind("tests.refuse", f"{__name__}.refuse"))
JOB_KINDS.register(JobKind("tests.crash", f"{__name__}.crash"))
JOB_KINDS.register(JobKind("tests.retry", f"{__name__}.echo", max_attempts=2))


@pytest.fixture(autouse=True)
def _clean() -> None:
    RAN.clear()


@pytest.mark.django_db
def test_it_runs_a_queued_job_and_keeps_its_result() -> None:
    job = jobs.enqueue("tests.echo", file="a.csv", rows=3)
    assert job.status == Job.Status.QUEUED
    (done,) = jobs.run_pending()
    done.refresh_from_db()
    assert RAN == [{"file": "a.csv", "rows": 3}]
    assert (done.status, done.progress, done.attempts) == (Job.Status.DONE, 100, 1)
    assert done.result == {"echo": {"file": "a.csv", "rows": 3}}
    assert done.message == "halfway" and done.started and done.finished and done.locked_by
    assert jobs.run_pending() == []  # nothing runs twice


@pytest.mark.django_db
def test_it_refuses_a_kind_nobody_registered() -> None:
    with pytest.raises(LookupError, match=r"No job kind 'tests\.nothing'"):
        jobs.enqueue("tests.nothing")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_it_runs_jobs_in_the_order_they_were_queued() -> None:
    for n in range(3):
        jobs.enqueue("tests.echo", n=n)
    jobs.run_pending()
    assert RAN == [{"n": 0}, {"n": 1}, {"n": 2}]


@pytest.mark.django_db
def test_a_job_is_claimed_by_one_worker_only() -> None:
    jobs.enqueue("tests.echo")
    first = jobs.claim("worker-1")
    assert first is not None and first.locked_by == "worker-1"
    assert jobs.claim("worker-2") is None
    assert Job.objects.get().status == Job.Status.RUNNING


@pytest.mark.django_db
def test_a_failure_it_explains_is_kept_as_written() -> None:
    jobs.enqueue("tests.refuse")
    (job,) = jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "The file was not there; upload it again."


@pytest.mark.django_db
def test_an_internal_error_fails_the_job_without_a_traceback_for_the_reader() -> None:
    jobs.enqueue("tests.crash")
    (job,) = jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "internal error (RuntimeError)" in job.message and "a bug" not in job.message


def _silent(job: Job, minutes: int) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db
@override_settings(JOB_STALE_MINUTES=10)
def test_a_job_whose_worker_went_silent_is_queued_again_while_it_has_attempts() -> None:
    jobs.enqueue("tests.retry", n=1)
    job = jobs.claim("dead-worker")
    assert job is not None
    _silent(job, 5)
    assert jobs.recover_stale() == []  # still within JOB_STALE_MINUTES
    _silent(job, 11)
    (recovered,) = jobs.recover_stale()
    assert (recovered.status, recovered.locked_by) == (Job.Status.QUEUED, "")
    (again,) = jobs.run_pending()
    again.refresh_from_db()
    assert (again.status, again.attempts) == (Job.Status.DONE, 2)


@pytest.mark.django_db
@override_settings(JOB_STALE_MINUTES=10)
def test_a_silent_job_with_no_attempts_left_is_failed_with_a_reason() -> None:
    jobs.enqueue("tests.echo")
    job = jobs.claim("dead-worker")
    assert job is not None
    _silent(job, 11)
    (failed,) = jobs.recover_stale()
    assert failed.status == Job.Status.FAILED
    assert "no sign of life for 10 minutes" in failed.message
    assert jobs.run_pending() == [] and RAN == []


@pytest.mark.django_db
def test_the_worker_queues_periodic_jobs_when_due_and_not_again_too_soon() -> None:
    assert "records.clean_uploads" in PERIODIC  # registered by the records app
    assert jobs.work(once=True, say=lambda line: None) >= 1
    cleaning = Job.objects.filter(kind="records.clean_uploads")
    assert cleaning.count() == 1 and cleaning.get().status == Job.Status.DONE
    jobs.work(once=True, say=lambda line: None)
    assert cleaning.count() == 1  # the next is due an hour later
    cleaning.update(created=timezone.now() - timedelta(hours=2))
    jobs.work(once=True, say=lambda line: None)
    assert cleaning.count() == 2


@pytest.mark.django_db
def test_the_worker_command_runs_the_queue_once_and_says_so() -> None:
    from io import StringIO

    from django.core.management import call_command

    jobs.enqueue("tests.echo", n=7)
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    text = out.getvalue()
    assert RAN == [{"n": 7}]
    assert (
        "Running job tests.echo" in text and "Queued the periodic job records.clean_uploads" in text
    )
    assert "Deleted 0 uploads never imported" in text


@pytest.mark.django_db
def test_a_job_reports_its_progress_for_its_page() -> None:
    job = jobs.enqueue("tests.echo")
    report = jobs.progress_from_step(job)
    report("[3/4] b.csv")
    job.refresh_from_db()
    assert (job.progress, job.message) == (50, "[3/4] b.csv")
    assert job.heartbeat is not None
    assert job.as_dict()["progress"] == 50


@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_once_never_take_the_same_job() -> None:
    import threading

    from django.db import connection

    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's; SQLite's claim is tested above")
    queued = {jobs.enqueue("tests.echo", n=n).pk for n in range(30)}
    claimed: dict[str, list[int]] = {}

    def worker(name: str) -> None:
        mine = claimed.setdefault(name, [])
        try:
            while (job := jobs.claim(name)) is not None:
                mine.append(job.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [pk for pks in claimed.values() for pk in pks]
    assert sorted(everything) == sorted(queued)  # each job once, none left behind
    assert Job.objects.filter(status=Job.Status.RUNNING).count() == 30


@pytest.mark.django_db
def test_a_job_speaks_the_language_of_whoever_queued_it() -> None:
    from django.utils import translation

    with translation.override("es"):
        spanish = jobs.enqueue("tests.speak")
    english = jobs.enqueue("tests.speak")
    jobs.run_pending()  # the worker's own language is the default
    spanish.refresh_from_db()
    english.refresh_from_db()
    assert (spanish.language, spanish.message) == ("es", "Fallido")
    assert english.message == "Failed"

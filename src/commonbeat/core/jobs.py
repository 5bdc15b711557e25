"""Background jobs on the platform's own database: long work (imports, publication) and
periodic chores (cleaning old uploads) run in `commonbeat worker`, never inside a request.

An app registers what it runs from its `AppConfig.ready()`:

    JOB_KINDS.register(JobKind("records.import", "commonbeat.records.jobs.run_import"))
    PERIODIC.register(Periodic("records.clean_uploads", every=timedelta(hours=1)))

`enqueue(kind, **args)` stores a `Job`; a worker claims it (`SELECT ... FOR UPDATE SKIP LOCKED`
on PostgreSQL, a compare-and-set update on SQLite), calls the kind's function with the job and
its arguments, and records the outcome. A job whose worker died (no heartbeat for
JOB_STALE_MINUTES) is queued again until it has used its attempts, then marked failed.
Tests call `run_pending()`, which runs every queued job in the calling thread.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonbeat.core.registry import Registry

logger = logging.getLogger(__name__)


class Job(models.Model):
    """One piece of background work: what to run, with which arguments, and how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    args = models.JSONField(_("arguments"), default=dict, blank=True)
    # The language of whoever queued it: the job's messages and report are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    locked_by = models.CharField(_("worker"), max_length=200, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["status", "created"], name="core_job_queue")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_over(self) -> bool:
        """Return whether the job has finished, well or badly."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def report(self, message: str = "", progress: int | None = None) -> None:
        """Record how far the job has got (and that its worker is alive)."""
        self.message = message or self.message
        if progress is not None:
            self.progress = max(0, min(100, progress))
        self.heartbeat = timezone.now()
        Job.objects.filter(pk=self.pk).update(
            message=self.message, progress=self.progress, heartbeat=self.heartbeat
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the job's public state (for a progress page's JSON twin)."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "message": self.message,
            "created": self.created.isoformat() if self.created else None,
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "attempts": self.attempts,
        }


@dataclass(frozen=True)
class JobKind:
    """What a job of this kind runs: `function(job, **args)` by dotted path, returning a dict
    (the job's result) or None."""

    name: str
    function: str
    max_attempts: int = 1  # a kind that is safe to repeat (idempotent) may allow more
    # Called as `abandoned(job, **args)` when the job's last worker died and it is given up,
    # so the record the job was working on (an import, a publication) does not look busy
    # forever.
    abandoned: str = ""


@dataclass(frozen=True)
class Periodic:
    """A job kind the worker queues by itself every `every` (with `args`)."""

    kind: str
    every: timedelta
    args: dict[str, Any] = field(default_factory=dict)


JOB_KINDS: Registry[JobKind] = Registry("job kinds", key=lambda k: k.name)
PERIODIC: Registry[Periodic] = Registry("periodic jobs", key=lambda p: p.kind)


class JobError(Exception):
    """A job failed in a way its function explains; the message is shown as written."""


def enqueue(kind: str, **args: Any) -> Job:
    """Queue a job of a registered kind and return it."""
    if kind not in JOB_KINDS:
        raise LookupError(f"No job kind {kind!r} is registered (known: {', '.join(JOB_KINDS)}).")
    return Job.objects.create(kind=kind, args=args, language=translation.get_language() or "")


def worker_name() -> str:
    """Return this process's name as a worker (host, pid, thread)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def stale_after() -> timedelta:
    """Return how long a running job may go without a heartbeat before it counts as dead."""
    return timedelta(minutes=settings.JOB_STALE_MINUTES)


def claim(worker: str | None = None) -> Job | None:
    """Take the oldest queued job for this worker, or return None when there is none."""
    worker = worker or worker_name()
    now = timezone.now()
    queued = Job.objects.filter(status=Job.Status.QUEUED).order_by("created", "id")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = queued.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            _mark_running(job, worker, now)
            job.save(update_fields=["status", "started", "heartbeat", "locked_by", "attempts"])
            return job
    # SQLite has no row locks: a conditional update is the claim, and only one worker's wins.
    for pk in queued.values_list("pk", flat=True)[:20]:
        won = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            started=now,
            heartbeat=now,
            locked_by=worker,
            attempts=F("attempts") + 1,
        )
        if won:
            return Job.objects.get(pk=pk)
    return None


def _mark_running(job: Job, worker: str, now: Any) -> None:
    job.status, job.started, job.heartbeat, job.locked_by = Job.Status.RUNNING, now, now, worker
    job.attempts += 1


def run(job: Job) -> Job:
    """Run a claimed job to its end, recording its result or its failure."""
    kind = JOB_KINDS.get(job.kind)
    with translation.override(job.language or None):
        _run(job, kind)
    return job


def _run(job: Job, kind: JobKind | None) -> None:
    try:
        if kind is None:
            raise JobError(gettext("This kind of job (%(kind)s) is unknown.") % {"kind": job.kind})
        result = _call(kind.function, job)
    except JobError as exc:
        _finish(job, Job.Status.FAILED, str(exc))
    except Exception as exc:
        logger.exception("Job %s failed", job)
        _finish(
            job,
            Job.Status.FAILED,
            gettext(
                "The job failed because of an internal error (%(error)s); "
                "the details are in the worker's log."
            )
            % {"error": type(exc).__name__},
        )
    else:
        job.result = result or {}
        _finish(job, Job.Status.DONE, job.message, progress=100)


def _call(path: str, job: Job) -> dict[str, Any] | None:
    module, name = path.rsplit(".", 1)
    function: Callable[..., dict[str, Any] | None] = getattr(importlib.import_module(module), name)
    return function(job, **job.args)


def _finish(job: Job, status: str, message: str, progress: int | None = None) -> None:
    job.status, job.message, job.finished = status, message, timezone.now()
    if progress is not None:
        job.progress = progress
    job.save(update_fields=["status", "message", "finished", "progress", "result"])


def recover_stale() -> list[Job]:
    """Queue again (or fail, after their last attempt) running jobs whose worker went silent."""
    cutoff = timezone.now() - stale_after()
    recovered = []
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat__lt=cutoff):
        kind = JOB_KINDS.get(job.kind)
        attempts = kind.max_attempts if kind else 1
        if job.attempts < attempts:
            updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.QUEUED, locked_by="", heartbeat=None
            )
        else:
            updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED,
                finished=timezone.now(),
                message=gettext(
                    "The worker running this job stopped (no sign of life for %(minutes)s "
                    "minutes); it was not started again."
                )
                % {"minutes": settings.JOB_STALE_MINUTES},
            )
        if updated:
            job.refresh_from_db()
            logger.warning("Recovered stale job %s", job)
            if job.status == Job.Status.FAILED and kind is not None and kind.abandoned:
                _call(kind.abandoned, job)
            recovered.append(job)
    return recovered


def schedule_periodic() -> list[Job]:
    """Queue each periodic job that is due (none of its kind queued, running or recent)."""
    queued = []
    for periodic in PERIODIC.values():
        mine = Job.objects.filter(kind=periodic.kind)
        busy = mine.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()
        recent = mine.filter(created__gt=timezone.now() - periodic.every).exists()
        if not busy and not recent:
            queued.append(enqueue(periodic.kind, **periodic.args))
    return queued


def run_pending(limit: int = 100) -> list[Job]:
    """Run every queued job here and now, in order (for tests and one-off commands)."""
    done: list[Job] = []
    while len(done) < limit and (job := claim()) is not None:
        done.append(run(job))
    return done


class _Heartbeat:
    """Beat for a running job from a side thread, so a long step without progress reports
    is not taken for a dead worker."""

    def __init__(self, job: Job, every: float) -> None:
        self._job_id, self._every = job.pk, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="commonbeat-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self._every):
                try:
                    Job.objects.filter(pk=self._job_id, status=Job.Status.RUNNING).update(
                        heartbeat=timezone.now()
                    )
                except Exception:  # a busy database: the next beat tries again
                    logger.warning("Could not record the heartbeat of job %s", self._job_id)
        finally:
            connection.close()


def work(
    poll: float = 2.0,
    once: bool = False,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = logger.info,
) -> int:
    """Run jobs until stopped (or, with `once`, until the queue is empty); return how many ran."""
    stop = stop or threading.Event()
    worker = worker_name()
    beat = max(1.0, stale_after().total_seconds() / 4)
    ran = 0
    say(gettext("Worker %(worker)s started.") % {"worker": worker})
    while not stop.is_set():
        if not connection.in_atomic_block:  # (a test's transaction must stay open)
            close_old_connections()
        for stale in recover_stale():
            say(gettext("Job %(job)s was found abandoned: %(status)s.") % _described(stale))
        for periodic in schedule_periodic():
            say(gettext("Queued the periodic job %(job)s.") % _described(periodic))
        job = claim(worker)
        if job is None:
            if once:
                break
            stop.wait(poll)
            continue
        say(gettext("Running job %(job)s.") % _described(job))
        started = time.monotonic()
        with _Heartbeat(job, beat):
            run(job)
        ran += 1
        say(
            gettext("Job %(job)s: %(status)s in %(seconds).1f s. %(message)s")
            % {**_described(job), "seconds": time.monotonic() - started, "message": job.message}
        )
    say(
        gettext("Worker %(worker)s stopped after %(count)s jobs.")
        % {"worker": worker, "count": ran}
    )
    return ran


def _described(job: Job) -> dict[str, str]:
    return {"job": f"{job.kind} #{job.pk}", "status": str(job.get_status_display())}


_STEP = re.compile(r"^\[(\d+)/(\d+)\]")


def progress_from_step(job: Job) -> Callable[[str], None]:
    """Return a progress callback that records "[i/n] name" steps as the job's progress."""

    def report(message: str) -> None:
        step = _STEP.match(message)
        percent = None
        if step:
            index, total = int(step.group(1)), int(step.group(2))
            percent = round(100 * (index - 1) / total) if total else None
        job.report(message, percent)

    return report

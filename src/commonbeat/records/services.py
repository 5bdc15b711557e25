"""Operations on the record store; the commands, the back-office upload and the demo call these."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from commonbeat.core import audit
from commonbeat.core.audit import acting_as
from commonbeat.records import uploads
from commonbeat.records.engine import ImportReport, import_files
from commonbeat.records.models import ImportRun


def run_import(
    paths: Sequence[Path],
    actor: str,
    mapping: str | None = None,
    user: Any = None,
    progress: Callable[[str], None] | None = None,
    progress_bar: bool = False,
    all_or_nothing: bool = False,
    run: ImportRun | None = None,
) -> tuple[ImportReport, ImportRun]:
    """Import the paths atomically, log the run with its report, and audit it.

    With `all_or_nothing`, a file with any rejected row stores nothing; otherwise its good rows
    are stored and the rest reported. `run` is the queued run of a background import, filled
    in rather than a new one created.
    """
    started = time.monotonic()
    report = import_files(
        paths,
        mapping=mapping,
        progress=progress,
        progress_bar=progress_bar,
        all_or_nothing=all_or_nothing,
    )
    checked = [f for f in report.files if f.status in ("stored", "replaced", "failed")]
    read = sum(f.read for f in checked)
    stored = sum(f.stored for f in checked) if report.committed else 0
    rejected = sum(f.rejected for f in checked)
    with acting_as(actor):
        fields = {
            "actor": actor,
            "user": user if user is not None and getattr(user, "is_authenticated", False) else None,
            "inputs": "\n".join(str(p) for p in paths),
            "mapping": mapping or "",
            "status": _status(report, stored, rejected),
            "rows_read": read,
            "rows_stored": stored,
            "rows_rejected": rejected,
            "seconds": round(time.monotonic() - started, 3),
            "report": report.as_dict(),
        }
        if run is None:
            run = ImportRun.objects.create(**fields)
        else:
            for name, value in fields.items():
                setattr(run, name, value)
            run.save()
        # ImportRun is not audited field by field (its report can be large): one summary entry.
        audit.append(
            "import",
            run,
            {
                "files": [None, [f.name for f in report.files]],
                "status": [None, run.status],
                "rows_read": [None, read],
                "rows_stored": [None, stored],
                "rows_rejected": [None, rejected],
                "all_or_nothing": [None, all_or_nothing],
            },
        )
    return report, run


def queue_import(
    path: Path,
    actor: str,
    mapping: str | None = None,
    user: Any = None,
    all_or_nothing: bool = False,
) -> ImportRun:
    """Queue an uploaded file's import for the background worker; return its (waiting) run.

    The run's page follows the job's progress and shows the report once the worker is done.
    """
    from commonbeat.core import jobs

    with transaction.atomic():
        run = ImportRun.objects.create(
            actor=actor,
            user=user if user is not None and getattr(user, "is_authenticated", False) else None,
            inputs=str(path),
            mapping=mapping or "",
            status=ImportRun.Status.QUEUED,
        )
        run.job = jobs.enqueue("records.import", run_id=run.pk, all_or_nothing=all_or_nothing)
        run.save(update_fields=["job"])
    return run


def import_queued(job: Any, run_id: int, all_or_nothing: bool = False) -> dict[str, Any]:
    """Run a queued import (the "records.import" job); idempotent when the job runs again."""
    from commonbeat.core.jobs import JobError, progress_from_step

    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if not run.is_pending:  # done by an earlier attempt that died before saying so
        return {"run": run.pk, "status": run.status}
    paths = [Path(line) for line in run.inputs.splitlines() if line]
    missing = [p for p in paths if not p.exists()]
    if missing:
        run.status = ImportRun.Status.FAILED
        message = gettext(
            "The uploaded file %(name)s is no longer on the server (uploads are kept for "
            "%(hours)s hours); upload it again."
        ) % {"name": missing[0].name, "hours": settings.UPLOAD_RETENTION_HOURS}
        run.report = {"files": [{"name": missing[0].name, "status": "failed", "error": message}]}
        run.save()
        raise JobError(message)
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])
    job.report(gettext("Reading the file"), 0)
    try:
        _report, run = run_import(
            paths,
            actor=run.actor,
            mapping=run.mapping or None,
            user=run.user,
            progress=progress_from_step(job),
            all_or_nothing=all_or_nothing,
            run=run,
        )
    except Exception:
        # Nothing was stored (the import commits last); the run must not look busy forever.
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
        raise
    for path in paths:
        token = uploads.token_of(path)
        if token:
            uploads.discard(token)  # imported: the upload is no longer needed
    job.message = str(run.get_status_display())
    return {"run": run.pk, "status": run.status}


def import_abandoned(job: Any, run_id: int, all_or_nothing: bool = False) -> None:
    """The import's worker died on its last attempt: nothing was stored (the import commits
    last), so the run is failed rather than left waiting; its page shows the job's reason."""
    ImportRun.objects.filter(
        pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(status=ImportRun.Status.FAILED)


def clean_uploads(hours: float | None = None) -> uploads.Cleaned:
    """Delete uploads not imported within UPLOAD_RETENTION_HOURS (those queued are kept)."""
    busy = set()
    for run in ImportRun.objects.filter(
        status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ):
        for line in run.inputs.splitlines():
            token = uploads.token_of(Path(line))
            if token:
                busy.add(token)
    return uploads.clean(hours, busy=busy)


def clean_uploads_job(job: Any, **args: Any) -> dict[str, Any]:
    """Run `clean_uploads` as the worker's hourly "records.clean_uploads" job."""
    cleaned = clean_uploads()
    job.message = gettext(
        "Deleted %(deleted)s uploads never imported (%(freed)s MB); %(kept)s kept."
    ) % {
        "deleted": len(cleaned.deleted),
        "freed": f"{cleaned.freed_bytes / 1048576:,.1f}",
        "kept": cleaned.kept,
    }
    return {"deleted": cleaned.deleted, "kept": cleaned.kept, "freed_bytes": cleaned.freed_bytes}


def check_import(path: Path, mapping: str | None = None) -> ImportReport:
    """Return what importing the file would store and reject, storing nothing."""
    from commonbeat.records.engine import Importer
    from commonbeat.records.store import default_store

    # The report carries a sample of the problems; the full rejects file of a check is not kept.
    with tempfile.TemporaryDirectory(prefix="commonbeat-check-") as rejects:
        importer = Importer(
            default_store(),
            mapping=mapping,
            rejects_dir=Path(rejects),
            check_only=True,
            check_places=True,
        )
        return importer.run([path])


def _status(report: ImportReport, stored: int, rejected: int) -> str:
    if report.refused and all(f.status != "failed" or f.rejected for f in report.files):
        return ImportRun.Status.REJECTED
    if not report.ok:
        return ImportRun.Status.FAILED
    if all(f.status == "unchanged" for f in report.files):
        return ImportRun.Status.UNCHANGED
    if rejected and not stored:
        return ImportRun.Status.REJECTED
    return ImportRun.Status.PARTLY if rejected else ImportRun.Status.COMMITTED


def summary_lines(report: ImportReport) -> list[str]:
    """Return the import's summary as an aligned text table, then its problems."""
    lines = []
    header = ("file", "mapping", "status", "record type", "read", "stored", "rejected")
    rows: list[tuple[str, ...]] = []
    for f in report.files:
        if not f.outputs:
            rows.append((f.name, f.mapping, f.outcome, "", "", "", ""))
        for o in f.outputs:
            stored = "0 (already stored)" if f.status == "unchanged" else f"{o.stored:,}"
            rows.append(
                (
                    f.name,
                    f.mapping,
                    f.outcome,
                    o.record_type,
                    f"{o.read:,}",
                    stored,
                    f"{o.rejected:,}",
                )
            )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    widths[0] = min(widths[0], 60)
    for row in [header, tuple("-" * w for w in widths), *rows]:
        lines.append(
            "  ".join(str(cell)[: widths[i]].ljust(widths[i]) for i, cell in enumerate(row))
        )
    for record_type, total in sorted(report.totals().items()):
        for reason, count in total.reasons.most_common():
            lines.append(f"  {record_type}: rejected {count:,} x {reason}")
        for rule, count in total.corrected.most_common():
            lines.append(f"  {record_type}: corrected {count:,} x {rule}")
    for f in report.files:
        if f.error:
            lines.append(f"ERROR {f.error}")
        for problem in f.problems[:5]:
            lines.append(f"  {problem}")
        if f.rejects_file:
            lines.append(f"  rejected rows with reasons: {f.rejects_file}")
    if report.committed:
        lines.append("Import committed.")
    elif report.files:
        lines.append("Nothing was stored: the store is exactly as it was.")
    return lines

"""Operations on the record store; the commands, the back-office upload and the demo call these."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from commonbeat.core.audit import acting_as
from commonbeat.records.engine import ImportReport, import_files
from commonbeat.records.models import ImportRun


def run_import(
    paths: Sequence[Path],
    actor: str,
    mapping: str | None = None,
    user: Any = None,
    progress: Callable[[str], None] | None = None,
    progress_bar: bool = False,
) -> tuple[ImportReport, ImportRun]:
    """Import the paths, all or nothing, and log the run with its report."""
    started = time.monotonic()
    report = import_files(paths, mapping=mapping, progress=progress, progress_bar=progress_bar)
    totals = report.totals().values()
    if not report.ok:
        status = ImportRun.Status.FAILED
    elif all(f.status == "unchanged" for f in report.files):
        status = ImportRun.Status.UNCHANGED
    else:
        status = ImportRun.Status.COMMITTED
    fresh = [f for f in report.files if f.status in ("stored", "replaced")]
    with acting_as(actor):
        run = ImportRun.objects.create(
            actor=actor,
            user=user if user is not None and getattr(user, "is_authenticated", False) else None,
            inputs="\n".join(str(p) for p in paths),
            mapping=mapping or "",
            status=status,
            rows_read=sum(t.read for t in totals) if report.ok else 0,
            rows_stored=sum(o.stored for f in fresh for o in f.outputs) if report.ok else 0,
            rows_rejected=sum(o.rejected for f in fresh for o in f.outputs) if report.ok else 0,
            seconds=round(time.monotonic() - started, 3),
            report=report.as_dict(),
        )
    return report, run


def summary_lines(report: ImportReport) -> list[str]:
    """Return the import's summary as an aligned text table, then its problems."""
    lines = []
    header = ("file", "mapping", "status", "record type", "read", "stored", "rejected")
    rows: list[tuple[str, ...]] = []
    for f in report.files:
        if not f.outputs:
            rows.append((f.name, f.mapping, f.status, "", "", "", ""))
        for o in f.outputs:
            stored = "0 (already stored)" if f.status == "unchanged" else f"{o.stored:,}"
            rows.append(
                (
                    f.name,
                    f.mapping,
                    f.status,
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

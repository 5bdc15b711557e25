"""A year of the city's police records with planted effects (demo/records/), imported into the
record store through the one import path."""

from __future__ import annotations

import time

from django.core.management.base import CommandError

from commonbeat.demo.generators import DemoRun, generator
from commonbeat.demo.records import YEAR, load_records
from commonbeat.records.services import summary_lines


@generator("records", order=20)
def records(run: DemoRun) -> None:
    """Generate the year's records and import them (all or nothing)."""
    if run.options.get("no_records"):
        return
    run.say(f"Generating the city's {YEAR} records and importing them into the record store…")
    started = time.monotonic()
    _generated, report, import_run = load_records(
        run.city(), actor="command:demo", scale=run.options.get("records_scale", 1.0)
    )
    for line in summary_lines(report):
        run.say(line)
    if not report.ok:
        raise CommandError("The demo records could not be imported; nothing was stored.")
    counts = ", ".join(
        f"{total.read:,} {record_type}" for record_type, total in report.totals().items()
    )
    unchanged = sum(1 for f in report.files if f.status == "unchanged")
    rejected = sum(f.rejected for f in report.files)
    run.say(
        f"Demo records ready: {counts} ({len(report.files)} files, {unchanged} unchanged, "
        f"{rejected} rejected; import #{import_run.pk}, {time.monotonic() - started:.1f} s).",
        "success",
    )
    run.changed |= any(f.status in ("stored", "replaced") for f in report.files)
    run.has_release_data = True

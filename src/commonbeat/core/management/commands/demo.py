from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from commonbeat.core.audit import acting_as
from commonbeat.core.demo.city import AGENCY_SLUG, CityPlan, build_city
from commonbeat.core.demo.load import DEMO_ACCOUNTS, load_city, remove_city
from commonbeat.core.demo.records import YEAR, load_records
from commonbeat.core.models import Agency
from commonbeat.records.engine import ImportReport
from commonbeat.records.publish import PublishError
from commonbeat.records.services import publish_release, summary_lines, time_zone_lines
from commonbeat.transparency.release import current_release

# Printed for whoever runs the demo; demo accounts are only made with DEBUG on or on request.
DEMO_PASSWORD = "commonbeat-demo"  # noqa: S105


class Command(BaseCommand):
    help = "Build the synthetic demo city (labelled as such wherever it is shown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same city (default 1).")
        parser.add_argument("--replace", action="store_true", help="Rebuild the city if it exists.")
        parser.add_argument(
            "--accounts",
            choices=["yes", "no", "auto"],
            default="auto",
            help="Create one demo account per role (auto: only when DEBUG is on).",
        )
        parser.add_argument(
            "--no-records",
            action="store_true",
            help=f"Do not generate and import the city's {YEAR} records (stops, calls, …).",
        )
        parser.add_argument(
            "--records-scale",
            type=float,
            default=1.0,
            help="Multiply the number of generated records (default 1: about 167,000 rows).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["records_scale"] <= 10:
            raise CommandError("--records-scale must be more than 0 and at most 10.")
        exists = Agency.objects.filter(slug=AGENCY_SLUG).exists()
        if exists and not options["replace"]:
            self.stdout.write(
                f"The demo city is already there ({AGENCY_SLUG}); use --replace to rebuild it."
            )
            return
        if exists and not Agency.objects.filter(slug=AGENCY_SLUG, synthetic=True).exists():
            raise CommandError(
                f"Agency {AGENCY_SLUG} exists and is not synthetic; refusing to replace it."
            )
        accounts = options["accounts"] == "yes" or (
            options["accounts"] == "auto" and settings.DEBUG
        )
        self.stdout.write(f"Planning the city from seed {options['seed']}…")
        plan = build_city(seed=options["seed"])
        self.stdout.write("Writing it to the database (every record is audit-logged)…")
        with acting_as("command:demo"), transaction.atomic():
            remove_city(AGENCY_SLUG)
            summary = load_city(plan, password=DEMO_PASSWORD if accounts else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ready: 1 agency, {summary.neighbourhoods} neighbourhoods, "
                f"{summary.officers} officers, {summary.assignments} assignments, "
                f"{summary.team_members} team members, {summary.accounts} accounts."
            )
        )
        if summary.accounts:
            names = ", ".join(username for username, _ in DEMO_ACCOUNTS)
            self.stdout.write(f"Demo accounts ({names}) all use the password {DEMO_PASSWORD!r}.")
        if not options["no_records"]:
            self._records(plan, options["records_scale"])

    def _records(self, plan: CityPlan, scale: float) -> None:
        self.stdout.write(
            f"Generating the city's {YEAR} records and importing them into the record store…"
        )
        started = time.monotonic()
        _generated, report, run = load_records(plan, actor="command:demo", scale=scale)
        for line in summary_lines(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("The demo records could not be imported; nothing was stored.")
        counts = ", ".join(
            f"{total.read:,} {record_type}" for record_type, total in report.totals().items()
        )
        unchanged = sum(1 for f in report.files if f.status == "unchanged")
        rejected = sum(f.rejected for f in report.files)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo records ready: {counts} ({len(report.files)} files, {unchanged} unchanged, "
                f"{rejected} rejected; import #{run.pk}, {time.monotonic() - started:.1f} s)."
            )
        )
        self._publish(report)

    def _publish(self, report: ImportReport) -> None:
        # The public pages read releases only, so the demo publishes one, the same way as the
        # `publish` command; unchanged records keep the release they already have.
        changed = any(f.status in ("stored", "replaced") for f in report.files)
        release = current_release()
        if release is not None and not changed:
            self.stdout.write(
                f"The records are unchanged: release {release.version} still holds them."
            )
        else:
            started = time.monotonic()
            self.stdout.write("Publishing a release through the privacy rules…")
            try:
                summary = publish_release()
            except PublishError as exc:
                raise CommandError(str(exc)) from exc
            for line in time_zone_lines(summary):
                self.stdout.write(line)
            release = current_release()
            if release is None or release.version != summary.version:
                raise CommandError(f"Release {summary.version} was written but is not served.")
            self.stdout.write(
                f"Release {summary.version}: {len(summary.tables)} tables, "
                f"{sum(summary.tables.values()):,} rows ({time.monotonic() - started:.1f} s)."
            )
        # Build the release's cache database now, so the first page view does not wait for it.
        started = time.monotonic()
        release.ensure_cache()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo release {release.version} published and ready to serve "
                f"(cache built in {time.monotonic() - started:.1f} s)."
            )
        )

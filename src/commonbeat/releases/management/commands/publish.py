from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonbeat.records.contributions import CONTRIBUTORS
from commonbeat.releases.publish import PublishError
from commonbeat.releases.services import (
    PublishBusy,
    begin_publish,
    contribution_lines,
    disclosure_lines,
    publish_logged,
    time_zone_lines,
)


class Command(BaseCommand):
    help = "Publish a new immutable release of the record store through the privacy rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grid-metres",
            type=float,
            default=250.0,
            help="Location grid cell size (default 250).",
        )
        parser.add_argument(
            "--min-count",
            type=int,
            default=settings.PUBLISH_MIN_COUNT,
            help="Suppress aggregate cells below this.",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            choices=list(CONTRIBUTORS),
            metavar="CONTRIBUTOR",
            help=f"Leave out one release contributor ({', '.join(CONTRIBUTORS)}); repeatable.",
        )
        parser.add_argument(
            "--no-equity",
            dest="equity",
            action="store_false",
            help="Short for --skip equity: leave out the equity reports (their threshold test "
            "takes seconds per agency).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["grid_metres"] < 50:
            raise CommandError(
                "--grid-metres below 50 would publish near-exact locations; refusing."
            )
        try:
            # Logged like a web publication (and so audited); refused while one runs.
            summary = publish_logged(
                begin_publish("command:publish"),
                grid_metres=options["grid_metres"],
                min_count=options["min_count"],
                equity=options["equity"],
                skip=options["skip"],
            )
        except (PublishError, PublishBusy) as exc:
            raise CommandError(str(exc)) from exc
        for name, rows in summary.tables.items():
            self.stdout.write(f"  {name:24} {rows:>12,} rows")
        for line in time_zone_lines(summary):
            self.stdout.write(line)
        self.stdout.write("Disclosure risk (docs/disclosure.md):")
        for line in disclosure_lines(summary):
            self.stdout.write(line)
        for line in contribution_lines(summary):
            self.stdout.write(line)
        head = summary.audit_head
        self.stdout.write(
            f"  audit log head #{head['seq']} ({head['hash'][:12]}…) recorded in the manifest"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Release {summary.version} written to {summary.path}.")
        )

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonbeat.core.audit import acting_as
from commonbeat.records.roster import RosterError, sync_roster
from commonbeat.records.store import default_store


class Command(BaseCommand):
    help = "Feed the back office's officer roster from rosters imported into the record store."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="Create or update an agency's officers and assignments.")
        sync.add_argument(
            "--agency", required=True, help="The agency's identifier, e.g. rochester-pd."
        )
        sync.add_argument(
            "--source", help="Only this mapping's roster (default: every roster of the agency)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  {done:,} of {total:,} officers")

        try:
            with acting_as("command:roster-sync"):
                summary = sync_roster(
                    default_store(), options["agency"], options["source"], progress
                )
        except RosterError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Roster of {options['agency']}: {summary.officers_created:,} officers created, "
                f"{summary.officers_updated:,} updated, {summary.officers_unchanged:,} unchanged; "
                f"{summary.assignments_created:,} assignments added (every change audit-logged)."
            )
        )

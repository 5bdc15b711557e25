from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.core import audit


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report the first altered or deleted entry, if any.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {result.entries} entries verified.")
            )
            return
        self.stderr.write(self.style.ERROR(f"Audit log broken. {result.problem}"))
        self.stderr.write(f"{result.entries} entries before it verified.")
        raise SystemExit(1)

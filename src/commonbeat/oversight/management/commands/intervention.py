from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonbeat.core import audit
from commonbeat.oversight.early import services


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--as-of {value!r} is not a date: write it as YYYY-MM-DD, like 2025-12-31."
        ) from exc


class Command(BaseCommand):
    help = (
        "Early intervention. `intervention evaluate --as-of YYYY-MM-DD` opens an alert for each "
        "officer and active rule that fires on the figures as of that date (never a second open "
        "alert for the same officer and rule)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="Evaluate the active rules and open alerts.")
        evaluate.add_argument("--as-of", help="The window's last day, YYYY-MM-DD (default: today).")
        evaluate.add_argument("--agency", help="Only this agency's officers (its identifier).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options.get("as_of") else timezone.localdate()
        with audit.acting_as("command:intervention"):
            result = services.evaluate(as_of, agency=options.get("agency") or None)
        self.stdout.write(
            f"Evaluated {result.rules} rules for {result.officers} officers as of "
            f"{as_of.isoformat()}: {len(result.opened)} alerts opened, "
            f"{result.already_open} already open."
        )

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonbeat.core.models import Agency
from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.demo.generators import DemoRun, in_order
from commonbeat.demo.records import YEAR


class Command(BaseCommand):
    help = "Build the synthetic demo city (labelled as such wherever it is shown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same city (default 1).")
        parser.add_argument("--replace", action="store_true", help="Rebuild the city if it exists.")
        parser.add_argument(
            "--accounts",
            choices=["yes", "no"],
            default="no",
            help="Also create one demo account per role, all with one published password "
            "(default no: only ever on request, whatever DEBUG says).",
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
        run = DemoRun(seed=options["seed"], options=options, say=self._say)
        for step in in_order():
            step.run(run)

    def _say(self, text: str, style: str | None = None) -> None:
        self.stdout.write(self.style.SUCCESS(text) if style == "success" else text)

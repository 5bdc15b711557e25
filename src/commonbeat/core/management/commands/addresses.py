"""`commonbeat addresses load FILE --agency X`, `addresses count`, `addresses clear --agency X`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from commonbeat.core import services
from commonbeat.core.addresses import FORMATS, AddressFileError
from commonbeat.core.audit import acting_as
from commonbeat.core.models import AddressPoint, Agency


class Command(BaseCommand):
    help = (
        "Load the address points residents search to find their neighbourhood. "
        "`addresses load FILE --agency SLUG` replaces the points from that file; "
        "`addresses count` lists what is loaded; `addresses clear --agency SLUG` removes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load (or reload) an address file for an agency.")
        load.add_argument("file", type=Path, help="An OpenAddresses-style CSV file.")
        load.add_argument("--agency", required=True, help="The agency's identifier (slug).")
        load.add_argument("--format", default="openaddresses", choices=FORMATS)
        load.add_argument(
            "--source", help="The name the points are kept under (default: the file's name)."
        )
        sub.add_parser("count", help="Count the address points per agency and source.")
        clear = sub.add_parser("clear", help="Delete an agency's address points.")
        clear.add_argument("--agency", required=True, help="The agency's identifier (slug).")
        clear.add_argument("--source", help="Only the points loaded from this source.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "count":
            self._count()
            return
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            known = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(
                f"No agency {options['agency']!r}. Use one of these identifiers: {known}."
            )
        with acting_as("command:addresses"):
            if action == "clear":
                removed = services.clear_addresses(agency, options.get("source"))
                self.stdout.write(self.style.SUCCESS(f"Removed {removed} address points."))
                return
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:
                result = services.load_addresses(
                    path, agency, file_format=options["format"], source=options.get("source")
                )
            except AddressFileError as exc:
                raise CommandError(f"{path} was not loaded; nothing changed.\n{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.loaded} address points for {agency.slug} from {result.source} "
                f"(replacing {result.replaced})."
            )
        )
        if result.outside:
            self.stdout.write(
                f"{result.outside} of them lie outside every neighbourhood; a search finds them "
                "and says so."
            )

    def _count(self) -> None:
        rows = (
            AddressPoint.objects.values("agency__slug", "source")
            .annotate(n=Count("id"))
            .order_by("agency__slug", "source")
        )
        if not rows:
            self.stdout.write("No address points are loaded.")
        for row in rows:
            self.stdout.write(f"{row['agency__slug']}\t{row['source']}\t{row['n']}")

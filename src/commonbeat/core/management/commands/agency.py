"""`commonbeat agency`: list agencies, or create or update one (name, time zone, licence).

An agency's time zone decides how its records' clock times are read (the veil-of-darkness
test and every hour-of-day figure refuse without one), and its licence covers the tables made
from its own records; both are set here, audit-logged as "command:agency".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from commonbeat.core import audit
from commonbeat.core.services import AgencyError, save_agency


class Command(BaseCommand):
    help = (
        "List agencies (no arguments), or create or update one: "
        'commonbeat agency <identifier> --name "…" --time-zone America/Chicago --licence CC-BY-4.0'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "identifier", nargs="?", default="", help="The agency's identifier (slug)."
        )
        parser.add_argument("--name", default=None, help="The agency's name.")
        parser.add_argument(
            "--time-zone",
            dest="time_zone",
            default=None,
            help='IANA time zone, e.g. America/Chicago or Europe/London ("" clears it).',
        )
        parser.add_argument(
            "--licence",
            default=None,
            help='Licence of its own records, e.g. CC-BY-4.0 or OGL-UK-3.0 ("" clears it).',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from commonbeat.core.models import Agency

        identifier = options["identifier"].strip()
        changes = {
            k: options[k] for k in ("name", "time_zone", "licence") if options[k] is not None
        }
        if not identifier:
            if changes:
                raise CommandError(
                    "Name the agency to change first, for example: "
                    "commonbeat agency metro-police --time-zone America/Chicago"
                )
            self._list(Agency.objects.order_by("slug"))
            return
        if identifier != slugify(identifier):
            raise CommandError(
                f"The identifier {identifier!r} must be lower-case letters, digits and hyphens, "
                f"for example {slugify(identifier) or 'metro-police'!r}."
            )
        try:
            with audit.acting_as("command:agency"):
                agency, created = save_agency(identifier, **changes)
        except AgencyError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Created" if created else ("Updated" if changes else "Unchanged:")
        self.stdout.write(self.style.SUCCESS(f"{verb} agency {agency.slug}."))
        self._list([agency])

    def _list(self, agencies: Any) -> None:
        rows = [
            (a.slug, a.name, a.time_zone or "(not known)", a.licence or "(not set)")
            for a in agencies
        ]
        if not rows:
            self.stdout.write(
                'No agencies yet. Add one: commonbeat agency metro-police --name "Metro Police" '
                "--time-zone America/Chicago --licence CC-BY-4.0"
            )
            return
        header = ("identifier", "name", "time zone", "licence")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )

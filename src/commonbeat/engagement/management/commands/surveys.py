"""`commonbeat surveys population FILE --agency X`, `surveys invite WAVE --count N`,
`surveys publish WAVE`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from commonbeat.core import csvsafe
from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.instrument import create_standard
from commonbeat.engagement.surveys.models import Wave


class Command(BaseCommand):
    help = (
        "Surveys: `population FILE --agency SLUG` replaces the agency's resident counts "
        "(CSV: neighbourhood,dimension,group,residents) that results are weighted to; "
        "`invite WAVE --count N [--neighbourhood SLUG]` prints N one-time links as CSV; "
        "`standard --agency SLUG` makes the standard trust and safety questionnaire; "
        "`publish WAVE` computes and publishes a closed wave's results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        population = sub.add_parser("population", help="Load resident counts for weighting.")
        population.add_argument("file", type=Path)
        population.add_argument("--agency", required=True, help="The agency's slug.")
        population.add_argument("--source", help="Where the counts come from (e.g. ACS 2024).")
        invite = sub.add_parser("invite", help="Print one-time survey links as CSV.")
        invite.add_argument("wave", type=int, help="The wave's number (id).")
        invite.add_argument("--count", type=int, required=True)
        invite.add_argument("--neighbourhood", help="The neighbourhood the links are sent to.")
        standard = sub.add_parser("standard", help="Make the standard trust and safety survey.")
        standard.add_argument("--agency", required=True, help="The agency's slug.")
        publish = sub.add_parser("publish", help="Publish a closed wave's results.")
        publish.add_argument("wave", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as("command:surveys"):
            getattr(self, f"_{options['action']}")(options)

    def _agency(self, slug: str) -> Agency:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"No agency {slug!r}; `commonbeat agency list` shows them.")
        return agency

    def _standard(self, options: dict[str, Any]) -> None:
        survey = create_standard(self._agency(options["agency"]))
        self.stdout.write(
            f"Made survey {survey.pk}: {survey.title}. Add a wave in the back office."
        )

    def _population(self, options: dict[str, Any]) -> None:
        agency = self._agency(options["agency"])
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read it as UTF-8 text ({error}).") from None
        try:
            loaded = services.load_population(
                agency, text, options.get("source") or path.name, name=str(path)
            )
        except services.PopulationFileError as error:
            raise CommandError("Nothing loaded:\n" + "\n".join(error.problems)) from None
        self.stdout.write(f"Loaded {loaded} population counts for {agency.slug}.")

    def _wave(self, pk: int) -> Wave:
        wave = Wave.objects.select_related("survey").filter(pk=pk).first()
        if wave is None:
            raise CommandError(f"No survey wave {pk}.")
        return wave

    def _invite(self, options: dict[str, Any]) -> None:
        wave = self._wave(options["wave"])
        place = None
        if options.get("neighbourhood"):
            place = Neighbourhood.objects.filter(
                agency=wave.survey.agency_id, slug=options["neighbourhood"]
            ).first()
            if place is None:
                raise CommandError(f"No neighbourhood {options['neighbourhood']!r} here.")
        try:
            tokens = services.invite(wave, options["count"], place)
        except services.SurveyRefused as refused:
            raise CommandError(str(refused)) from None
        out = csvsafe.writer(sys.stdout)
        out.writerow(["wave", "neighbourhood", "link"])
        for token in tokens:
            path = reverse("engagement:survey_invited", args=[token])
            out.writerow([wave.pk, place.slug if place else "", f"{settings.SITE_URL}{path}"])

    def _publish(self, options: dict[str, Any]) -> None:
        wave = self._wave(options["wave"])
        try:
            services.publish_results(wave, None)
        except services.SurveyRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Published {wave}.")

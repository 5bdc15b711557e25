"""Engagement's demo data: past listening sessions with minutes and concerns, the priorities
they became (one with a planted effect its measure recovers), and upcoming meetings."""

from __future__ import annotations

from django.db import transaction

from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency
from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.demo.engagement.plan import load_concerns, load_engagement, remove_engagement
from commonbeat.demo.engagement.surveys import load_surveys
from commonbeat.demo.generators import DemoRun, generator


@generator("engagement", order=35)
def engagement(run: DemoRun) -> None:
    """Hold the demo city's meetings and set its neighbourhood priorities."""
    agency = Agency.objects.get(slug=AGENCY_SLUG)
    run.say("Holding meetings and setting neighbourhood priorities…")
    with acting_as("command:demo"), transaction.atomic():
        remove_engagement(agency)
        counts = load_engagement(agency, run.city())
        counts["concerns"] = load_concerns(agency)
        # Apart from load_engagement, which tests use often: surveys take a few seconds.
        counts.update(load_surveys(agency, run.city()))
    run.say(
        f"Engagement ready: {counts['events']} events, {counts['registrations']} registrations, "
        f"{counts['priorities']} priorities, {counts['concerns']} residents' concerns, "
        f"{counts['programmes']} volunteer programmes with {counts['volunteers']} volunteers, "
        f"a survey with {counts['survey_responses']} responses in two published waves.",
        "success",
    )

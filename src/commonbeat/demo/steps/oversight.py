"""Oversight's demo data: a year of complaints and commendations, each taken as far as planned
through the real case workflow (demo/oversight/)."""

from __future__ import annotations

from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency
from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.demo.generators import DemoRun, generator
from commonbeat.demo.oversight.cases import load_cases, plan_cases, remove_cases, staff_accounts


@generator("oversight", order=30)
def oversight(run: DemoRun) -> None:
    """File the demo city's reports and move each case through its stages."""
    agency = Agency.objects.get(slug=AGENCY_SLUG)
    staff = staff_accounts()
    if staff is None:
        run.say("No complaints filed: the cases need the demo's staff (--accounts yes).")
        return
    planned = plan_cases(run.city(), run.seed)
    run.say(f"Filing {len(planned)} complaints and commendations and working their cases…")
    with acting_as("command:demo"):
        remove_cases(agency)
        counts = load_cases(agency, planned, staff)
    stages = ", ".join(f"{stage} {count}" for stage, count in sorted(counts.items()))
    run.say(f"Cases ready by stage: {stages}.", "success")
    # The release carries the cases' statistics; it is published when the records are there.

"""The city itself: agency, neighbourhoods, officers, teams and demo accounts (core's models)."""

from __future__ import annotations

from django.db import transaction

from commonbeat.core.audit import acting_as
from commonbeat.demo.city import AGENCY_SLUG, build_city
from commonbeat.demo.generators import DemoRun, generator
from commonbeat.demo.load import DEMO_ACCOUNTS, load_city, remove_city

# Printed for whoever runs the demo; demo accounts are only made on request (--accounts yes).
DEMO_PASSWORD = "commonbeat-demo"  # noqa: S105


@generator("city", order=10)
def city(run: DemoRun) -> None:
    """Plan the city from the seed and write it to the database, replacing the old one."""
    options = run.options
    accounts = options["accounts"] == "yes"
    run.say(f"Planning the city from seed {run.seed}…")
    run.plan = build_city(seed=run.seed)
    run.say("Writing it to the database (every record is audit-logged)…")
    with acting_as("command:demo"), transaction.atomic():
        remove_city(AGENCY_SLUG)
        summary = load_city(run.plan, password=DEMO_PASSWORD if accounts else None)
    run.say(
        f"Demo city ready: 1 agency, {summary.neighbourhoods} neighbourhoods, "
        f"{summary.officers} officers, {summary.assignments} assignments, "
        f"{summary.team_members} team members, {summary.accounts} accounts.",
        "success",
    )
    if summary.accounts:
        names = ", ".join(username for username, _ in DEMO_ACCOUNTS)
        run.say(f"Demo accounts ({names}) all use the password {DEMO_PASSWORD!r}.")

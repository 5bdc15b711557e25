"""Write a planned demo city into the database, through the ORM so the audit log sees it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from commonbeat.core.models import (
    Agency,
    Assignment,
    EngagementMethod,
    Neighbourhood,
    NeighbourhoodLocation,
    Officer,
    TeamMembership,
    User,
)
from commonbeat.core.roles import Role
from commonbeat.demo.city import CityPlan
from commonbeat.demo.languages import in_languages

# Demo accounts, one per role. The password is printed by `commonbeat demo`; it is for the
# demo city only, and the command creates these accounts only when asked (--accounts yes).
DEMO_ACCOUNTS = [
    ("resident", Role.RESIDENT),
    ("officer", Role.OFFICER),
    ("supervisor", Role.SUPERVISOR),
    ("investigator", Role.INVESTIGATOR),
    ("board", Role.BOARD_MEMBER),
    ("analyst", Role.ANALYST),
    ("admin", Role.ADMINISTRATOR),
]


@dataclass(frozen=True)
class LoadSummary:
    neighbourhoods: int
    officers: int
    assignments: int
    team_members: int
    accounts: int


def remove_city(slug: str) -> None:
    """Delete a demo agency and everything hanging off it (each deletion is audited)."""
    agency = Agency.objects.filter(slug=slug, synthetic=True).first()
    if agency is None:
        return
    # Cases name the agency and its officers: they go first (demo/oversight/).
    from commonbeat.demo.oversight.cases import remove_cases

    remove_cases(agency)
    from commonbeat.demo.engagement.plan import remove_engagement

    remove_engagement(agency)
    for officer in agency.officers.all():
        User.objects.filter(officer=officer).delete()
        officer.delete()
    for neighbourhood in agency.neighbourhoods.all():
        neighbourhood.delete()
    agency.delete()


@transaction.atomic
def load_city(plan: CityPlan, password: str | None = None) -> LoadSummary:
    """Create the planned city; with a password, also one demo account per role."""
    agency_fields = {k: v for k, v in plan.agency.items() if k != "description"}
    agency = Agency.objects.create(
        **agency_fields, **in_languages("description", plan.agency["description"])
    )
    for order, method in enumerate(plan.engagement_methods):
        EngagementMethod.objects.create(
            agency=agency,
            order=order,
            type=method["type"],
            url=method["url"],
            **in_languages("title", method["title"]),
            **in_languages("description", method["description"]),
        )

    neighbourhoods = {}
    for planned in plan.neighbourhoods:
        neighbourhood = Neighbourhood.objects.create(
            agency=agency,
            slug=planned.slug,
            name=planned.name,
            **in_languages("description", planned.description),
            population=planned.population,
            centre_latitude=f"{planned.centre[0]:.6f}",
            centre_longitude=f"{planned.centre[1]:.6f}",
            boundary=planned.boundary,
            contact_details=planned.contact_details,
        )
        for location in planned.locations:
            NeighbourhoodLocation.objects.create(
                neighbourhood=neighbourhood,
                type=location.type,
                **in_languages("name", location.name),
                **in_languages("description", location.description),
                address=location.address,
                postcode=location.postcode,
                latitude=f"{location.latitude:.6f}",
                longitude=f"{location.longitude:.6f}",
            )
        neighbourhoods[planned.slug] = neighbourhood

    officers = {}
    assignments = 0
    for planned_officer in plan.officers:
        officer = Officer.objects.create(
            agency=agency,
            uid=planned_officer.uid,
            first_name=planned_officer.first_name,
            middle_initial=planned_officer.middle_initial,
            last_name=planned_officer.last_name,
            gender=planned_officer.gender,
            race=planned_officer.race,
            birth_year=planned_officer.birth_year,
            employment_date=planned_officer.employment_date,
            separation_date=planned_officer.separation_date,
            status=planned_officer.status,
        )
        for planned_assignment in planned_officer.assignments:
            Assignment.objects.create(
                officer=officer,
                badge_number=planned_assignment.badge_number,
                rank=planned_assignment.rank,
                unit=planned_assignment.unit,
                shift=planned_assignment.shift,
                neighbourhood=neighbourhoods.get(planned_assignment.neighbourhood or ""),
                start_date=planned_assignment.start_date,
                end_date=planned_assignment.end_date,
            )
            assignments += 1
        officers[planned_officer.uid] = officer

    team_members = 0
    first_team_officer = None
    for planned in plan.neighbourhoods:
        for member in planned.team:
            TeamMembership.objects.create(
                neighbourhood=neighbourhoods[planned.slug],
                officer=officers[member.officer_uid],
                **in_languages("role", member.role),
                **in_languages("bio", member.bio),
                order=member.order,
                start_date=member.start_date,
            )
            team_members += 1
            first_team_officer = first_team_officer or officers[member.officer_uid]

    accounts = 0
    if password is not None:
        for username, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role, user.first_name = role, username.capitalize()
            if role == Role.OFFICER:
                user.officer = first_team_officer
            user.set_password(password)
            user.save()
            accounts += 1
    return LoadSummary(len(neighbourhoods), len(officers), assignments, team_members, accounts)

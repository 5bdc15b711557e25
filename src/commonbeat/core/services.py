"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction

from commonbeat.core import licences
from commonbeat.core.models import Agency, TeamMembership


class AgencyError(ValueError):
    """An agency's details cannot be saved; the message says which and gives a good value."""


@transaction.atomic
def update_team_bio(membership: TeamMembership, bio: str) -> TeamMembership:
    """Save a team member's public bio (the audit log records the change)."""
    membership.bio = bio.strip()
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["bio"])
    return membership


def check_time_zone(name: str) -> str:
    """Return `name` if it is an IANA time zone (or blank: not known); else raise AgencyError."""
    name = name.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AgencyError(
            f"--time-zone {name!r} is not an IANA time zone name; "
            "write one such as America/Chicago, Europe/London or Asia/Kolkata."
        ) from None
    return name


def check_licence(text: str) -> str:
    """Return the SPDX id of a known licence `text` names (or blank); else raise AgencyError."""
    text = text.strip()
    if not text:
        return ""
    found = licences.lookup(text)
    if found is None:
        raise AgencyError(
            f"--licence {text!r} is not a licence Commonbeat knows; write its id, for example "
            f"CC-BY-4.0 (known: {licences.choices()})."
        )
    return found.id


@transaction.atomic
def save_agency(
    slug: str,
    *,
    name: str | None = None,
    time_zone: str | None = None,
    licence: str | None = None,
) -> tuple[Agency, bool]:
    """Create or update an agency; return it and whether it was created."""
    changes: dict[str, str] = {}
    if name is not None:
        if not name.strip():
            raise AgencyError('--name cannot be blank; write the name, for example "Metro Police".')
        changes["name"] = name.strip()
    if time_zone is not None:
        changes["time_zone"] = check_time_zone(time_zone)
    if licence is not None:
        changes["licence"] = check_licence(licence)
    agency = Agency.objects.select_for_update().filter(slug=slug).first()
    created = agency is None
    if agency is None:
        if "name" not in changes:
            raise AgencyError(
                f"There is no agency {slug!r} yet: give its name to create it, for example "
                f'commonbeat agency {slug} --name "Metro Police" --time-zone America/Chicago.'
            )
        agency = Agency(slug=slug)
    changed = [field for field, value in changes.items() if getattr(agency, field) != value]
    for field in changed:
        setattr(agency, field, changes[field])
    if created or changed:
        agency.full_clean()
        agency.save()
    return agency, created

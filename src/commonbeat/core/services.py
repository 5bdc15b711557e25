"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction

from commonbeat.core import address_search, audit, licences
from commonbeat.core.addresses import postcode_key, read_address_file, street_key
from commonbeat.core.geo import line_shape
from commonbeat.core.models import AddressPoint, Agency, Neighbourhood, Street, TeamMembership, User
from commonbeat.core.places import neighbourhood_index


class AgencyError(ValueError):
    """An agency's details cannot be saved; the message says which and gives a good value."""


@transaction.atomic
def update_team_bio(membership: TeamMembership, bios: Mapping[str, str]) -> TeamMembership:
    """Save a team member's public bio, one text per language code (the audit log records it)."""
    fields = []
    for code, text in bios.items():
        setattr(membership, f"bio_{code}", text.strip())
        fields.append(f"bio_{code}")
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=fields)
    return membership


@transaction.atomic
def choose_neighbourhood(user: User, neighbourhood: Neighbourhood | None) -> User:
    """Set (or clear) the user's neighbourhood (the audit log records the change)."""
    user.neighbourhood = neighbourhood
    user.save(update_fields=["neighbourhood"])
    return user


@transaction.atomic
def choose_language(user: User, language: str) -> User:
    """Set the user's language, a code from LANGUAGES or "" to follow the address (audited)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of LANGUAGES")
    user.language = language
    user.save(update_fields=["language"])
    return user


def forget_deleted_neighbourhood(sender: object, instance: Neighbourhood, **kwargs: object) -> None:
    """Clear a neighbourhood from its residents' accounts one by one before it is deleted.

    The foreign key's SET_NULL would do it with one UPDATE, which the audit log never sees.
    """
    for user in User.objects.filter(neighbourhood=instance):
        choose_neighbourhood(user, None)


@dataclass(frozen=True)
class AddressLoad:
    source: str
    loaded: int
    replaced: int
    outside: int  # points that fall in no neighbourhood


def load_addresses(
    path: Path, agency: Agency, *, file_format: str = "openaddresses", source: str | None = None
) -> AddressLoad:
    """Replace the agency's address points from this source with the file's, atomically.

    The source (the file's name unless given) is what makes a reload idempotent: loading the
    same file again replaces its points, while another file of the same agency stays.
    """
    rows = read_address_file(path, file_format)
    source = source or path.name
    index = neighbourhood_index()
    points = []
    outside = 0
    for row in rows:
        located = index.locate(float(row.latitude), float(row.longitude))
        outside += located is None
        points.append(
            AddressPoint(
                agency=agency,
                source=source,
                line=row.line,
                number=row.number,
                street=row.street,
                unit=row.unit,
                locality=row.locality,
                postcode=row.postcode,
                latitude=row.latitude,
                longitude=row.longitude,
                street_key=street_key(row.street),
                postcode_key=postcode_key(row.postcode),
                neighbourhood_id=located.neighbourhood_id if located else None,
            )
        )
    with transaction.atomic():
        old = AddressPoint.objects.filter(agency=agency, source=source)
        replaced = old.count()
        old.delete()
        # Bulk writes skip the per-row audit signals (AddressPoint is not audited row by row);
        # one entry records the load instead.
        AddressPoint.objects.bulk_create(points, batch_size=2000)
        audit.append(
            "load",
            agency,
            {"address_points": [replaced, len(points)], "address_source": [source, source]},
        )
        transaction.on_commit(address_search.forget)
    address_search.forget()
    return AddressLoad(source, len(points), replaced, outside)


def clear_addresses(agency: Agency, source: str | None = None) -> int:
    """Delete the agency's address points (from one source, if given); return how many."""
    with transaction.atomic():
        points = AddressPoint.objects.filter(agency=agency)
        if source:
            points = points.filter(source=source)
        removed = points.count()
        points.delete()
        audit.append(
            "clear", agency, {"address_points": [removed, 0], "address_source": [source, source]}
        )
    address_search.forget()
    return removed


def replace_streets(agency: Agency, streets: list[tuple[str, dict[str, Any]]], source: str) -> int:
    """Replace the agency's streets from this source; each is (name, GeoJSON line)."""
    for name, geometry in streets:
        line_shape(geometry, name)
    with transaction.atomic():
        Street.objects.filter(agency=agency, source=source).delete()
        Street.objects.bulk_create(
            Street(agency=agency, name=name, geometry=geometry, source=source)
            for name, geometry in streets
        )
        audit.append(
            "load", agency, {"streets": [None, len(streets)], "street_source": [source, source]}
        )
    return len(streets)


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

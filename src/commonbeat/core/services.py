"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from commonbeat.core import address_search, audit
from commonbeat.core.addresses import postcode_key, read_address_file, street_key
from commonbeat.core.geo import line_shape
from commonbeat.core.models import AddressPoint, Agency, Neighbourhood, Street, TeamMembership, User
from commonbeat.core.places import neighbourhood_index


@transaction.atomic
def update_team_bio(membership: TeamMembership, bio: str) -> TeamMembership:
    """Save a team member's public bio (the audit log records the change)."""
    membership.bio = bio.strip()
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["bio"])
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

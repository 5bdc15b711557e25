"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from commonbeat.core.models import TeamMembership


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

"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from django.db import transaction

from commonbeat.core.models import TeamMembership


@transaction.atomic
def update_team_bio(membership: TeamMembership, bio: str) -> TeamMembership:
    """Save a team member's public bio (the audit log records the change)."""
    membership.bio = bio.strip()
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["bio"])
    return membership

"""Operations that change places, people and accounts; views, API and commands call these."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from commonbeat.core.models import Neighbourhood, TeamMembership, User


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

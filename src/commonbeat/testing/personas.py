"""Test personas: anonymous plus one user per role (healthchecks' pattern, docs/patterns.md)."""

from __future__ import annotations

from commonbeat.core.models import Officer, User
from commonbeat.core.roles import Role

ANONYMOUS = "anonymous"
PERSONAS = [ANONYMOUS, *Role.values]


def make_persona(role: str, officer: Officer | None = None) -> User:
    """Return a saved user holding the role (no password: tests log in with force_login)."""
    user = User(username=f"{role}-persona", role=role, officer=officer)
    user.set_unusable_password()
    user.save()
    return user

"""The roles a person can hold. Who may do what is written once, in policy.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    INVESTIGATOR = "investigator", _("Investigator (internal affairs)")
    BOARD_MEMBER = "board_member", _("Oversight board member")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Everyone who works for the department or the oversight body, as opposed to the public.
STAFF_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.SUPERVISOR,
        Role.INVESTIGATOR,
        Role.BOARD_MEMBER,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    }
)

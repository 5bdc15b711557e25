"""What a user sees of a case: decided here, once, for pages, twins and exports alike.

`access(user, case)` returns an `Access` (how much of this case the user sees);
`visible_cases(user)` is the same rule as a query, for lists. They agree by construction and a
test walks every role through both (tests/test_cases_confidentiality.py).

- The complainant's identity (name, e-mail, telephone, address), the witnesses and the
  attachments: intake (an INVESTIGATOR while the case is received or in intake review and no
  investigator is assigned) and the assigned investigator only. Not administrators, not the
  board, not supervisors.
- Investigators see other cases as the board does (redacted).
- Board members and administrators: every case, redacted (no identity, no witnesses, no
  attachments; the narrative with the complainant's and witnesses' names and any e-mail
  address or telephone number replaced by "[removed]").
- Supervisors: their unit's queue only (`Complaint.unit` equal to the unit of the
  supervisor's officer's current assignment): stage, dates, category, allegations and findings,
  no narrative.
- Residents: the status of the cases they filed themselves (`filed_by`), nothing else.
- Officers: nothing. An accused officer is told by e-mail as OVERSIGHT_OFFICER_NOTICES says,
  but sees no case page, so never the complainant nor other cases against them. Whoever's
  officer record is accused on a case sees nothing of that case, whatever their role.
- Analysts and anonymous visitors: nothing (the public reads aggregates through releases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.db.models import Q, QuerySet

from commonbeat.core.roles import Role
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer
from commonbeat.oversight.cases.workflow import Stage

REMOVED = "[removed]"
INTAKE_STAGES = (Stage.RECEIVED, Stage.INTAKE_REVIEW)


class Level(IntEnum):
    NONE = 0  # not even that the case exists
    STATUS = 1  # reference, kind, stage and its dates
    QUEUE = 2  # and category, unit, deadline, allegations and findings, the timeline
    REDACTED = 3  # and the narrative with names removed, the officers involved
    FULL = 4  # and the complainant's identity, the witnesses, the attachments


@dataclass(frozen=True)
class Access:
    level: Level

    @property
    def exists(self) -> bool:
        return self.level >= Level.STATUS

    @property
    def details(self) -> bool:
        return self.level >= Level.QUEUE

    @property
    def narrative(self) -> bool:
        return self.level >= Level.REDACTED

    @property
    def identity(self) -> bool:
        return self.level >= Level.FULL

    # Attachments and witnesses follow the identity rule.
    attachments = identity
    witnesses = identity


NOTHING = Access(Level.NONE)


def supervisor_unit(user: Any) -> str | None:
    """The unit of the supervisor's officer's current assignment, if any."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return None
    assignment = officer.current_assignment
    return assignment.unit if assignment and assignment.unit else None


def _accused_case_ids(user: Any) -> Any:
    return InvolvedOfficer.objects.filter(
        officer_id=user.officer_id, role=InvolvedOfficer.Role.ACCUSED
    ).values("complaint_id")


def _is_intake(user: Any, case: Complaint) -> bool:
    return case.stage in INTAKE_STAGES and case.investigator_id is None


def access(user: Any, case: Complaint) -> Access:
    """Return how much of the case the user sees."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if (
        user.officer_id is not None
        and case.officers.filter(
            officer_id=user.officer_id, role=InvolvedOfficer.Role.ACCUSED
        ).exists()
    ):
        return NOTHING
    role = user.role
    if role == Role.INVESTIGATOR:
        if case.investigator_id == user.pk or _is_intake(user, case):
            return Access(Level.FULL)
        return Access(Level.REDACTED)
    if role in (Role.BOARD_MEMBER, Role.ADMINISTRATOR):
        return Access(Level.REDACTED)
    if role == Role.SUPERVISOR:
        unit = supervisor_unit(user)
        if unit and case.unit == unit:
            return Access(Level.QUEUE)
        return NOTHING
    if role == Role.RESIDENT and case.filed_by_id == user.pk:
        return Access(Level.STATUS)
    return NOTHING


def visible_cases(user: Any) -> QuerySet[Complaint]:
    """Every case the user sees at least the status of (the same rule as `access`)."""
    cases = Complaint.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.officer_id is not None:
        cases = cases.exclude(pk__in=_accused_case_ids(user))
    role = user.role
    if role in (Role.INVESTIGATOR, Role.BOARD_MEMBER, Role.ADMINISTRATOR):
        return cases
    if role == Role.SUPERVISOR:
        unit = supervisor_unit(user)
        return cases.filter(unit=unit) if unit else cases.none()
    if role == Role.RESIDENT:
        return cases.filter(filed_by_id=user.pk)
    return cases.none()


def identity_visible_q(user: Any) -> Q:
    """The cases among `visible_cases(user)` whose identity the user sees (for lists)."""
    if getattr(user, "role", None) != Role.INVESTIGATOR:
        return Q(pk__in=[])
    return Q(investigator_id=user.pk) | Q(stage__in=INTAKE_STAGES, investigator__isnull=True)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")


def redact(case: Complaint, text: str) -> str:
    """The text with the complainant's and witnesses' names, e-mail addresses and telephone
    numbers replaced by "[removed]"."""
    people = [case.complainant_name]
    whole = [case.complainant_email, case.complainant_phone, case.complainant_address]
    for witness in case.witnesses.all():
        people.append(witness.name)
        whole.append(witness.contact)
    for value in sorted({v.strip() for v in people + whole if v and v.strip()}, key=len)[::-1]:
        text = re.sub(re.escape(value), REMOVED, text, flags=re.IGNORECASE)
    # Each part of a person's name on its own ("Maria" of "Maria Lopez").
    parts = {part for name in people if name for part in name.split() if len(part) > 2}
    for part in sorted(parts, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(part)}\b", REMOVED, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(REMOVED, text)
    return _PHONE.sub(REMOVED, text)


def narrative_for(user: Any, case: Complaint) -> str | None:
    """The narrative as this user may read it: whole, redacted, or not at all."""
    seen = access(user, case)
    if seen.identity:
        return case.narrative
    if seen.narrative:
        return redact(case, case.narrative)
    return None

"""The cases area's actions in the permission policy (gathered by oversight/permissions.py).

Who sees what of a case (the complainant's identity above all) is decided in one place,
`cases/confidentiality.py`; these actions say who may open the staff pages and who may make
each move. The transitions' own permissions (`cases/workflow.py`) ask these actions.
"""

from __future__ import annotations

from typing import Any

from commonbeat.core.policy import Holders, ObjectRule
from commonbeat.core.roles import Role

# Everyone whose work is the case queue: intake and investigators, supervisors (their unit's
# queue), the civilian board (redacted files) and administrators (redacted files).
_CASE_READERS = frozenset(
    {Role.INVESTIGATOR, Role.SUPERVISOR, Role.BOARD_MEMBER, Role.ADMINISTRATOR}
)

RULES: dict[str, Holders] = {
    "case.list": _CASE_READERS,
    "case.view": _CASE_READERS,
    # Intake: jurisdiction, category, mediation, closing at intake.
    "case.triage": frozenset({Role.INVESTIGATOR}),
    # Choosing the investigator (an intake investigator or the oversight administrator).
    "case.assign": frozenset({Role.INVESTIGATOR, Role.ADMINISTRATOR}),
    # Allegations and the investigator's findings: the assigned investigator only (object rule).
    "case.investigate": frozenset(),
    # The board's recommended findings.
    "case.board_review": frozenset({Role.BOARD_MEMBER}),
    # The final decision: the chief's, recorded by an administrator acting for the chief.
    "case.decide": frozenset({Role.ADMINISTRATOR}),
    # More time in a stage, with reasons: supervisors, administrators, the assigned investigator.
    "case.extend": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # Appeals and reopening, with reasons.
    "case.reopen": frozenset({Role.ADMINISTRATOR}),
    # The back office's stage deadlines table.
    "stagedeadline.view": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "stagedeadline.add": frozenset({Role.ADMINISTRATOR}),
    "stagedeadline.change": frozenset({Role.ADMINISTRATOR}),
    "stagedeadline.delete": frozenset({Role.ADMINISTRATOR}),
}


def _assigned_investigator(user: Any, case: Any) -> bool:
    complaint = getattr(case, "complaint", case)  # a case, or one of its allegations
    return bool(
        user.role == Role.INVESTIGATOR and getattr(complaint, "investigator_id", None) == user.pk
    )


OBJECT_RULES: dict[str, ObjectRule] = {
    "case.investigate": _assigned_investigator,
    "case.extend": _assigned_investigator,
}

"""The intake area's actions in the permission policy (gathered by oversight/permissions.py)."""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders, ObjectRule
from commonbeat.core.roles import Role

RULES: dict[str, Holders] = {
    # Anyone may report, signed in or not, and follow a report with its receipt.
    "complaint.file": PUBLIC,
    "complaint.track": PUBLIC,
    # A report's files follow the complainant's identity (cases/confidentiality.py): intake
    # and the assigned investigator; the view asks `access()` for the case itself.
    "attachment.download": frozenset({Role.INVESTIGATOR}),
}
OBJECT_RULES: dict[str, ObjectRule] = {}

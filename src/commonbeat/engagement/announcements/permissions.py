"""The announcements area's actions (gathered by engagement/permissions.py).

The public reads published announcements and incidents through `engagement.view`. Officers,
supervisors and administrators write announcements, run incident pages and post updates and
corrections; only administrators delete (a public update is never deleted: see models.py).
"""

from __future__ import annotations

from commonbeat.core.policy import Holders, ObjectRule
from commonbeat.core.roles import Role

STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    f"{model}.{verb}": ADMINISTRATORS if verb == "delete" else STAFF
    for model in ("announcement", "criticalincident", "incidentupdate", "incidentlink")
    for verb in ("view", "add", "change", "delete")
}
OBJECT_RULES: dict[str, ObjectRule] = {}

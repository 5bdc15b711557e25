"""The volunteers area's actions (gathered by engagement/permissions.py).

Anyone reads programmes and signs up; a volunteer manages their sign-up through their own link
(the view checks it). Neighbourhood officers, supervisors and administrators run programmes,
volunteers and their hours in the back office. Screening outcomes (background checks) are
for supervisors and administrators only: `volunteer.screen` decides whether the back office
shows, filters or sets them.
"""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders, ObjectRule
from commonbeat.core.roles import Role

VOLUNTEER_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
SCREENERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    "volunteer.sign_up": PUBLIC,
    "volunteer.manage": PUBLIC,
    # The back office.
    "programme.view": VOLUNTEER_STAFF,
    "programme.add": VOLUNTEER_STAFF,
    "programme.change": VOLUNTEER_STAFF,
    "programme.delete": ADMINISTRATORS,
    "programmerole.view": VOLUNTEER_STAFF,
    "programmerole.add": VOLUNTEER_STAFF,
    "programmerole.change": VOLUNTEER_STAFF,
    "programmerole.delete": ADMINISTRATORS,
    "volunteer.view": VOLUNTEER_STAFF,
    # People sign themselves up (staff may fill the public form for someone), so the
    # confirmation, the link and the duplicate check always apply.
    "volunteer.add": frozenset(),
    "volunteer.change": VOLUNTEER_STAFF,
    "volunteer.delete": ADMINISTRATORS,
    "volunteer.screen": SCREENERS,
    "hoursserved.view": VOLUNTEER_STAFF,
    "hoursserved.add": VOLUNTEER_STAFF,
    "hoursserved.change": VOLUNTEER_STAFF,
    "hoursserved.delete": SCREENERS,
}
OBJECT_RULES: dict[str, ObjectRule] = {}

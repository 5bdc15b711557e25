"""The profiles area's actions in the permission policy (gathered by oversight/permissions.py).

Profiles are public pages read from the release, like the dashboards: everyone may read them,
anonymous visitors included, whenever the deployment's OFFICER_PROFILES policy publishes them.
"""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders, ObjectRule

RULES: dict[str, Holders] = {
    "profile.view": PUBLIC,
}
OBJECT_RULES: dict[str, ObjectRule] = {}

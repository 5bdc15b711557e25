"""A registrant's own page: the link that lets them see, cancel and comment without an account
(engagement/links.py)."""

from __future__ import annotations

from commonbeat.engagement.links import OwnLink

LINK = OwnLink("commonbeat.engagement.registration", "engagement:registration")
secret, matches, path = LINK.secret, LINK.matches, LINK.path

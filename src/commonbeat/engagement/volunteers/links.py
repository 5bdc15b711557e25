"""A volunteer's own page: the link that lets them see their sign-up and withdraw without an
account (engagement/links.py, under its own salt)."""

from __future__ import annotations

from commonbeat.engagement.links import OwnLink

LINK = OwnLink("commonbeat.engagement.volunteer", "engagement:volunteer")
secret, matches, path = LINK.secret, LINK.matches, LINK.path

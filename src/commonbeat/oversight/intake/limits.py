"""Per-client limits on filing and on status look-ups (core/limits.py counts them).

Nothing else stands in the way of a report: no third-party CAPTCHA, no account needed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from commonbeat.core import limits

# Status look-ups are cheaper and people retry them: three times the filing limit.
KINDS = {"file": 1, "status": 3}


def check(request: HttpRequest, kind: str) -> int | None:
    """Count this request; return None if it may go ahead, else the seconds to wait."""
    return limits.hourly(request, f"intake-{kind}", settings.INTAKE_RATE_PER_HOUR * KINDS[kind])

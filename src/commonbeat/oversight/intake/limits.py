"""Per-client limits on filing and on status look-ups: enough for any person, not for a flood.

A fixed hourly window per client address, counted with the cache's atomic `add` and `incr`
(shared by every server process when CACHE_URL points at Redis). Nothing else stands in the
way of a report: no third-party CAPTCHA, no account needed.
"""

from __future__ import annotations

import math
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600
clock = time.time  # the tests move it
# Status look-ups are cheaper and people retry them: three times the filing limit.
KINDS = {"file": 1, "status": 3}


def client_address(request: HttpRequest) -> str:
    """The client's address behind PROXY_COUNT trusted proxies (as login throttling reads it)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def check(request: HttpRequest, kind: str) -> int | None:
    """Count this request; return None if it may go ahead, else the seconds to wait."""
    per_hour = settings.INTAKE_RATE_PER_HOUR * KINDS[kind]
    if per_hour <= 0:
        return None
    now = clock()
    window = math.floor(now / WINDOW_SECONDS)
    key = f"intake-rate:{kind}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    if count <= per_hour:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))

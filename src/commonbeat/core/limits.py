"""Per-client hourly limits on public forms: enough for any person, not for a flood.

A fixed hourly window per client address, counted with the cache's atomic `add` and `incr`
(shared by every server process when CACHE_URL points at Redis). Intake's filing and status
look-ups and engagement's registrations count here, each under its own name.
"""

from __future__ import annotations

import math
import time

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 3600
clock = time.time  # the tests move it


def client_address(request: HttpRequest) -> str:
    """The client's address behind PROXY_COUNT trusted proxies (as login throttling reads it)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def hourly(request: HttpRequest, name: str, per_hour: int) -> int | None:
    """Count this request under `name`; return None if it may go ahead, else the seconds to
    wait. A limit of 0 or less is off."""
    if per_hour <= 0:
        return None
    now = clock()
    window = math.floor(now / WINDOW_SECONDS)
    key = f"rate:{name}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    if count <= per_hour:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def too_many(request: HttpRequest, message: str, wait: int) -> HttpResponse:
    """The page a person meets past a limit: 429, the message, and when to try again."""
    response = render(request, "core/busy.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response

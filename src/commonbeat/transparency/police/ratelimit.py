"""Per-client rate limit for the API: API_RATE_PER_SECOND on average, bursts of API_RATE_BURST.

data.police.uk allows 15 requests a second with bursts of 30 (a leaky bucket) and then answers
429. A true token bucket needs an atomic read-modify-write of (tokens, time), which Django's
cache API cannot do across processes without a lock or a Lua script. So we use the
sliding-window counter that approximates it with only atomic operations every cache backend
offers (`add` and `incr`, atomic in Redis and in the in-process cache):

- time is cut into windows of BURST / RATE seconds (2 s by default), each with a counter;
- a request counts itself in the current window, and is refused when the current window
  holds more than BURST, or the current count plus the previous window's count, weighted by
  how much of the previous window still overlaps the last BURST / RATE seconds, exceeds
  BURST (plus one, for the fencepost at the window's edge).

A client sending steadily at RATE stays under the limit; a burst of BURST goes through at
once; anything faster is refused with Retry-After saying when the window rolls over. Counters
expire on their own after two windows. Several server processes share the counts when
CACHE_URL points at Redis; with the default in-process cache each process counts alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from commonbeat.core.limits import client_address

PREFIX = "police-api-rate"
clock = time.time  # the tests hold it still


def _count(key: str, window_seconds: float) -> int:
    timeout = math.ceil(window_seconds * 2) + 1
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this request starts a new count
        cache.add(key, 1, timeout=timeout)
        return 1


def check(request: HttpRequest, now: float | None = None) -> float | None:
    """Count the request; return None if it may go ahead, else the seconds to wait."""
    rate = settings.API_RATE_PER_SECOND
    if rate <= 0:
        return None
    burst = settings.API_RATE_BURST
    window = burst / rate
    now = clock() if now is None else now
    index = math.floor(now / window)
    client = client_address(request)
    current = _count(f"{PREFIX}:{client}:{index}", window)
    previous = cache.get(f"{PREFIX}:{client}:{index - 1}", 0)
    elapsed = now / window - index  # how far into the current window, 0..1
    estimate = current + previous * (1 - elapsed)
    # The current window alone may hold BURST; the weighted sum one more, because at a window's
    # start it still counts the request that opened the previous one, which a client sending
    # at exactly RATE has already left behind (the epsilon absorbs floating-point noise).
    if current <= burst and estimate <= burst + 1 + 1e-6:
        return None
    return max((index + 1) * window - now, 0.001)


ViewFunc = Callable[..., HttpResponseBase]


def limited(view: ViewFunc) -> ViewFunc:
    """Answer 429 with Retry-After to a client over its rate; otherwise run the view."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        wait = check(request)
        if wait is not None:
            response = HttpResponse(status=429, content_type="application/json")
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return view(request, *args, **kwargs)

    return wrapped

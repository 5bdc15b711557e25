"""How every API view answers: JSON bodies, empty-bodied errors, and the `endpoint` wrapper."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from commonbeat.releases.budget import RETRY_AFTER_SECONDS, QueryTimeout
from commonbeat.transparency.police import ratelimit
from commonbeat.transparency.police.params import Problem
from commonbeat.transparency.police.queries import TooMany

MAX_GET_LENGTH = 4094

ViewFunc = Callable[..., HttpResponseBase]


def empty(status: int) -> HttpResponse:
    return HttpResponse(status=status, content_type="application/json")


def answer(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data), content_type="application/json")


def answer_text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


def endpoint(*methods: str) -> Callable[[ViewFunc], ViewFunc]:
    """Wrap an API view: methods, the GET length limit, the rate limit, empty-bodied errors.

    Every API view is exempt from CSRF: it changes nothing, and its clients are programs,
    not browsers with a session, so a POST (the area as a form body) or a stray PUT gets the
    API's own answer rather than Django's HTML CSRF page. Other methods than those named
    (and HEAD with GET) are 405 with an Allow header and an empty body.
    """
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
    allow = ", ".join(sorted(allowed))

    def decorate(view: ViewFunc) -> ViewFunc:
        limited = ratelimit.limited(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in allowed:
                response = empty(405)
                response["Allow"] = allow
                return response
            if request.method in ("GET", "HEAD") and len(request.get_full_path()) > MAX_GET_LENGTH:
                return empty(400)
            try:
                return limited(request, *args, **kwargs)
            except Problem as problem:
                return empty(problem.status)
            except TooMany:
                return empty(503)
            except QueryTimeout:
                busy = empty(503)
                busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return busy

        return csrf_exempt(wrapped)

    return decorate

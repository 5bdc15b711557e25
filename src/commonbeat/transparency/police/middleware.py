"""The API's errors as data.police.uk gives them: a status, an empty body, never an HTML page.

Two things happen before the views could see a request. A body longer than API_MAX_BODY_BYTES
(by its Content-Length) is refused with 413 before anything reads it, so a client cannot make
the server parse megabytes of form data (an area's `poly` of 2,000 vertices is about 40 KB).
And any error answered under /api/ by Django itself rather than by an API view (a malformed
form body is 400, too many form fields 400, a server error 500) loses its HTML page, keeping
the status and the headers that matter to a client (Allow, Retry-After).

/api/ itself is the human page, in HTML, and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After")


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the API rather than its description page."""
    return request.path_info.startswith(PREFIX) and request.path_info != PREFIX


def content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django reads it: a malformed length is no body


def empty(status: int) -> HttpResponse:
    return HttpResponse(status=status, content_type="application/json")


def without_html(response: HttpResponseBase) -> HttpResponseBase:
    """Return the error with its HTML body dropped (other responses unchanged)."""
    if response.status_code < 400 or not response.get("Content-Type", "").startswith("text/html"):
        return response
    stripped = empty(response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            stripped[header] = response[header]
    return stripped


class APIErrorsMiddleware:
    """Refuse oversized API bodies with 413 and strip HTML from the API's error answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api(request):
            return self.get_response(request)
        if content_length(request) > settings.API_MAX_BODY_BYTES:
            return empty(413)
        return without_html(self.get_response(request))

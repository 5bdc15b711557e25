"""The time budget of public queries: a request's reads of a release stop after PUBLIC_QUERY_SECONDS.

A public page or API call reads the current release with DuckDB. An expensive question (a huge
area, a cube nobody warmed) must not hold a server thread for as long as DuckDB needs, so
`QueryBudgetMiddleware` gives every request a deadline and `Release` runs each of its queries
through `run()`: a timer interrupts the query's DuckDB connection when the deadline passes, and
the query raises `QueryTimeout`. The API answers 503 with an empty body, HTML pages the
bilingual "busy" page, both with Retry-After.

The deadline is per request, not per query, so a page that asks twenty questions still stops
within the budget. Outside a request (commands, the demo, tests calling a release directly)
no deadline is set and queries run to the end. Building a release's cache database is neither
interrupted nor counted (`paused()`): it happens once, and interrupting it would only make the
next request start again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from commonbeat.core import twins

# What the busy page and the API's 503 ask a client to wait before trying again.
RETRY_AFTER_SECONDS = 30

T = TypeVar("T")
_state = threading.local()
clock = time.monotonic  # the tests move it by hand


class QueryTimeout(Exception):
    """A public query ran past the request's time budget and was stopped."""


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Bound the release queries this thread makes within the block (PUBLIC_QUERY_SECONDS)."""
    seconds = settings.PUBLIC_QUERY_SECONDS if seconds is None else seconds
    previous = getattr(_state, "deadline", None)
    _state.deadline = clock() + seconds
    try:
        yield
    finally:
        _state.deadline = previous


def remaining() -> float | None:
    """Return the seconds left in this thread's budget, or None when it has none."""
    until: float | None = getattr(_state, "deadline", None)
    return None if until is None else until - clock()


@contextmanager
def paused() -> Iterator[None]:
    """Leave the time spent in the block out of this thread's budget (building a cache)."""
    started = clock()
    try:
        yield
    finally:
        until = getattr(_state, "deadline", None)
        if until is not None:
            _state.deadline = until + (clock() - started)


def run(connection: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Return work(connection), interrupting it when the budget runs out (QueryTimeout)."""
    left = remaining()
    if left is None:
        return work(connection)
    if left <= 0:
        raise QueryTimeout
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        connection.interrupt()

    timer = threading.Timer(left, stop)
    timer.daemon = True
    timer.start()
    try:
        result = work(connection)
    except duckdb.InterruptException as exc:
        raise QueryTimeout from exc
    finally:
        timer.cancel()
    if fired.is_set():
        # The timer fired as the query finished: the budget is spent all the same, and the
        # caller drops this connection rather than trust what an interrupt left behind.
        raise QueryTimeout
    return result


def busy(request: HttpRequest) -> HttpResponse:
    """Return the 503 answer in the form asked for: the busy page, or for a page's JSON or CSV
    twin the same words as JSON or plain text (a program reading a twin must not get HTML)."""
    match = request.resolver_match
    try:
        fmt = twins.requested_format(request, match.kwargs.get("suffix") if match else None)
    except Http404:  # an unknown ?format= gets the page
        fmt = "html"
    message = gettext(
        "This page needed more time than the site gives one question, so it stopped rather "
        "than keep others waiting. Try again in %(seconds)s seconds; a narrower choice (fewer "
        "months, one neighbourhood) answers faster."
    ) % {"seconds": RETRY_AFTER_SECONDS}
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse(
            {"error": "busy", "message": message, "retry_after": RETRY_AFTER_SECONDS}, status=503
        )
    elif fmt == "csv":
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = render(request, "releases/busy.html", {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class QueryBudgetMiddleware:
    """Give each request PUBLIC_QUERY_SECONDS for its release queries; answer 503 past it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with deadline():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, QueryTimeout):
            return None
        # The budget is spent, so the busy page reads nothing from the release.
        return busy(request)

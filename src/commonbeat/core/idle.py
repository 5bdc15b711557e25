"""Staff sessions end after STAFF_IDLE_MINUTES without a request.

A staff account reaches private records and the back office, so a browser left open on a
shared machine must not stay signed in for the session cookie's two weeks. Each staff request
notes its time in the session; a request after a longer silence signs the user out and sends
them to the sign-in page, which says why. Residents keep Django's ordinary session.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

LAST_SEEN = "commonbeat_staff_last_seen"


def now() -> float:
    """Return the current time in seconds (a function, so tests can move the clock)."""
    return time.time()


class StaffIdleMiddleware:
    """Sign out a staff member whose last request is older than STAFF_IDLE_MINUTES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            minutes = settings.STAFF_IDLE_MINUTES
            current = now()
            last = request.session.get(LAST_SEEN)
            if isinstance(last, int | float) and current - last > minutes * 60:
                auth.logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity. "
                        "Sign in again to continue.",
                        "You were signed out after %(minutes)d minutes without activity. "
                        "Sign in again to continue.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path())
            request.session[LAST_SEEN] = current
        return self.get_response(request)

"""Template helpers of the engagement pages: an event's time in its agency's zone, survey shares."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format, number_format

from commonbeat.engagement.events.api import local
from commonbeat.engagement.events.models import Event

register = template.Library()
DASH = "\u2013"  # an en dash between the two times


@register.filter
def when(event: Event) -> str:
    """ "Tuesday 9 March 2027, 18:30 to 20:00" (an en dash between), in the agency's zone and the page's language."""
    start = local(event, event.starts_at)
    end = local(event, event.ends_at)
    day = date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {date_format(start, 'TIME_FORMAT')}{DASH}{date_format(end, 'TIME_FORMAT')}"
    return f"{date_format(start, 'DATETIME_FORMAT')} {DASH} {date_format(end, 'DATETIME_FORMAT')}"


@register.filter
def start_iso(event: Event) -> str:
    return local(event, event.starts_at).isoformat()


@register.filter
def percent(share: float | None) -> str:
    """A share (0.4234) as a whole percentage in the page's language ("42 %" style is left to
    the template): "42"."""
    if share is None:
        return ""
    return number_format(round(100 * share), 0)


@register.filter
def points(margin: float | None) -> str:
    """A margin of error (0.0431) in percentage points with one decimal: "4.3" ("4,3" in Spanish)."""
    if margin is None:
        return ""
    return number_format(round(100 * margin, 1), 1)

"""Template helpers of announcement and incident pages: a time from their data (ISO 8601,
already in the agency's zone) as the reader's language writes it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def local_time(value: str | None) -> str:
    """ "9 March 2027, 18:30" for "2027-03-09T18:30:00-06:00", keeping the zone's own clock."""
    if not value:
        return ""
    return date_format(datetime.fromisoformat(value), "DATETIME_FORMAT")

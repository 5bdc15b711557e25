"""iCalendar: an .ics per event that links back to its page, and subscribable feeds per
neighbourhood (with the agency's city-wide events) and per agency, parsed with `icalendar`."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.test import Client

from commonbeat.engagement.events import services

pytestmark = pytest.mark.django_db


def _calendar(response: Any) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_an_event_ics_carries_its_local_time_zone_and_links_back_to_its_page(
    make_event: Any,
) -> None:
    event = make_event()
    cal = _calendar(Client().get(f"/engagement/events/{event.pk}.ics"))
    (item,) = cal.walk("VEVENT")
    assert str(item["UID"]) == f"{event.uid}@commonbeat"
    assert item.decoded("DTSTART") == event.starts_at
    assert str(item.decoded("DTSTART").tzinfo) == "America/Chicago"
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    assert str(item["URL"]) == f"http://testserver/engagement/events/{event.pk}/"
    assert str(item["STATUS"]) == "CONFIRMED" and item.decoded("SEQUENCE") == 0
    spanish = _calendar(Client().get(f"/es/engagement/events/{event.pk}.ics"))
    assert str(spanish.walk("VEVENT")[0]["SUMMARY"]) == "Sesión de escucha"


def test_feeds_hold_the_neighbourhoods_events_and_the_city_wide_ones_cancellations_included(
    make_event: Any,
) -> None:
    own = make_event(title_en="Own")
    city_wide = make_event(title_en="Town hall", neighbourhood=None)
    other_place = own.agency.neighbourhoods.exclude(pk=own.neighbourhood_id).first()
    elsewhere = make_event(title_en="Elsewhere", neighbourhood=other_place)
    services.cancel_event(city_wide, "Moved to spring.")
    place = own.neighbourhood
    feed = _calendar(Client().get(f"/engagement/calendars/riverton-pd/{place.slug}.ics"))
    found = {
        str(e["SUMMARY"]): (str(e["STATUS"]), e.decoded("SEQUENCE")) for e in feed.walk("VEVENT")
    }
    assert found == {"Own": ("CONFIRMED", 0), "Town hall": ("CANCELLED", 1)}
    assert str(feed["X-WR-CALNAME"]).startswith(place.name)
    agency = _calendar(Client().get("/engagement/calendars/riverton-pd.ics"))
    assert {str(e["SUMMARY"]) for e in agency.walk("VEVENT")} == {
        "Own",
        "Town hall",
        elsewhere.title,
    }
    assert Client().get("/engagement/calendars/no-such-agency.ics").status_code == 404

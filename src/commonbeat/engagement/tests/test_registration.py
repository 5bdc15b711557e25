"""Registration: places up to the capacity, then a waiting list promoted in order; the
registrant's own link; e-mails in the registrant's language; reminders once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commonbeat.engagement.events import links, services
from commonbeat.engagement.events.models import Registration

pytestmark = pytest.mark.django_db


def _register(event: Any, n: int, language: str = "en") -> Registration:
    return services.register(
        event, name=f"Person {n}", email=f"p{n}@example.org", language=language
    )


def test_places_go_in_order_then_people_wait_and_a_cancellation_promotes_the_longest_waiting(
    make_event: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        people = [_register(event, n, "es" if n == 3 else "en") for n in range(4)]
    assert [p.status for p in people] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert "waiting list" in mail.outbox[2].subject
    assert "lista de espera" in mail.outbox[3].subject  # the fourth registered in Spanish
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(people[0])
    assert promoted == [people[2].pk]
    people[2].refresh_from_db()
    assert people[2].status == "confirmed" and people[2].promoted_at is not None
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]
    assert links.path(people[2]) in mail.outbox[0].body
    assert services.places_left(event) == 0
    with pytest.raises(services.Refused):
        services.cancel_registration(people[0])


def test_a_larger_capacity_gives_the_waiting_their_places(make_event: Any) -> None:
    event = make_event(capacity=1)
    people = [_register(event, n) for n in range(3)]
    event.capacity = 3
    event.save()
    assert services.promote_waiting(event) == [people[1].pk, people[2].pk]


def test_one_address_registers_once_and_closed_events_refuse(make_event: Any) -> None:
    event = make_event()
    _register(event, 1)
    with pytest.raises(services.Refused, match="already registered"):
        services.register(event, name="Again", email="P1@example.org", language="en")
    services.cancel_event(event, "The hall flooded.")
    with pytest.raises(services.Refused, match="not taking registrations"):
        _register(event, 2)
    past = make_event(in_days=-1)
    with pytest.raises(services.Refused):
        _register(past, 3)


def test_cancelling_an_event_tells_everyone_registered_and_raises_its_calendar_sequence(
    make_event: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(capacity=1)
    _register(event, 1)
    _register(event, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = services.cancel_event(event, "The hall flooded.", "El salón se inundó.")
    assert told == 2 and len(mail.outbox) == 2
    assert event.sequence == 1 and event.cancelled


def test_reminders_go_once_to_those_with_a_place_a_day_before(make_event: Any) -> None:
    soon = make_event(in_days=0.5, capacity=1)
    later = make_event(in_days=5)
    _register(soon, 1)
    _register(soon, 2)  # waiting: no reminder
    _register(later, 3)
    mail.outbox.clear()
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert [m.to for m in mail.outbox] == [["p1@example.org"]]
    assert services.send_reminders(timezone.now() + timedelta(days=4.5)) == 1


def test_a_resident_registers_on_the_page_and_manages_it_only_from_their_own_link(
    make_event: Any,
) -> None:
    event = make_event(capacity=1)
    client = Client()
    page = client.get(f"/es/engagement/events/{event.pk}/")
    assert page.status_code == 200 and "Sesión de escucha" in page.content.decode()
    bad = client.post(f"/es/engagement/events/{event.pk}/register/", {"name": "Ana", "email": "no"})
    assert bad.status_code == 400 and "correo" in bad.content.decode().lower()
    sent = client.post(
        f"/es/engagement/events/{event.pk}/register/", {"name": "Ana", "email": "ana@example.org"}
    )
    registration = Registration.objects.get(email="ana@example.org")
    assert registration.language == "es" and registration.status == "confirmed"
    own = links.path(registration)
    assert sent.status_code == 302 and sent["Location"] == own
    mine = client.get(own)
    assert mine.status_code == 200 and mine["Cache-Control"] == "no-store"
    assert (
        client.get(f"/es/engagement/registrations/{registration.pk}/{'0' * 32}/").status_code == 404
    )
    # The public page never names who registered.
    assert "Ana" not in client.get(f"/engagement/events/{event.pk}.json").content.decode()
    client.post(own + "cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registrations_from_one_connection_are_limited(make_event: Any, settings: Any) -> None:
    settings.REGISTRATION_RATE_PER_HOUR = 2
    event = make_event(capacity=None)
    client = Client()
    codes = [
        client.post(
            f"/engagement/events/{event.pk}/register/", {"name": "N", "email": f"n{n}@example.org"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]

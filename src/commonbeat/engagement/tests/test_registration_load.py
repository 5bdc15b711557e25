"""Fifty people register at once for an event with ten places: ten get one, forty wait, and
no one is counted twice (PostgreSQL, where the event's row lock does the work)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from commonbeat.engagement.events import services
from commonbeat.engagement.events.models import Registration

CLIENTS = 50
PLACES = 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_never_over_book(make_event: Any) -> None:
    event = make_event(capacity=PLACES)
    start = threading.Barrier(CLIENTS)
    failures: list[BaseException] = []

    def register(n: int) -> None:
        try:
            start.wait()
            services.register(event, name=f"P{n}", email=f"p{n}@example.org", language="en")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert len(statuses) == CLIENTS
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waiting") == CLIENTS - PLACES

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.engagement.events.models import Event


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    """Each test starts with no registrations counted against the per-client limit."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_event(city: Any) -> Any:
    """Return a function making a scheduled event in the small city's first neighbourhood."""

    def make(**fields: Any) -> Event:
        agency = Agency.objects.get(slug="riverton-pd")
        place = Neighbourhood.objects.filter(agency=agency).order_by("name").first()
        start = (timezone.now() + timedelta(days=fields.pop("in_days", 10))).replace(
            second=0, microsecond=0
        )
        values: dict[str, Any] = {
            "agency": agency,
            "neighbourhood": place,
            "kind": Event.Kind.LISTENING,
            "title_en": "Listening session",
            "title_es": "Sesión de escucha",
            "venue": "Library",
            "address": "1 Main Street",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "languages": ["en", "es"],
            "capacity": 2,
        }
        values.update(fields)
        return Event.objects.create(**values)

    return make

"""Planted effect 9: night calls about noise and disturbances fall by 45% in the most populous
neighbourhood from 1 July; the demo priority's measure recovers it from the release, and the
neighbourhood page draws it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from commonbeat.demo.records import quiet_neighbourhood
from commonbeat.demo.records.calls import QUIET_NIGHTS_DROP
from commonbeat.engagement.priorities.measure import series
from commonbeat.engagement.priorities.models import Priority
from commonbeat.releases.cache import Release


def test_the_noise_priority_measure_recovers_the_planted_fall_and_the_page_draws_it(
    published: Release, engaged_city: Any
) -> None:
    place = quiet_neighbourhood(engaged_city)
    priority = Priority.objects.select_related("measure").get(
        neighbourhood__slug=place, parent__isnull=True
    )
    assert priority.measure is not None and priority.action_date is not None
    found = series(published, priority.measure, "riverton-pd", place, priority.action_date)
    comparison = found.comparison
    assert comparison is not None
    assert (comparison.before_months, comparison.after_months) == (6, 5)
    planted = 1 - QUIET_NIGHTS_DROP
    assert comparison.low < planted < comparison.high < 1
    # Elsewhere nothing was planted: the same measure shows no fall beyond chance.
    other = next(n.slug for n in engaged_city.neighbourhoods if n.slug != place)
    control = series(published, priority.measure, "riverton-pd", other, priority.action_date)
    assert control.comparison is not None and control.comparison.low < 1 < control.comparison.high

    page = (
        Client().get(f"/engagement/agencies/riverton-pd/neighbourhoods/{place}/").content.decode()
    )
    assert page.count('class="bar-after"') == 5 and 'class="action-line"' in page
    assert "95% interval" in page
    data = Client().get(f"/engagement/priorities/{priority.pk}.json").json()
    assert data["measured"]["comparison"]["rate_ratio"] == comparison.ratio
    assert [m["month"] for m in data["measured"]["months"]][:1] == ["2025-01"]

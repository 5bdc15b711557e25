"""Minutes go to attendees for comment before they are published; each concern raised becomes
a tracked item that can become a neighbourhood priority, whose progress comes from its parts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from commonbeat.engagement.events import links, services
from commonbeat.engagement.priorities import api
from commonbeat.engagement.priorities import services as priority_services
from commonbeat.engagement.priorities.measure import compare
from commonbeat.engagement.priorities.models import Priority

pytestmark = pytest.mark.django_db


def test_minutes_are_commented_by_attendees_then_published_with_the_concerns_raised(
    make_event: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(capacity=3)
    came = services.register(event, name="Ana", email="ana@example.org", language="es")
    absent = services.register(event, name="Bo", email="bo@example.org", language="en")
    services.record_attendance(event, attendance=12, attended=[came.pk])
    event.minutes_en = "The team heard about noise at night."
    event.minutes_es = "El equipo escuchó quejas por ruido de noche."
    event.save()
    concern = services.raise_concern(event, "Noise at night near the park.", "Ruido de noche.")
    public = Client().get(f"/engagement/events/{event.pk}.json").json()
    assert public["minutes"] is None and public["concerns"] == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.open_minutes_for_comment(event, days=7) == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "borrador del acta" in mail.outbox[0].subject.lower()
    page = Client().post(links.path(came) + "comment/", {"text": "Add the bus stop."})
    assert page.status_code == 302 and came.minutes_comments.count() == 1
    refused = Client().post(links.path(absent) + "comment/", {"text": "I was not there."})
    assert refused.status_code == 400 and absent.minutes_comments.count() == 0
    with pytest.raises(services.Refused, match="comment until"):
        services.publish_minutes(event)
    services.publish_minutes(event, now=timezone.now() + timedelta(days=8))
    priority = priority_services.make_priority(concern, action_en="Foot patrols.")
    published = Client().get(f"/es/engagement/events/{event.pk}.json").json()
    assert published["minutes"].startswith("El equipo")
    assert published["concerns"] == [
        {
            "concern": "Ruido de noche.",
            "status": "priority",
            "status_label": "Se convirtió en prioridad",
            "response": "",
            "priority": f"/es/engagement/priorities/{priority.pk}/",
        }
    ]
    assert priority.source_event == event and priority.neighbourhood == event.neighbourhood
    with translation.override("en"), pytest.raises(services.Refused, match="already a priority"):
        priority_services.make_priority(concern)


def test_a_parents_progress_is_the_mean_of_its_public_parts(make_event: Any) -> None:
    place = make_event().neighbourhood
    parent = Priority.objects.create(
        neighbourhood=place, issue_en="Safer nights", source="meeting", issue_date=date(2025, 6, 1)
    )
    for progress, public in ((100, True), (40, True), (0, False)):
        Priority.objects.create(
            neighbourhood=place, parent=parent, issue_en="Part", source="meeting",
            issue_date=date(2025, 6, 1), progress=progress, public=public,
        )  # fmt: skip
    (listed,) = api.public_priorities(place)
    assert api.progress(listed) == 70
    data = Client().get(f"/engagement/priorities/{parent.pk}.json").json()
    assert data["progress"] == 70 and len(data["parts"]) == 2


def test_the_comparison_states_the_rate_ratio_with_an_interval_widened_for_overdispersion() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    steady = [30, 31, 29, 30, 30, 30, 99, 15, 15, 16, 14, 15]  # July is the action's month
    found = compare(months, steady, "2025-07")
    assert found is not None
    assert (found.before_months, found.after_months) == (6, 5)
    assert found.ratio == pytest.approx(15 / 30)
    assert found.dispersion == 1.0  # less varied than Poisson: never narrowed below it
    assert found.low < 0.5 < found.high < 1
    noisy = [10, 50, 12, 48, 11, 49, 0, 5, 25, 6, 24, 5]
    wide = compare(months, noisy, "2025-07")
    assert wide is not None and wide.dispersion > 5
    assert wide.high / wide.low > found.high / found.low
    assert compare(months, steady, "2025-11") is None  # one month after: too few

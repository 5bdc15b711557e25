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


@pytest.fixture
def survey_wave(city: Any) -> Any:
    """The standard survey of the small city, with a wave open now (invitations and residents)."""
    from commonbeat.engagement.surveys.instrument import create_standard
    from commonbeat.engagement.surveys.models import Wave

    survey = create_standard(Agency.objects.get(slug="riverton-pd"))
    now = timezone.now()
    return Wave.objects.create(
        survey=survey, name_en="Spring", name_es="Primavera",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=7),
    )  # fmt: skip


@pytest.fixture
def answer_as() -> Any:
    """Return a function recording one invitation's answers, given as {question code: choice
    code(s)} (a grid's rows as {"trust.fair": code}) and free text as strings."""
    from commonbeat.engagement.surveys import services
    from commonbeat.engagement.surveys.models import Question

    def answer(wave: Any, place: Neighbourhood | None, **given: Any) -> Any:
        questions = {q.code: q for q in wave.survey.questions.prefetch_related("choices", "rows")}
        parts = []
        for key, value in given.items():
            code, _dot, row = key.partition("__")
            question = questions[code]
            choices = {c.code: c.pk for c in question.choices.all()}
            if question.kind == Question.Kind.TEXT:
                parts.append(services.Given(question, text=value))
            elif row:
                rows = {r.code: r.pk for r in question.rows.all()}
                parts.append(services.Given(question, row_choices=((rows[row], choices[value]),)))
            else:
                values = value if isinstance(value, list) else [value]
                parts.append(services.Given(question, choice_ids=tuple(choices[v] for v in values)))
        (token,) = services.invite(wave, 1, place)
        return services.answer(
            wave, parts, language="en", neighbourhood=place,
            invitation=services.invitation_for(token),
        )  # fmt: skip

    return answer

"""A wave's published results: shares with Wilson intervals at the effective sample size,
raking to loaded population counts with its design effect, small cells withheld (and the
next smallest with them), trends across waves, and the public pages and twins."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from statsmodels.stats.proportion import proportion_confint

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.models import Wave
from commonbeat.testing.personas import ANONYMOUS


def _places() -> list[Neighbourhood]:
    return list(Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name"))


def _close(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    wave.refresh_from_db()


def _cell(data: dict[str, Any], code: str, place: str, row: str | None = None) -> dict[str, Any]:
    question = next(q for q in data["questions"] if q["code"] == code)
    return next(r for r in question["rows"] if r["row"] == row)["places"][place]


def test_an_unweighted_share_has_wilson_interval_and_margin_at_its_sample_size(
    survey_wave: Wave, answer_as: Callable[..., Any]
) -> None:
    a = _places()[0]
    for i in range(30):
        answer_as(survey_wave, a, safe_night="very_safe" if i < 20 else "very_unsafe")
    _close(survey_wave)
    data = services.publish_results(survey_wave, None).data
    assert data["weighting"]["method"]["weighted"] is False
    cell = _cell(data, "safe_night", str(a.pk))
    assert cell["n"] == 30 and cell["deff"] == pytest.approx(1.0)
    low, high = proportion_confint(20, 30, method="wilson")
    favourable = cell["favourable"]
    assert favourable["share"] == pytest.approx(2 / 3, abs=1e-6)
    assert (favourable["low"], favourable["high"]) == (
        pytest.approx(low, abs=1e-6),
        pytest.approx(high, abs=1e-6),
    )
    assert favourable["margin"] == pytest.approx(1.96 * math.sqrt(2 / 9 / 30), abs=1e-4)
    shares = {c["code"]: c["share"] for c in cell["choices"]}
    assert shares == pytest.approx(
        {"very_safe": 2 / 3, "fairly_safe": 0, "a_bit_unsafe": 0, "very_unsafe": 1 / 3}
    )
    # The city-wide cell is the same people here.
    assert _cell(data, "safe_night", "all")["favourable"]["share"] == pytest.approx(2 / 3)


def test_raking_to_loaded_counts_reweights_the_share_and_states_the_design_effect(
    survey_wave: Wave, answer_as: Callable[..., Any]
) -> None:
    a = _places()[0]
    services.load_population(
        a.agency,
        "neighbourhood,dimension,group,residents\n"
        f"{a.slug},age,18_24,500\n{a.slug},age,65_plus,500\n",
        "test census",
    )
    # 10 young residents all feel safe, 30 older ones all feel unsafe; two gave no age.
    for _ in range(10):
        answer_as(survey_wave, a, safe_night="very_safe", age="18_24")
    for _ in range(30):
        answer_as(survey_wave, a, safe_night="very_unsafe", age="65_plus")
    for _ in range(2):
        answer_as(survey_wave, a, safe_night="very_safe", age="prefer_not")
    _close(survey_wave)
    data = services.publish_results(survey_wave, None).data
    place = data["weighting"]["places"][str(a.pk)]
    assert place["weighted"] and place["converged"] and place["dimensions"] == ["age"]
    # The two who gave no age keep their share (2/42 of the weight); the 40 others are split
    # half and half, so the share feeling safe is (2 + 20) / 42 of the weight.
    cell = _cell(data, "safe_night", str(a.pk))
    assert cell["favourable"]["share"] == pytest.approx(22 / 42, abs=1e-6)
    # Kish: weights 1 (x2), 2 (x10, 20/10) and 2/3 (x30, 20/30) relative units.
    w = [1.0] * 2 + [2.0] * 10 + [2 / 3] * 30
    deff = len(w) * sum(x * x for x in w) / sum(w) ** 2
    assert cell["deff"] == pytest.approx(deff, abs=1e-3)
    assert cell["n_eff"] == pytest.approx(42 / deff, abs=0.1)
    low, high = proportion_confint(22 / 42 * 42 / deff, 42 / deff, method="wilson")
    assert cell["favourable"]["low"] == pytest.approx(low, abs=1e-5)
    assert cell["favourable"]["high"] == pytest.approx(high, abs=1e-5)
    assert data["weighting"]["method"]["sources"] == ["test census"]


def test_small_places_are_withheld_and_the_next_smallest_with_them(
    survey_wave: Wave, answer_as: Callable[..., Any]
) -> None:
    a, b, c, d = _places()
    for place, n in ((a, 30), (b, 5), (c, 12), (d, 20)):
        for _ in range(n):
            answer_as(survey_wave, place, safe_night="fairly_safe")
    _close(survey_wave)
    data = services.publish_results(survey_wave, None).data
    assert _cell(data, "safe_night", str(b.pk)) == {"suppressed": "small"}
    assert _cell(data, "safe_night", str(c.pk)) == {"suppressed": "secondary"}
    assert _cell(data, "safe_night", str(d.pk))["n"] == 20
    assert _cell(data, "safe_night", "all")["n"] == 67
    assert data["by_place"][str(b.pk)] is None and data["by_place"][str(c.pk)] is None
    assert data["by_place"][str(a.pk)] == 30


def test_the_public_results_page_and_twins_show_margins_and_withhold_small_cells(
    survey_wave: Wave, answer_as: Callable[..., Any], client_as: Callable[..., Client]
) -> None:
    a, b = _places()[:2]
    for i in range(24):
        answer_as(
            survey_wave, a, safe_night="fairly_safe", trust__fair="agree" if i % 2 else "disagree",
            one_thing="Walk the Hill Street block at night, my neighbour Ana Ruiz says so too",
        )  # fmt: skip
    for _ in range(3):
        answer_as(survey_wave, b, safe_night="very_unsafe")
    client = client_as(ANONYMOUS)
    assert client.get(f"/engagement/surveys/waves/{survey_wave.pk}/results/").status_code == 404
    _close(survey_wave)
    services.publish_results(survey_wave, None)
    page = client.get(f"/engagement/surveys/waves/{survey_wave.pk}/results/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Not weighted" in body and "±" in body and "Withheld: too few answers" in body
    assert "Ana Ruiz" not in body  # free text stays private
    es = client.get(f"/es/engagement/surveys/waves/{survey_wave.pk}/results/").content.decode()
    assert "Primavera" in es and "¿Qué tan seguro/a se siente" in es
    data = client.get(f"/engagement/surveys/waves/{survey_wave.pk}/results.json").json()
    assert "Ana Ruiz" not in str(data)
    trust = next(q for q in data["questions"] if q["code"] == "trust")
    fair = next(r for r in trust["rows"] if r["code"] == "fair")
    city = next(p for p in fair["places"] if p["place"] == "all")
    assert city["favourable"]["share"] == pytest.approx(0.5)
    assert city["favourable"]["low"] < 0.5 < city["favourable"]["high"]
    small = next(p for p in data["places"] if p["place"] == b.slug)
    assert small["respondents"] is None and small["deff"] is None
    csv = client.get(f"/engagement/surveys/waves/{survey_wave.pk}/results.csv").content.decode()
    header, *rows = csv.strip().splitlines()
    assert header.split(",")[:5] == ["question", "statement", "place", "respondents", "choice"]
    assert any(row.startswith(f"safe_night,,{b.slug},,") and "small" in row for row in rows)


def test_trends_follow_a_question_across_published_waves(
    survey_wave: Wave, answer_as: Callable[..., Any], client_as: Callable[..., Client]
) -> None:
    a = _places()[0]
    for i in range(20):
        answer_as(survey_wave, a, job="good" if i < 10 else "poor")
    _close(survey_wave)
    services.publish_results(survey_wave, None)
    now = timezone.now()
    autumn = Wave.objects.create(
        survey=survey_wave.survey, name_en="Autumn", name_es="Otoño",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
    )  # fmt: skip
    for i in range(20):
        answer_as(autumn, a, job="good" if i < 15 else "poor")
    _close(autumn)
    services.publish_results(autumn, None)
    data = client_as(ANONYMOUS).get(f"/engagement/surveys/{survey_wave.survey_id}.json").json()
    job = next(t for t in data["trends"] if t["code"] == "job")
    assert [p["label"] for p in job["points"]] == ["Spring", "Autumn"]
    assert [p["share"] for p in job["points"]] == pytest.approx([0.5, 0.75])
    page = client_as(ANONYMOUS).get(f"/es/engagement/surveys/{survey_wave.survey_id}/")
    assert "Otoño" in page.content.decode() and "<svg" in page.content.decode()


def test_a_wave_is_published_only_once_closed(survey_wave: Wave) -> None:
    with pytest.raises(services.SurveyRefused, match="once it has closed"):
        services.publish_results(survey_wave, None)

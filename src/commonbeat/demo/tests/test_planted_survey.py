"""Planted effect 10: the demo survey's respondents are older, more female and whiter than the
city, and agreeing that the police treat everyone fairly depends on age and race. Raking to the
loaded counts recovers the residents' planted share; the raw sample overstates it."""

from __future__ import annotations

from typing import Any

from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency
from commonbeat.demo.engagement.surveys import fair_truth, load_surveys
from commonbeat.engagement.surveys.models import Answer, Wave


def _city_fair(wave: Wave) -> dict[str, Any]:
    trust = next(q for q in wave.result.data["questions"] if q["code"] == "trust")
    return next(r for r in trust["rows"] if r["row"] == "fair")["places"]["all"]


def test_weighting_recovers_the_planted_share_the_raw_sample_overstates(city: Any) -> None:
    with acting_as("test:surveys"):
        load_surveys(Agency.objects.get(slug=city.agency["slug"]), city)
    waves = list(Wave.objects.filter(result__isnull=False).order_by("opens_at"))
    assert len(waves) == 2
    for wave, shift in zip(waves, (0.0, 0.3), strict=True):
        truth = fair_truth(city, shift)
        weighted = _city_fair(wave)
        answers = Answer.objects.filter(
            response__wave=wave, question__code="trust", row__code="fair"
        )
        raw = answers.filter(choice__favourable=True).count() / answers.count()
        assert weighted["favourable"]["low"] < truth < weighted["favourable"]["high"]
        assert abs(weighted["favourable"]["share"] - truth) < abs(raw - truth)
        assert raw - truth > 0.02  # the sample leans towards those who agree
        assert weighted["deff"] > 1.1  # and weighting it costs precision, as the page says
    # The planted rise between the waves shows in the published trend.
    assert _city_fair(waves[1])["favourable"]["share"] > _city_fair(waves[0])["favourable"]["share"]

"""A neighbourhood's headline: this period against the same months a year before, tested."""

from __future__ import annotations

import math

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards.headline import (
    compare,
    days,
    months_back,
    sentence,
    shift,
)

AGENCY = "riverton-pd"


def exact_two_sided(now: int, before: int, p0: float = 0.5) -> float:
    """The conditional test by hand: the probability under Binomial(n, p0) of every count no
    more likely than the one seen."""
    n = now + before

    def chance(k: int) -> float:
        return math.comb(n, k) * p0**k * (1 - p0) ** (n - k)

    seen = chance(now)
    return min(1.0, sum(chance(k) for k in range(n + 1) if chance(k) <= seen * (1 + 1e-7)))


def test_thirty_against_fifteen_is_beyond_normal_variation() -> None:
    change = compare(30, 15)
    assert change.p_value == pytest.approx(0.0356978, abs=1e-6)
    assert change.p_value == pytest.approx(exact_two_sided(30, 15))
    assert change.beyond_normal
    assert change.ratio == 2.0
    assert change.ratio_low is not None and change.ratio_high is not None
    assert 1.0 < change.ratio_low < 2.0 < change.ratio_high


def test_twelve_against_eight_is_within_normal_variation() -> None:
    change = compare(12, 8)
    assert change.p_value == pytest.approx(0.5034447, abs=1e-6)
    assert not change.beyond_normal
    assert change.ratio_low is not None and change.ratio_low < 1 < (change.ratio_high or 0)


def test_no_events_in_either_period_is_not_tested() -> None:
    change = compare(0, 0)
    assert change.p_value is None and not change.beyond_normal


def test_unequal_spans_are_weighed_by_their_days() -> None:
    # 2024-02 has 29 days, 2025-02 has 28: the same count is a lower rate in the longer month.
    assert days(("2024-02", "2024-02")) == 29 and days(("2025-01", "2025-03")) == 90
    change = compare(10, 10, 28, 29)
    assert change.ratio == pytest.approx(29 / 28)
    assert change.p_value == pytest.approx(exact_two_sided(10, 10, 28 / 57))


def test_months_are_shifted_by_calendar() -> None:
    assert shift("2026-03", -1) == "2025-03"
    assert months_back("2026-02", 3) == "2025-12"
    assert months_back("2026-05", 1) == "2026-05"


def test_the_sentence_says_what_changed_and_whether_it_is_chance() -> None:
    with translation.override("en"):
        text = sentence("Crimes", compare(30, 15), ("2026-01", "2026-03"), ("2025-01", "2025-03"))
    assert text.startswith("Crimes: 30 in 2026-01 to 2026-03, against 15 in 2025-01 to 2025-03.")
    assert "100.0 % more" in text and "beyond normal variation" in text and "3.6" in text


def test_a_dashboard_filtered_to_a_neighbourhood_gives_its_headline(published: Release) -> None:
    place = str(
        published.value("SELECT min(neighbourhood) FROM dash_crime WHERE agency = ?", [AGENCY])
    )
    data = Client().get(f"/dashboards/{AGENCY}/crime.json", {"neighbourhood": place}).json()
    found = data["headline"]
    assert found is not None
    direct = {
        span: int(
            published.value(
                "SELECT coalesce(sum(crimes), 0) FROM dash_crime WHERE agency = ? "
                "AND neighbourhood = ? AND month BETWEEN ? AND ?",
                [AGENCY, place, *span],
            )
        )
        for span in ((found["from"], found["to"]), (found["previous_from"], found["previous_to"]))
    }
    assert found["count"] == direct[(found["from"], found["to"])]
    assert found["previous_count"] == direct[(found["previous_from"], found["previous_to"])]
    spans = ((found["from"], found["to"]), (found["previous_from"], found["previous_to"]))
    now_days, before_days = (days(span) for span in spans)
    assert found["p_value"] == pytest.approx(
        exact_two_sided(
            found["count"], found["previous_count"], now_days / (now_days + before_days)
        ),
        abs=1e-4,
    )
    html = Client().get(f"/dashboards/{AGENCY}/crime/", {"neighbourhood": place}).content.decode()
    assert 'id="headline-heading"' in html
    # City-wide there is no neighbourhood headline.
    assert Client().get(f"/dashboards/{AGENCY}/crime.json").json().get("headline") is None


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_the_neighbourhood_page_carries_the_headlines(
    published: Release, client_as: object, role: str
) -> None:
    place = str(
        published.value("SELECT min(neighbourhood) FROM dash_crime WHERE agency = ?", [AGENCY])
    )
    client = client_as(role)  # type: ignore[operator]
    url = reverse("core:neighbourhood", args=[AGENCY, place])
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="headlines-heading"' in page.content.decode()
    data = client.get(reverse("core:neighbourhood", args=[AGENCY, place, "json"])).json()
    assert {h["dashboard"] for h in data["headlines"]} >= {"crime"}
    assert all(h["text"] for h in data["headlines"])

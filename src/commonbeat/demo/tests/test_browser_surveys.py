"""Surveys in Chromium, in English and Spanish, on a phone: a resident answers the open wave
through a one-time link by keyboard; the published results show shares with their margins of
error, the weighting and its design effect, and withheld cells; Chicago's Police Sentiment
Scores are charted beside them. axe finds nothing serious; screenshots in
test-artifacts/browser/."""

from __future__ import annotations

from typing import Any

import pytest

from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.demo.engagement.surveys import load_surveys
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.models import Answer, Response, Wave
from commonbeat.releases.cache import Release
from commonbeat.testing.browser import ARTEFACTS, PHONE, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]


def test_a_resident_answers_and_everyone_reads_weighted_results_beside_chicagos_scores(
    browser: Any, live_server: Any, city: Any, sentiment_release: Release
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    agency = Agency.objects.get(slug="riverton-pd")
    with acting_as("test:surveys"):
        load_surveys(agency, city)
    # One city for both languages (building it is most of the cost).
    for language in ("en", "es"):
        _walk(browser, live_server, agency, language)


def _walk(browser: Any, live_server: Any, agency: Agency, language: str) -> None:
    open_wave = next(w for w in Wave.objects.order_by("opens_at") if w.is_open())
    place = Neighbourhood.objects.filter(agency=agency).order_by("name").first()
    (token,) = services.invite(open_wave, 1, place)
    prefix = "" if language == "en" else "/es"
    base = live_server.url
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)

    # Answering: radio groups in fieldsets, chosen by keyboard, sent with Enter.
    page.goto(f"{base}{prefix}/engagement/surveys/answer/{token}/")
    assert page.locator("html").get_attribute("lang") == language
    assert accessibility_problems(page) == []
    safe = "Fairly safe" if language == "en" else "Bastante seguro/a"
    page.get_by_label(safe, exact=True).check()
    page.get_by_label("Good" if language == "en" else "Bueno", exact=True).first.check()
    for row in page.locator("fieldset").filter(has_text="—").all():
        row.get_by_label("Agree" if language == "en" else "De acuerdo", exact=True).check()
    page.get_by_role("button").last.focus()
    page.screenshot(path=str(ARTEFACTS / f"survey-answer-{language}.png"), full_page=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    thanks = "your answers are recorded" if language == "en" else "sus respuestas"
    assert thanks in page.locator("main").inner_text().lower()
    response = Response.objects.filter(wave=open_wave).latest("submitted_at")
    assert response.language == language and response.neighbourhood == place
    assert Answer.objects.filter(response=response, question__code="trust").count() == 4

    # The published results of the last closed wave, on the phone.
    spring = Wave.objects.filter(result__isnull=False).order_by("opens_at").last()
    assert spring is not None
    page.goto(f"{base}{prefix}/engagement/surveys/waves/{spring.pk}/results/")
    body = page.locator("main").inner_text()
    assert "±" in body
    assert ("Design effect" if language == "en" else "Efecto de diseño") in body
    assert ("Weighted to the resident population" if language == "en" else "Ponderad") in body
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTEFACTS / f"survey-results-{language}.png"), full_page=True)

    # The survey's trend, and Chicago's published scores by area.
    page.goto(f"{base}{prefix}/engagement/surveys/{spring.survey_id}/")
    assert page.locator("figure.survey-trend svg").count() >= 5
    assert accessibility_problems(page) == []
    page.goto(f"{base}{prefix}/engagement/surveys/")
    page.locator("main a[href*='/sentiment/chicago-pd/']").click()
    page.wait_for_load_state()
    assert page.locator("figure.sentiment svg polyline").count() == 2 * 9
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTEFACTS / f"survey-sentiment-{language}.png"), full_page=True)
    assert errors == []

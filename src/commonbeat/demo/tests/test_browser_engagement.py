"""From "you said" to "we did" in Chromium, in English and Spanish: a resident registers for
a listening session on a phone; a supervisor records the concern raised in the minutes, makes
it a priority and gives it an action and a measure in the back office; the neighbourhood page
then draws the measure before and after the action. axe finds nothing serious; screenshots in
test-artifacts/browser/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood, User
from commonbeat.core.roles import Role
from commonbeat.demo.languages import in_languages
from commonbeat.demo.records import quiet_neighbourhood
from commonbeat.engagement.events.models import Event, Registration
from commonbeat.engagement.priorities.models import Measure, Priority
from commonbeat.releases.cache import Release
from commonbeat.testing.browser import ARTEFACTS, PHONE, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]
PASSWORD = "a-long-test-password-1"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_concern_raised_at_a_listening_session_becomes_a_priority_with_its_measure_drawn(
    browser: Any, live_server: Any, published: Release, city: Any, language: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    place = Neighbourhood.objects.get(slug=quiet_neighbourhood(city))
    start = (timezone.now() + timedelta(days=9)).replace(second=0, microsecond=0)
    session = Event.objects.create(
        agency=Agency.objects.get(slug="riverton-pd"), neighbourhood=place,
        kind=Event.Kind.LISTENING, venue="Library", address="1 Main Street", starts_at=start,
        ends_at=start + timedelta(hours=2), languages=["en", "es"], capacity=30,
        **in_languages("title", {"en": "Listening session", "es": "Sesión de escucha"}),
    )  # fmt: skip
    Measure.objects.create(
        record_type=Measure.RecordType.CALL, types=["noise complaint", "disturbance"],
        from_hour=22, to_hour=6,
        **in_languages("name", {"en": "Night noise calls", "es": "Llamadas nocturnas por ruido"}),
    )  # fmt: skip
    supervisor = User(username="sam", role=Role.SUPERVISOR)
    supervisor.set_password(PASSWORD)
    supervisor.save()
    prefix = "" if language == "en" else "/es"
    base = live_server.url

    # A resident registers on a phone, by keyboard.
    resident = browser.new_page(viewport=PHONE)
    errors = watch_errors(resident)
    resident.goto(f"{base}{prefix}/engagement/events/{session.pk}/")
    assert resident.locator("html").get_attribute("lang") == language
    assert accessibility_problems(resident) == []
    resident.get_by_label("Your name" if language == "en" else "Su nombre").fill("Ana Reyes")
    email = resident.get_by_label("E-mail" if language == "en" else "Correo electrónico")
    email.fill("ana@example.org")
    email.focus()
    with resident.expect_navigation():
        resident.keyboard.press("Enter")
    status = resident.locator("#registration-status").inner_text()
    assert status.startswith("Confirmed" if language == "en" else "Confirmada")
    registration = Registration.objects.get(event=session)
    assert registration.language == language
    resident.screenshot(
        path=str(ARTEFACTS / f"engagement-registered-{language}.png"), full_page=True
    )
    assert accessibility_problems(resident) == []
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # After the session, a supervisor records the concern in the minutes and makes it a priority.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{base}/account/login/")
    staff.fill("#id_username", "sam")
    staff.fill("#id_password", PASSWORD)
    staff.click("main button[type=submit]")
    staff.wait_for_load_state()
    staff.goto(f"{base}/backoffice/engagement/event/{session.pk}/change/")
    staff.fill("#id_minutes_en", "Residents raised noise outside the late bars.")
    staff.fill("#id_concerns-0-summary_en", "Noise and fights outside the late bars at night.")
    staff.fill("#id_concerns-0-summary_es", "Ruido y peleas a la salida de los bares de noche.")
    staff.click("input[name=_save]")
    staff.wait_for_load_state()
    staff.goto(f"{base}/backoffice/engagement/meetingconcern/")
    staff.check("input[name=_selected_action]")
    staff.select_option("select[name=action]", "make_priorities")
    staff.click("button[name=index]")
    staff.wait_for_load_state()
    priority = Priority.objects.get(source_event=session)
    staff.goto(f"{base}/backoffice/engagement/priority/{priority.pk}/change/")
    staff.fill("#id_action_en", "Evening foot patrols from Thursday to Sunday.")
    staff.fill("#id_action_es", "Patrullas a pie de jueves a domingo por la noche.")
    staff.fill("#id_issue_date", "2025-06-10")
    staff.fill("#id_action_date", "2025-07-01")
    staff.select_option("#id_measure", label="Night noise calls")
    staff.click("input[name=_save]")
    staff.wait_for_load_state()
    priority.refresh_from_db()
    assert priority.measure is not None and str(priority.action_date) == "2025-07-01"

    # The neighbourhood page shows what was said, what is being done, and the measure.
    resident.goto(f"{base}{prefix}/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}/")
    text = resident.locator("main").inner_text()
    assert ("Ruido y peleas" if language == "es" else "Noise and fights") in text
    assert ("Patrullas a pie" if language == "es" else "Evening foot patrols") in text
    assert resident.locator("svg.chart rect.bar-after").count() == 5
    assert resident.locator("svg.chart line.action-line").count() == 1
    assert ("intervalo del 95" if language == "es" else "95% interval") in text
    resident.screenshot(path=str(ARTEFACTS / f"engagement-measure-{language}.png"), full_page=True)
    assert accessibility_problems(resident) == []
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []

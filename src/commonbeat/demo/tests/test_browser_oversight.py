"""A complaint's whole life in a real browser (Debian's Chromium, Playwright, axe-core).

A resident files a complaint with a photo in Spanish on a phone, keeps the receipt and follows
the case; staff take it through every stage to closure, the chief's final finding differing
from the board's recommendation; each role sees what it should. Screenshots go to
test-artifacts/browser/oversight-*.png.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from commonbeat.core.models import User
from commonbeat.core.roles import Role
from commonbeat.demo.city import build_city
from commonbeat.demo.load import load_city
from commonbeat.oversight.cases.models import Allegation, Complaint
from commonbeat.testing.browser import ARTEFACTS, PHONE, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def staffed_city(transactional_db: None) -> dict[str, User]:
    load_city(build_city(seed=7, neighbourhood_count=4, officer_count=40))
    staff = {}
    for name, role in (
        ("ines", Role.INVESTIGATOR),
        ("bea", Role.BOARD_MEMBER),
        ("carl", Role.ADMINISTRATOR),
    ):
        user = User(username=name, role=role, first_name=name.capitalize())
        user.set_password(PASSWORD)
        user.save()
        staff[name] = user
    return staff


def photo(path: Any) -> str:
    image = Image.new("RGB", (320, 240), (40, 90, 160))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (41.0, 35.0, 12.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    target = path / "foto.jpg"
    target.write_bytes(buffer.getvalue())
    return str(target)


def sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def move(page: Any, reference: str, name: str, note: str = "") -> None:
    form = page.locator(f"form[action$='/cases/{reference}/move/{name}/']")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errors").count() == 0, page.inner_text("main")


def finding(page: Any, level: str, value: str, reason: str, discipline: str = "") -> None:
    form = page.locator(f"form[action*='/allegations/'][action$='/{level}/']").first
    # One form per allegation, its fields prefixed (a<pk>-finding).
    form.locator("select[name$='-finding']").select_option(value)
    form.locator("[name$='-reason']").fill(reason)
    if discipline:
        form.locator("select[name$='-discipline']").select_option(discipline)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_complaint_filed_in_spanish_is_followed_and_taken_to_closure(
    browser: Any, live_server: Any, staffed_city: dict[str, User], tmp_path: Any
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    resident = browser.new_context(locale="es-MX", viewport=PHONE).new_page()
    errors = watch_errors(resident)

    # Filing, in Spanish, on a phone, with a photo.
    resident.goto(f"{base}/es/oversight/report/")
    assert resident.locator("html").get_attribute("lang") == "es"
    assert accessibility_problems(resident) == []
    resident.check("input[name=kind][value=complaint]")
    resident.fill("#id_incident_date", "2026-11-02")
    resident.fill("#id_location_text", "Grand Avenue, frente a la biblioteca")
    resident.fill(
        "#id_narrative", "El agente me empujó contra la pared y no quiso darme su número de placa."
    )
    resident.fill("#id_officer-0-description", "Alto, bigote gris, patrulla en bicicleta")
    resident.fill("#id_complainant_name", "Ana Pérez")
    resident.set_input_files("#id_attachments", photo(tmp_path))
    resident.screenshot(path=str(ARTEFACTS / "oversight-report-es.png"), full_page=True)
    resident.wait_for_timeout(3200)  # a person takes a few seconds; the form checks it
    resident.click("main button[type=submit]")
    resident.wait_for_selector(".receipt")
    codes = resident.locator(".receipt code").all_inner_texts()
    reference, secret = codes[0], codes[1]
    assert resident.inner_text("h1") == "Su informe fue recibido"
    resident.screenshot(path=str(ARTEFACTS / "oversight-receipt-es.png"), full_page=True)
    assert accessibility_problems(resident) == []
    case = Complaint.objects.get(reference=reference)
    assert case.language == "es" and case.attachments.count() == 1

    def follow() -> str:
        resident.goto(f"{base}/es/oversight/status/")
        resident.fill("#id_reference", reference)
        resident.fill("#id_secret", secret)
        resident.click("main button[type=submit]")
        resident.wait_for_selector("#status-heading")
        return resident.inner_text("main")

    status = follow()
    assert "Recibida" in status and "Ana Pérez" not in status and "empujó" not in status
    resident.screenshot(path=str(ARTEFACTS / "oversight-status-es.png"), full_page=True)

    # Intake (an investigator): sees who complained, reviews, assigns.
    intake = sign_in(browser, base, "ines")
    intake.goto(f"{base}/oversight/cases/{reference}/")
    assert "Ana Pérez" in intake.inner_text("main")
    move(intake, reference, "start_intake_review")
    triage = intake.locator(f"form[action$='/cases/{reference}/intake/']")
    triage.locator("select[name=category]").select_option("force")
    triage.locator("select[name=in_jurisdiction]").select_option("yes")
    triage.locator("[name=unit]").fill("Patrol")
    triage.locator("select[name=investigator]").select_option(str(staffed_city["ines"].pk))
    triage.locator("button[type=submit]").click()
    intake.wait_for_load_state()
    move(intake, reference, "assign")
    move(intake, reference, "start_investigation")
    add = intake.locator(f"form[action$='/cases/{reference}/allegations/']")
    add.locator("select[name=accused]").select_option(index=1)
    add.locator("select[name=category]").select_option("force")
    add.locator("[name=description]").fill("Pushed the complainant against a wall.")
    add.locator("button[type=submit]").click()
    intake.wait_for_load_state()
    finding(intake, "investigator", "sustained", "The photo and a witness confirm it.", "reprimand")
    move(intake, reference, "submit_findings")
    move(intake, reference, "send_to_board")
    intake.screenshot(path=str(ARTEFACTS / "oversight-case-investigator-en.png"), full_page=True)
    assert accessibility_problems(intake) == []

    # The board: a redacted file (no complainant), its own recommendation.
    board = sign_in(browser, base, "bea")
    board.goto(f"{base}/oversight/cases/{reference}/")
    assert "Ana Pérez" not in board.inner_text("main")
    finding(board, "board", "sustained", "We agree with the investigator.")
    move(board, reference, "complete_board_review")
    board.screenshot(path=str(ARTEFACTS / "oversight-case-board-en.png"), full_page=True)

    # The chief's decision (an administrator acting for the chief) differs from the board's.
    chief = sign_in(browser, base, "carl")
    chief.goto(f"{base}/es/oversight/cases/{reference}/")
    assert "Ana Pérez" not in chief.inner_text("main")
    finding(chief, "final", "not_sustained", "The officer's account could not be disproved.")
    move(chief, reference, "decide")
    move(chief, reference, "close", "Both parties were told of the decision.")
    chief.screenshot(path=str(ARTEFACTS / "oversight-case-final-es.png"), full_page=True)
    assert accessibility_problems(chief) == []

    allegation = Allegation.objects.get(complaint__reference=reference)
    assert (allegation.board_finding, allegation.final_finding) == ("sustained", "not_sustained")
    assert Complaint.objects.get(reference=reference).stage == "closed"

    # The resident follows it to the end, and still sees nothing confidential.
    status = follow()
    assert "Cerrada" in status and "not_sustained" not in status and "No comprobada" not in status
    resident.screenshot(path=str(ARTEFACTS / "oversight-status-closed-es.png"), full_page=True)
    assert errors == []

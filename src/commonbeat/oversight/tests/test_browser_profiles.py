"""Officer profiles in Chromium, in English and Spanish, on a 360-pixel phone: a resident
searches by name, opens the profile, and pages through it by keyboard; axe finds nothing
serious and no page is wider than the screen; screenshots in test-artifacts/browser/."""

from __future__ import annotations

from typing import Any

import pytest

from commonbeat.oversight.profiles.build import profile_slug
from commonbeat.oversight.tests.test_profiles import profiled  # noqa: F401  the fixture
from commonbeat.testing.browser import ARTEFACTS, accessibility_problems, watch_errors

NARROW = {"width": 360, "height": 740}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_resident_finds_an_officer_and_reads_the_profile_on_a_phone(
    browser: Any,
    live_server: Any,
    profiled: dict[str, Any],  # noqa: F811  the fixture imported above
    language: str,
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else "/es"
    page = browser.new_page(viewport=NARROW)
    errors = watch_errors(page)
    page.goto(f"{live_server.url}{prefix}/oversight/officers/")
    assert page.locator("html").get_attribute("lang") == language
    # Keyboard only: the search box is labelled and the form is sent with Enter.
    label = "Name or badge number" if language == "en" else "Nombre o número de placa"
    field = page.get_by_label(label)
    field.focus()
    page.keyboard.type("pena")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Ana Peña")
    assert link.count() == 1
    page.screenshot(path=str(ARTEFACTS / f"profiles-search-{language}.png"), full_page=True)
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pena = profiled["pena"]
    slug = profile_slug(pena.first_name, pena.last_name, pena.uid)
    assert page.url.endswith(f"{prefix}/oversight/officers/{slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ana Peña"
    text = page.locator("main").inner_text()
    assert ("Historial de destinos" if language == "es" else "Assignment history") in text
    assert "Maria Lopez" not in text and pena.uid not in text
    page.screenshot(path=str(ARTEFACTS / f"profiles-officer-{language}.png"), full_page=True)
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert errors == []

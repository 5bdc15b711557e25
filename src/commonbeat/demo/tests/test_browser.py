"""The demo city in a real browser: Debian's Chromium driven by Playwright.

Skipped, with the reason, when no Chromium is installed; under CI=true its absence fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from commonbeat.demo.city import AGENCY_SLUG, build_city
from commonbeat.demo.load import load_city
from commonbeat.testing.browser import ARTEFACTS, PHONE, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo_city(transactional_db: None) -> Any:
    plan = build_city(seed=1)
    load_city(plan)
    return plan


def test_a_resident_explores_the_demo_city_in_spanish(
    browser: Any, live_server: Any, demo_city: Any
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)

    page.goto(live_server.url + "/")
    assert "Synthetic demo data." in page.inner_text(".synthetic-banner")
    page.screenshot(path=str(ARTEFACTS / "home-en.png"), full_page=True)
    assert accessibility_problems(page) == []

    page.click("a[data-language=es]")
    page.wait_for_url("**/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.inner_text("h1") == "La labor policial, a la vista de todos"

    page.click("text=Vecindarios")
    page.wait_for_url("**/es/neighbourhoods/")
    neighbourhood = demo_city.neighbourhoods[0]
    page.get_by_role("link", name=neighbourhood.name, exact=True).click()
    page.wait_for_url(f"**/es/agencies/{AGENCY_SLUG}/neighbourhoods/{neighbourhood.slug}/")

    # The map: Leaflet replaced the static SVG and drew the boundary and contact points.
    page.wait_for_selector("#neighbourhood-map.leaflet-container")
    boundary = page.locator(".leaflet-overlay-pane path")
    assert boundary.count() == 1 + len(neighbourhood.locations)
    box = page.locator("#neighbourhood-map").bounding_box()
    assert box is not None and box["height"] > 200
    assert page.locator(".map-fallback").count() == 0

    # The team: every member listed, under a Spanish heading.
    assert page.inner_text("#team-heading") == "Su equipo del vecindario"
    assert page.locator(".team-member").count() == len(neighbourhood.team)
    assert neighbourhood.team[0].bio["es"] in page.inner_text("#team")
    page.screenshot(path=str(ARTEFACTS / "neighbourhood-es.png"), full_page=True)
    assert accessibility_problems(page) == []

    # Keyboard: the first Tab lands on the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()
    assert errors == []


def test_the_map_page_reads_without_javascript(
    browser: Any, live_server: Any, demo_city: Any
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    neighbourhood = demo_city.neighbourhoods[1]
    page.goto(f"{live_server.url}/agencies/{AGENCY_SLUG}/neighbourhoods/{neighbourhood.slug}/")
    assert page.locator("svg.map-fallback path").count() == 1
    assert page.locator(".team-member").count() == len(neighbourhood.team)
    page.screenshot(path=str(ARTEFACTS / "neighbourhood-no-js.png"), full_page=True)
    context.close()

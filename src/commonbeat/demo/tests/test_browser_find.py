"""A resident on a small phone finds their neighbourhood by typing their address, in Spanish.

Debian's Chromium through Playwright; skipped, with the reason, when no Chromium is
installed, and under CI=true its absence fails. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commonbeat.core.models import AddressPoint
from commonbeat.demo.city import AGENCY_SLUG, build_city
from commonbeat.demo.load import load_city
from commonbeat.demo.streets import load_streets
from commonbeat.testing.browser import ARTEFACTS, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def demo_city(transactional_db: None, tmp_path: Path) -> Any:
    plan = build_city(seed=1)
    load_city(plan)
    load_streets(plan, tmp_path)
    return plan


def test_a_resident_types_their_address_with_a_typo_and_finds_their_neighbourhood(
    browser: Any, live_server: Any, demo_city: Any
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    point = (
        AddressPoint.objects.filter(neighbourhood__isnull=False, street__endswith="Street")
        .select_related("neighbourhood")
        .order_by("pk")[100]
    )
    assert point.neighbourhood is not None
    typed = f"{point.number} {point.street.replace('Street', 'Stret')}"
    page = browser.new_page(viewport=SMALL_PHONE)
    errors = watch_errors(page)

    page.goto(live_server.url + "/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.fill("input[name=q]", typed)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/es/neighbourhoods/find/?q=*")
    clear = page.locator(".clear-match")
    assert point.neighbourhood.name in clear.inner_text()
    page.screenshot(path=str(ARTEFACTS / "find-neighbourhood-es.png"), full_page=True)
    assert accessibility_problems(page) == []

    clear.locator("a.go").click()
    page.wait_for_url(f"**/es/agencies/{AGENCY_SLUG}/neighbourhoods/{point.neighbourhood.slug}/")
    # No tile server here: Leaflet draws the city's own streets, named, under the boundary.
    page.wait_for_selector("#neighbourhood-map.leaflet-container")
    assert page.locator(".leaflet-streets-pane path").count() > 0
    labels = page.locator(".leaflet-tooltip.street-label")
    # Every street in the neighbourhood is named; names that would overlap wait for a zoom.
    assert point.street in labels.all_text_contents()
    assert page.locator(".leaflet-tooltip.street-label:not(.street-label-hidden)").count() > 0
    # Tapping a contact point opens its name inside the map, never cut off at the edge.
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").last.click()
    popup = page.locator(".leaflet-popup")
    popup.wait_for(state="visible")
    # The map pans to bring it into view; wait until it is wholly inside (or time out).
    page.wait_for_function(
        """() => {
          const inner = document.querySelector(".leaflet-popup").getBoundingClientRect();
          const outer = document.getElementById("neighbourhood-map").getBoundingClientRect();
          return inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top;
        }"""
    )
    page.screenshot(path=str(ARTEFACTS / "neighbourhood-streets-es.png"), full_page=True)
    page.locator("#neighbourhood-map").screenshot(path=str(ARTEFACTS / "map-streets-es.png"))
    assert accessibility_problems(page) == []
    page.close()
    assert errors == []


def test_use_my_location_finds_the_neighbourhood_where_scripts_run(
    browser: Any, live_server: Any, demo_city: Any
) -> None:
    neighbourhood = demo_city.neighbourhoods[2]
    lat, lng = neighbourhood.centre
    context = browser.new_context(
        viewport=SMALL_PHONE,
        geolocation={"latitude": lat, "longitude": lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(live_server.url + "/es/neighbourhoods/")
    button = page.locator("button[data-locate]")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_url("**/es/neighbourhoods/find/?lat=*")
    assert neighbourhood.name in page.inner_text(".clear-match")
    context.close()
    assert errors == []


def test_without_javascript_the_search_works_and_the_location_button_stays_hidden(
    browser: Any, live_server: Any, demo_city: Any
) -> None:
    context = browser.new_context(viewport=SMALL_PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert not page.locator("button[data-locate]").is_visible()
    point = AddressPoint.objects.filter(neighbourhood__isnull=False).order_by("pk").first()
    assert point is not None and point.neighbourhood is not None
    page.fill("input[name=q]", f"{point.number} {point.street}")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/neighbourhoods/find/?q=*")
    assert point.neighbourhood.name in page.inner_text(".clear-match")
    page.goto(
        f"{live_server.url}/agencies/{AGENCY_SLUG}/neighbourhoods/{point.neighbourhood.slug}/"
    )
    assert page.locator("svg.map-fallback .street-label").count() > 0
    page.screenshot(path=str(ARTEFACTS / "neighbourhood-streets-no-js.png"), full_page=True)
    page.locator("#neighbourhood-map").screenshot(path=str(ARTEFACTS / "map-streets-no-js.png"))
    context.close()

"""Every dashboard, the catalogue and the API page in a real browser, with axe-core's check.

Debian's Chromium through Playwright at a phone's size, in English and Spanish, for the demo
city's release and for a release of real data. Each page must draw its charts from our own
static files without script or CSP errors, keep its tables (the charts' accessible
alternatives), and pass axe-core with no serious or critical violation. Screenshots go to
test-artifacts/browser/ for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from commonbeat.demo.city import AGENCY_SLUG, CityPlan
from commonbeat.releases.cache import Release
from commonbeat.testing.browser import ARTEFACTS, PHONE, accessibility_problems, watch_errors

pytestmark = [pytest.mark.browser]

DASHBOARDS = ("calls", "crime", "stops", "force", "complaints")
HEADINGS = {  # the page's h1 starts with this, per language
    "en": {
        "calls": "Calls for service",
        "crime": "Crime and outcomes",
        "stops": "Stops",
        "force": "Use of force",
        "complaints": "Complaints",
    },
    "es": {
        "calls": "Llamadas de servicio",
        "crime": "Delitos y resultados",
        "stops": "Paradas",
        "force": "Uso de la fuerza",
        "complaints": "Quejas",
    },
}
# Real data: the agencies with stops, whose equity reports the real release carries.
REAL_EQUITY = ("metropolitan", "city-of-london", "nypd", "seattle-pd")
# Real data: which agency of the real release shows which dashboard.
REAL_PAGES = (
    ("dispatch-911", "calls"),
    ("metropolitan", "stops"),
    ("city-of-london", "stops"),
    ("chicago-pd", "force"),
    ("chicago-pd", "complaints"),
)


def check_page(page: Any, url: str, shot: str, errors: list[str]) -> None:
    """Open a page, wait for its charts, screenshot it and check its accessibility."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    boxes = page.locator(".chart-box")
    for index in range(boxes.count()):
        boxes.nth(index).locator("svg[role=img]").wait_for(state="attached")
    # Every chart keeps its table: the alternative a screen reader or a no-JS phone reads.
    assert page.locator("figure table").count() >= boxes.count()
    page.screenshot(path=str(ARTEFACTS / f"{shot}.png"), full_page=True)
    assert accessibility_problems(page) == [], url
    assert errors == [], url


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_dashboard_of_the_demo_city_reads_well_on_a_phone(
    browser: Any, live_server: Any, published: Release, city: CityPlan, language: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else "/es"
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)
    check_page(page, f"{live_server.url}{prefix}/dashboards/", f"dashboards-{language}", errors)
    neighbourhood = city.neighbourhoods[0].slug
    for name in DASHBOARDS:
        base = f"{live_server.url}{prefix}/dashboards/{AGENCY_SLUG}/{name}/"
        check_page(page, base, f"dashboard-{name}-{language}", errors)
        assert page.locator("html").get_attribute("lang") == language
        assert page.inner_text("h1").startswith(HEADINGS[language][name])
        assert page.locator(".chart-box svg[role=img]").count() >= 1
        check_page(
            page,
            f"{base}?neighbourhood={neighbourhood}&from=2025-03&to=2025-08",
            f"dashboard-{name}-{neighbourhood}-{language}",
            errors,
        )
    check_page(page, f"{live_server.url}{prefix}/data/", f"catalogue-{language}", errors)
    check_page(
        page,
        f"{live_server.url}{prefix}/data/releases/{published.version}/",
        f"release-{language}",
        errors,
    )
    page.close()


NARROW = {"width": 360, "height": 740}  # the narrowest common phone


@pytest.mark.parametrize("name", ["crime", "stops"])
def test_tables_fit_a_360_pixel_phone(
    browser: Any, live_server: Any, published: Release, name: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=NARROW)
    errors = watch_errors(page)
    for url, shot in (
        (f"{live_server.url}/dashboards/{AGENCY_SLUG}/{name}/", f"narrow-{name}"),
        (f"{live_server.url}/dashboards/{AGENCY_SLUG}/stops/equity/", "narrow-equity"),
    ):
        page.goto(url)
        # Nothing on the page is wider than the screen, tables included.
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], url
        widths = page.evaluate(
            "Array.from(document.querySelectorAll('table')).map("
            "t => [t.id, t.getBoundingClientRect().right, t.parentElement.clientWidth,"
            " t.scrollWidth])"
        )
        assert widths
        for table, right, box, scroll in widths:
            assert right <= NARROW["width"] and scroll <= box + 1, (url, table)
        # Each value keeps its column's name beside it once the header row is hidden.
        labels = page.locator("table.stack td[data-label]")
        assert labels.count() > 0
        page.screenshot(path=str(ARTEFACTS / f"{shot}.png"), full_page=True)
    assert errors == []
    page.close()


def test_a_resident_filters_a_dashboard_with_the_keyboard(
    browser: Any, live_server: Any, published: Release, city: CityPlan
) -> None:
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/dashboards/{AGENCY_SLUG}/stops/")
    neighbourhood = city.neighbourhoods[1]
    page.focus("#filter-neighbourhood")
    page.select_option("#filter-neighbourhood", neighbourhood.slug)
    page.fill("#filter-from", "2025-04")
    page.fill("#filter-to", "2025-06")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**neighbourhood={neighbourhood.slug}**")
    assert neighbourhood.name in page.inner_text("h1")
    assert "2025-04" in page.url and "2025-06" in page.url
    assert errors == []
    page.close()


def test_dashboards_read_without_javascript(
    browser: Any, live_server: Any, published: Release
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboards/{AGENCY_SLUG}/calls/")
    # The charts are drawn on the server, so they are there without scripts.
    assert page.locator(".chart-box svg[role=img]").count() > 0
    assert page.locator("figure table tbody tr").count() > 0
    page.screenshot(path=str(ARTEFACTS / "dashboard-calls-no-js.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_dashboards_of_real_data_read_well_on_a_phone(
    browser: Any, live_server: Any, real_release: Release, language: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else "/es"
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)
    for agency, name in REAL_PAGES:
        check_page(
            page,
            f"{live_server.url}{prefix}/dashboards/{agency}/{name}/",
            f"real-{agency}-{name}-{language}",
            errors,
        )
        assert page.inner_text("h1").startswith(HEADINGS[language][name])
        assert page.locator("figure table tbody tr").count() > 0
    page.close()


def check_equity_page(page: Any, url: str, shot: str, errors: list[str], language: str) -> None:
    """An equity page: its heading, one section per analysis, each with its tables."""
    check_page(page, url, shot, errors)
    assert page.locator("html").get_attribute("lang") == language
    with translation.override(language):
        heading = translation.gettext("Equity analyses: %(name)s").split("%(name)s")[0]
    assert page.inner_text("h1").startswith(heading)
    sections = page.locator("section.equity-result")
    assert sections.count() >= 6
    # Every analysis says what was computed, and each table has its caption.
    assert page.locator("section.equity-result h3").count() >= sections.count()
    assert (
        page.locator("section.equity-result table").count()
        == page.locator("section.equity-result table caption").count()
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_equity_page_of_the_demo_city_reads_well_on_a_phone(
    browser: Any, live_server: Any, published: Release, language: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else "/es"
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)
    url = f"{live_server.url}{prefix}/dashboards/{AGENCY_SLUG}/stops/equity/"
    check_equity_page(page, url, f"equity-{AGENCY_SLUG}-{language}", errors, language)
    # The demo city has what every analysis needs: each shows its findings and tables.
    assert (
        page.locator("section.equity-result .findings").count()
        == page.locator("section.equity-result").count()
    )
    assert page.locator("section.equity-result table tbody tr").count() > 20
    check_page(page, f"{url}?analysis=outcome", f"equity-{AGENCY_SLUG}-outcome-{language}", errors)
    page.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_equity_pages_of_real_stop_data_read_well_on_a_phone(
    browser: Any, live_server: Any, real_release: Release, language: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else "/es"
    page = browser.new_page(viewport=PHONE)
    errors = watch_errors(page)
    for agency in REAL_EQUITY:
        url = f"{live_server.url}{prefix}/dashboards/{agency}/stops/equity/"
        check_equity_page(page, url, f"real-{agency}-equity-{language}", errors, language)
        # Analyses the records cannot support say why rather than show nothing.
        applicable = page.locator("section.equity-result .findings").count()
        reasons = page.locator("section.equity-result .not-applicable").count()
        assert applicable + reasons >= page.locator("section.equity-result").count()
    page.close()

"""Every public page in Spanish, in a real browser: no English vocabulary label and no
untranslated staff text may show outside an element marked `lang="en"`.

The English labels come from the catalogue itself (records/labels.py), and the staff text from
every field registered with modeltranslation, so neither list can go stale. Screenshots go to
test-artifacts/browser/spanish-*.png.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from modeltranslation.translator import translator

from commonbeat.core.models import Agency, Neighbourhood, Officer
from commonbeat.demo.city import AGENCY_SLUG, CityPlan
from commonbeat.records import labels
from commonbeat.releases.cache import Release
from commonbeat.testing.browser import ARTEFACTS, PHONE

pytestmark = [pytest.mark.browser]

DASHBOARDS = ("calls", "crime", "stops", "force", "complaints")

# The page's text a Spanish reader is given as Spanish: without scripts (json_script data) and
# without elements that declare another language (source text shown as recorded).
SPANISH_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, [lang]:not([lang^="es"])').forEach((e) => e.remove());
  return body.textContent.replace(/\\s+/g, ' ');
}"""


def english_only_labels() -> list[str]:
    """Return the catalogue's English labels whose Spanish is different (so must not show)."""
    found = []
    for text in sorted(labels.english_labels()):
        with translation.override("es"):
            spanish = translation.gettext(text)
        if spanish != text:
            found.append(text)
    return found


def untranslated_staff_text() -> list[str]:
    """Return every staff-written English text that has a different Spanish version."""
    found = []
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).all_fields
        for obj in model._default_manager.all():
            for field in fields:
                english = getattr(obj, f"{field}_en") or ""
                spanish = getattr(obj, f"{field}_es") or ""
                if english and english != spanish:
                    found.append(re.sub(r"\s+", " ", english).strip())
    return found


def proper_names() -> list[str]:
    """Return the names pages show in every language (agencies, places, people), longest first."""
    names = {a.name for a in Agency.objects.all()} | {n.name for n in Neighbourhood.objects.all()}
    for officer in Officer.objects.all():
        names |= {officer.first_name, officer.last_name}
    return sorted(names, key=len, reverse=True)


def english_on_page(
    text: str, vocabulary: list[str], staff: list[str], names: list[str]
) -> list[str]:
    """Return the English labels and staff texts found in a page's Spanish text."""
    for name in names:
        text = text.replace(name, " ")
    problems = [f"staff text: {t!r}" for t in staff if t in text]
    problems += [
        f"label: {label!r}"
        for label in vocabulary
        if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)
    ]
    return problems


def test_english_labels_and_staff_text_are_found_when_present() -> None:
    vocabulary = ["Theft", "Under 18"]
    text = " Hurto Under 18 Robo con allanamiento Alarma "
    assert english_on_page(text, vocabulary, ["Front desk open 24 hours."], []) == [
        "label: 'Under 18'"
    ]
    assert english_on_page(" Alarma Theftly ", ["Alarm", "Theft"], [], []) == []
    assert "Theft" in english_only_labels() and "Detective" not in english_only_labels()


def test_every_public_page_reads_spanish_in_spanish(
    browser: Any, live_server: Any, published: Release, city: CityPlan
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    vocabulary, staff, names = english_only_labels(), untranslated_staff_text(), proper_names()
    assert len(vocabulary) > 80 and len(staff) > 20
    base = f"{live_server.url}/es"
    pages = {
        "home": f"{base}/",
        "neighbourhoods": f"{base}/neighbourhoods/",
        "agency": f"{base}/agencies/{AGENCY_SLUG}/",
        "dashboards": f"{base}/dashboards/",
        "equity": f"{base}/dashboards/{AGENCY_SLUG}/stops/equity/",
        "catalogue": f"{base}/data/",
        "release": f"{base}/data/releases/{published.version}/",
        "api-docs": f"{base}/api/",
    }
    for planned in city.neighbourhoods:
        pages[f"neighbourhood-{planned.slug}"] = (
            f"{base}/agencies/{AGENCY_SLUG}/neighbourhoods/{planned.slug}/"
        )
    for name in DASHBOARDS:
        pages[f"dashboard-{name}"] = f"{base}/dashboards/{AGENCY_SLUG}/{name}/"
        pages[f"dashboard-{name}-{city.neighbourhoods[0].slug}"] = (
            f"{base}/dashboards/{AGENCY_SLUG}/{name}/?neighbourhood={city.neighbourhoods[0].slug}"
        )
    context = browser.new_context(locale="es-MX", viewport=PHONE)
    page = context.new_page()
    problems = {}
    for shot, url in pages.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "es", url
        page.screenshot(path=str(ARTEFACTS / f"spanish-{shot}.png"), full_page=True)
        found = english_on_page(page.evaluate(SPANISH_TEXT), vocabulary, staff, names)
        if found:
            problems[url] = found
    # The Spanish content is there, not only the English absent.
    page.goto(pages[f"neighbourhood-{city.neighbourhoods[0].slug}"])
    team = page.inner_text("#team")
    assert city.neighbourhoods[0].team[0].bio["es"] in team
    assert city.neighbourhoods[0].team[0].role["es"] in team
    context.close()
    assert problems == {}

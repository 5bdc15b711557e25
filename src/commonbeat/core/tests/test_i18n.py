from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.test import Client

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"

# The `city` fixture's value: the root conftest's small demo city, a CityPlan (demo/city.py),
# used by its attributes only, since core's tests name no layer above core.
City = Any


def test_every_string_has_a_spanish_translation() -> None:
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 100


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {
        e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "django.po")).translated_entries()
    }
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(LOCALE / "django.mo")) if e.msgid}
    assert compiled == source, "run `make messages` to recompile django.mo"


def test_spanish_pages_are_in_spanish(city: City, client: Client) -> None:
    html = client.get(
        f"/es/agencies/{city.agency['slug']}/neighbourhoods/{city.neighbourhoods[0].slug}/"
    ).content.decode()
    assert '<html lang="es">' in html
    assert "Su equipo del vecindario" in html
    assert "Your neighbourhood team" not in html


def test_every_page_links_to_itself_in_the_other_language(city: City, client: Client) -> None:
    path = f"/agencies/{city.agency['slug']}/"
    english = client.get(path).content.decode()
    assert f'href="/es{path}" lang="es" hreflang="es"' in english
    spanish = client.get(f"/es{path}").content.decode()
    assert f'href="{path}" lang="en" hreflang="en"' in spanish


def test_every_translatable_string_in_the_code_is_in_the_catalogue() -> None:
    import re

    source = Path(__file__).resolve().parents[2]
    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "django.po"))}
    found: dict[str, str] = {}
    for template in source.rglob("templates/**/*.html"):
        for match in re.finditer(
            r"""\{% translate (["'])(.+?)\1 %\}""", template.read_text(encoding="utf-8")
        ):
            found[match[2]] = str(template.relative_to(source))
    for module in source.rglob("*.py"):
        if "tests" in module.parts or "migrations" in module.parts:
            continue
        for match in re.finditer(
            r"""\b_\((["'])((?:(?!\1).)+)\1\)""", module.read_text(encoding="utf-8")
        ):
            found[match[2]] = str(module.relative_to(source))
    missing = {text: where for text, where in found.items() if text not in catalogue}
    assert len(found) > 100
    assert missing == {}, "run `make messages` and translate"

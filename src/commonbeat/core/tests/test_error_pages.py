"""Error pages with DEBUG off (as the suite and the demo run): helpful, translated, leak nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from commonbeat.core import api

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What Django's debug pages show and a production page must not: URL patterns, tracebacks,
# settings, source paths.
LEAKS = [
    "URLconf",
    "urlpatterns",
    "backoffice/",
    "Traceback",
    "SECRET_KEY",
    "DATABASES",
    "settings.py",
    str(PACKAGE_DIR.parent),
    ".py",
]


def assert_nothing_leaks(page: str) -> None:
    found = [leak for leak in LEAKS if leak in page]
    assert found == [], f"the error page shows {found}"


def test_the_suite_runs_with_debug_off() -> None:
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_a_mistyped_address_answers_the_english_page_not_found(client: Client) -> None:
    response = client.get("/neighbourhods/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Page not found</h1>" in page
    assert 'href="/neighbourhoods/"' in page  # a way on
    assert_nothing_leaks(page)


@pytest.mark.django_db
def test_a_missing_page_under_es_answers_the_spanish_page_not_found(client: Client) -> None:
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "<h1>Página no encontrada</h1>" in page
    assert 'href="/es/neighbourhoods/"' in page
    assert_nothing_leaks(page)


@pytest.mark.django_db
def test_a_missing_record_answers_page_not_found_without_naming_the_query(client: Client) -> None:
    response = client.get("/agencies/no-such-agency/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "No Agency matches" not in page
    assert_nothing_leaks(page)


def _break_the_home_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise RuntimeError(f"boom in {PACKAGE_DIR / 'views.py'} with SECRET_KEY nearby")

    monkeypatch.setattr(api, "agencies", fail)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "language", "heading"),
    [("/", "en", '<h1 id="error-en">'), ("/es/", "es", '<h1 id="error-es">')],
)
def test_an_exception_answers_the_server_error_page_and_leaks_nothing(
    monkeypatch: pytest.MonkeyPatch, address: str, language: str, heading: str
) -> None:
    _break_the_home_page(monkeypatch)
    response = Client(raise_request_exception=False).get(address)
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    # The visitor's language first as the page's heading, every other language after it.
    assert heading in page
    assert page.count("<h1") == 1
    assert {f'<section lang="{code}"' in page for code, _name in settings.LANGUAGES} == {True}
    assert 'href="/"' in page and 'href="/es/"' in page
    assert "boom" not in page
    assert_nothing_leaks(page)


def test_the_server_error_page_renders_without_a_request() -> None:
    # Django renders 500.html with no request: it must need no context processor, no url or
    # static tag (the manifest or the URLconf may be what failed).
    from django.template import loader

    page = loader.get_template("500.html").render({"language": "en", "languages": [("en", "/")]})
    assert "<h1" in page and "{%" not in page
    source = (PACKAGE_DIR.parent / "templates" / "500.html").read_text()
    assert "{% extends" not in source
    assert "{% url" not in source and "{% static" not in source


def _lose_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    def fail() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(api, "agencies", fail)


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "language"), [("/", "en"), ("/es/", "es")])
def test_a_lost_database_connection_answers_try_again_in_the_visitors_language(
    monkeypatch: pytest.MonkeyPatch, address: str, language: str
) -> None:
    _lose_the_database(monkeypatch)
    response = Client(raise_request_exception=False).get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert page.count("<h1") == 1
    assert "server closed the connection" not in page
    assert_nothing_leaks(page)


@pytest.mark.django_db
def test_a_lost_database_connection_answers_a_program_with_retryable_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _lose_the_database(monkeypatch)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["retryable"] is True and body["error"] == "unavailable"
    assert "server closed" not in body["message"]  # our words, never the driver's

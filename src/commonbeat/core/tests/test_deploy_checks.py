"""`commonbeat check --deploy` warns about unsafe combinations, in our variables' names."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from commonbeat.core.checks import check_deployment, is_loopback

PUBLIC = ["police.example.org"]
SAFE = {
    "ALLOWED_HOSTS": PUBLIC,
    "DEBUG": False,
    "SECURE_COOKIES": True,
    "CACHE_URL": "redis://cache:6379/0",
    "AXES_IPWARE_PROXY_COUNT": 1,
}


def ids(**changes: object) -> list[str]:
    with override_settings(**{**SAFE, **changes}):
        return [m.id for m in check_deployment() if m.id]


def test_a_safe_public_deployment_has_no_warnings() -> None:
    assert ids() == []


def test_it_warns_about_debug_on_a_public_host() -> None:
    assert ids(DEBUG=True) == ["commonbeat.W001"]


def test_it_warns_about_cookies_without_https_on_a_public_host() -> None:
    assert ids(SECURE_COOKIES=False) == ["commonbeat.W002"]


def test_it_warns_that_rate_limits_are_per_process_without_a_shared_cache() -> None:
    assert ids(CACHE_URL="") == ["commonbeat.W003"]


def test_it_warns_about_a_proxy_it_was_not_told_to_count() -> None:
    header = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ids(SECURE_PROXY_SSL_HEADER=header, AXES_IPWARE_PROXY_COUNT=0) == ["commonbeat.W004"]


def test_loopback_only_sites_are_left_alone() -> None:
    loopback = ["127.0.0.1", "localhost", "[::1]"]
    assert ids(ALLOWED_HOSTS=loopback, DEBUG=True, SECURE_COOKIES=False, CACHE_URL="") == []
    assert all(is_loopback(h) for h in loopback)
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.0.0.5", ".example.org"))  # noqa: S104


def test_the_command_reports_them() -> None:
    with (
        override_settings(**{**SAFE, "DEBUG": True, "SECURE_COOKIES": False}),
        pytest.raises(SystemCheckError) as raised,
    ):
        call_command("check", "--deploy", "--fail-level", "WARNING")
    assert "commonbeat.W001" in str(raised.value) and "commonbeat.W002" in str(raised.value)

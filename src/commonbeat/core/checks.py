"""Deployment checks: `commonbeat check --deploy` warns about settings that are unsafe on a
public site, in the names of our environment variables (docs/settings.md).

Django's own deployment checks run beside these and speak of Django's settings; these add
what only Commonbeat knows: which variables the operator sets, and how they combine.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


def is_loopback(host: str) -> bool:
    """Return whether an ALLOWED_HOSTS entry names only this machine."""
    if host in ("localhost", ".localhost") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_hosts() -> list[str]:
    """Return the ALLOWED_HOSTS entries that other machines can reach."""
    return [host for host in settings.ALLOWED_HOSTS if not is_loopback(host)]


@register(Tags.security, deploy=True)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Return warnings for a site served beyond this machine with unsafe settings."""
    hosts = public_hosts()
    if not hosts:
        return []  # the demo and commands on 127.0.0.1: nothing here is exposed
    named = ", ".join(hosts)
    found: list[CheckMessage] = []
    if settings.DEBUG:
        found.append(
            CheckWarning(
                f"DEBUG is True while ALLOWED_HOSTS names {named}.",
                hint="Error pages would show code and settings to visitors: set DEBUG=False.",
                id="commonbeat.W001",
            )
        )
    if not settings.SECURE_COOKIES:
        found.append(
            CheckWarning(
                f"SECURE_COOKIES is False while ALLOWED_HOSTS names {named}.",
                hint="Sign-in cookies would travel unencrypted: serve over HTTPS and unset it.",
                id="commonbeat.W002",
            )
        )
    if not settings.CACHE_URL:
        found.append(
            CheckWarning(
                "CACHE_URL is not set: each server process keeps its own API rate limits.",
                hint=(
                    "With several workers a client gets the burst once per worker; set "
                    "CACHE_URL=redis://host:6379/0, or serve with one worker."
                ),
                id="commonbeat.W003",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.AXES_IPWARE_PROXY_COUNT:
        found.append(
            CheckWarning(
                "BEHIND_HTTPS_PROXY is True but PROXY_COUNT is 0.",
                hint=(
                    "Log-in throttling sees the proxy's address, so one person's failures "
                    "lock out everyone: set PROXY_COUNT to the number of proxies in front."
                ),
                id="commonbeat.W004",
            )
        )
    return found

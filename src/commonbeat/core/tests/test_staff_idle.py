"""Staff sessions expire after STAFF_IDLE_MINUTES without a request; the sign-in page says why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from commonbeat.core import idle
from commonbeat.core.roles import STAFF_ROLES, Role


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Return a function that moves the middleware's clock forward by some minutes."""
    offset = [0.0]
    real = idle.now
    monkeypatch.setattr(idle, "now", lambda: real() + offset[0])

    def advance(minutes: float) -> None:
        offset[0] += minutes * 60

    return advance


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_are_signed_out_after_the_idle_time_and_told_why(
    client_as: Callable[[str], Client], clock: Callable[[float], None], role: str
) -> None:
    client = client_as(role)
    assert client.get("/account/").status_code == 200
    clock(31)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity." in page.content.decode()
    # Signed out for good: the next request is anonymous, not a new idle clock.
    assert client.get("/account/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_within_the_idle_time_keeps_staff_signed_in(
    client_as: Callable[[str], Client], clock: Callable[[float], None]
) -> None:
    client = client_as(Role.ANALYST)
    for _ in range(4):
        assert client.get("/account/").status_code == 200
        clock(20)  # 80 minutes in all, never 30 of them idle
    assert client.get("/account/").status_code == 200


def test_the_idle_time_is_a_setting_and_the_message_counts_in_the_language(
    client_as: Callable[[str], Client], clock: Callable[[float], None]
) -> None:
    client = client_as(Role.ADMINISTRATOR)
    with override_settings(STAFF_IDLE_MINUTES=1):
        assert client.get("/backoffice/").status_code == 200
        clock(0.5)
        assert client.get("/backoffice/").status_code == 200
        clock(1.5)
        response = client.get("/backoffice/", follow=True)
    assert "You were signed out after 1 minute without activity." in response.content.decode()


def test_residents_keep_their_ordinary_session(
    client_as: Callable[[str], Client], clock: Callable[[float], None]
) -> None:
    client = client_as(Role.RESIDENT)
    assert client.get("/account/").status_code == 200
    clock(24 * 60)
    assert client.get("/account/").status_code == 200
    assert idle.LAST_SEEN not in client.session

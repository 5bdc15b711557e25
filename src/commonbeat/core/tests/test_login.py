from __future__ import annotations

import pytest
from django.test import Client

from commonbeat.core.models import User
from commonbeat.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff(db: None) -> User:
    user = User(username="sgt-jones", role=Role.SUPERVISOR)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client: Client, password: str) -> int:
    return client.post(
        "/account/login/",
        {"username": "sgt-jones", "password": password},
        REMOTE_ADDR="203.0.113.9",
    ).status_code


def test_passwords_are_hashed_with_argon2(staff: User) -> None:
    assert staff.password.startswith("argon2")
    assert PASSWORD not in staff.password


def test_a_correct_password_logs_in(staff: User, client: Client) -> None:
    assert log_in(client, PASSWORD) == 302
    assert client.get("/account/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(staff: User, client: Client) -> None:
    response = client.post(
        "/account/login/", {"username": "sgt-jones", "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_repeated_failures_lock_the_account_out(staff: User, client: Client) -> None:
    for _ in range(5):
        assert log_in(client, "wrong") in (200, 429)
    # Even the right password is refused while the lock-out lasts.
    assert log_in(client, PASSWORD) == 429
    assert client.get("/account/").status_code == 302
    # Another address is not locked out by this one's failures.
    other = Client()
    response = other.post(
        "/account/login/",
        {"username": "sgt-jones", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302

"""`commonbeat createsuperuser` makes an Administrator who can use the back office."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from commonbeat.core import audit
from commonbeat.core.models import AuditEntry, User
from commonbeat.core.roles import Role

PASSWORD = "a long passphrase for the first admin"


@pytest.fixture
def created(db: None, monkeypatch: pytest.MonkeyPatch) -> User:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", username="first", email="first@example.org", interactive=False)
    return User.objects.get(username="first")


def test_it_makes_an_administrator_by_role(created: User) -> None:
    assert created.role == Role.ADMINISTRATOR
    assert created.is_staff
    assert not created.is_superuser  # the role decides, never Django's superuser flag


def test_the_administrator_can_use_the_back_office(created: User) -> None:
    client = Client()
    signed_in = client.post(
        "/account/login/", {"username": "first", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert signed_in.status_code == 302
    response = client.get("/backoffice/")
    assert response.status_code == 200
    assert client.get("/backoffice/core/user/").status_code == 200


def test_it_is_logged_in_the_audit_log_as_the_command(created: User) -> None:
    entry = AuditEntry.objects.get(model="core.user", object_pk=str(created.pk), action="create")
    assert entry.actor == "command:createsuperuser"
    assert entry.changes["role"] == [None, Role.ADMINISTRATOR]
    assert entry.changes["password"] == [None, audit.REDACTED]
    assert PASSWORD not in str(entry.changes)
    assert audit.verify().ok


def test_the_manager_makes_an_administrator_too(db: None) -> None:
    user = User.objects.create_superuser("second", "s@example.org", PASSWORD, is_superuser=True)
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMINISTRATOR, True, False)

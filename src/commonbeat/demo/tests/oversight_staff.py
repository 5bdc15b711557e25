"""The demo's staff accounts, for tests that work the demo's cases (as `--accounts yes` does)."""

from __future__ import annotations

from commonbeat.core.models import User
from commonbeat.demo.load import DEMO_ACCOUNTS
from commonbeat.demo.oversight.cases import Staff, staff_accounts


def demo_staff() -> Staff:
    for username, role in DEMO_ACCOUNTS:
        User.objects.get_or_create(username=username, defaults={"role": role})
    staff = staff_accounts()
    assert staff is not None
    return staff

"""Receipts: codes unique and easy to read aloud, secrets kept only as a keyed hash."""

from __future__ import annotations

import re

import pytest

from commonbeat.oversight.cases import receipts


@pytest.mark.django_db
def test_a_tracking_code_uses_only_letters_and_digits_that_cannot_be_confused() -> None:
    codes = {receipts.new_reference() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"CB-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code) & set("01OIL")
    assert receipts.new_reference("UF").startswith("UF-")


def test_a_secret_is_checked_against_its_hash_and_nothing_else() -> None:
    secret = receipts.new_secret()
    stored = receipts.hash_secret(secret)
    assert secret not in stored
    assert receipts.check_secret(secret, stored)
    assert receipts.check_secret(f"  {secret.upper()} ", stored)  # as typed back
    assert not receipts.check_secret(receipts.new_secret(), stored)
    assert not receipts.check_secret(secret, "")  # an internal case has no secret

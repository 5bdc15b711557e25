"""The status page: the stage and dates for whoever holds the code and the secret, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonbeat.oversight.tests.intake_helpers import GOOD


@pytest.fixture
def filed(city: object) -> dict[str, Any]:
    body = {**GOOD, "complainant_name": "Ana Pérez", "officer_name": "Officer Dredd"}
    response = Client().post("/oversight/api/reports", body)
    assert response.status_code == 201
    return response.json()


@pytest.mark.django_db
def test_the_code_and_secret_show_the_stage_and_nothing_confidential(filed: dict[str, Any]) -> None:
    response = Client().post(
        "/oversight/status/", {"reference": filed["reference"], "secret": filed["secret"]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Received" in page
    for private in ("Ana Pérez", "Dredd", "pushed me", "Main Street"):
        assert private not in page


@pytest.mark.django_db
def test_a_wrong_secret_and_an_unknown_code_get_the_same_answer(filed: dict[str, Any]) -> None:
    wrong = Client().post("/oversight/status/", {"reference": filed["reference"], "secret": "x"})
    unknown = Client().post("/oversight/status/", {"reference": "CB-AAAA-AAAA", "secret": "x"})
    assert wrong.status_code == unknown.status_code == 400
    assert "No report matches" in wrong.content.decode()
    assert "Received" not in wrong.content.decode()


@pytest.mark.django_db
def test_the_status_api_answers_json_in_the_same_shape(filed: dict[str, Any]) -> None:
    answer = Client().post(
        "/oversight/api/status", {"reference": filed["reference"], "secret": filed["secret"]}
    )
    assert answer.status_code == 200
    assert answer.json() == filed["status"]
    missing = Client().post(
        "/oversight/api/status", {"reference": filed["reference"], "secret": "no"}
    )
    assert missing.status_code == 404


@pytest.mark.django_db
def test_the_code_is_never_in_the_address(filed: dict[str, Any]) -> None:
    assert Client().get(f"/oversight/status/?reference={filed['reference']}").status_code == 200
    page = Client().get(f"/oversight/status/?reference={filed['reference']}").content.decode()
    assert "Received" not in page

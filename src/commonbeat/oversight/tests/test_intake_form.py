"""The report form: anyone files in English or Spanish, staff file on someone's behalf, the
receipt is shown once and e-mailed in the chosen language; scripts are turned away quietly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from commonbeat.oversight.cases.models import Complaint
from commonbeat.oversight.intake import forms
from commonbeat.oversight.tests.intake_helpers import photo_with_gps
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

FORM = {
    "kind": "complaint",
    "incident_date": "2026-11-01",
    "incident_time": "21:30",
    "location_text": "Grand Avenue by the library",
    "narrative": "The officer would not give me his badge number and laughed at me.",
    "complainant_name": "Ana Pérez",
    "complainant_email": "ana@example.org",
    "language": "es",
    "officer-TOTAL_FORMS": "2",
    "officer-INITIAL_FORMS": "0",
    "officer-0-description": "Bigote gris, bicicleta",
    "officer-1-description": "",
    "witness-TOTAL_FORMS": "2",
    "witness-INITIAL_FORMS": "0",
    "witness-0-name": "Luis",
    "witness-0-contact": "555-0101",
}


@pytest.fixture
def aged(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The form as a person sends it: shown some seconds before."""
    monkeypatch.setattr(forms, "MIN_SECONDS", 0)
    return {**FORM, "token": forms.form_token()}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/oversight/report/", "Report a complaint"),
        ("/es/oversight/report/", "Presentar una queja"),
    ],
)
def test_everyone_may_open_the_form_in_either_language(
    client_as: Any, persona: str, address: str, heading: str
) -> None:
    page = client_as(persona).get(address).content.decode()
    assert heading in page
    assert 'for="id_narrative"' in page and 'name="officer-1-badge"' in page
    assert ('name="channel"' in page) == (persona not in (ANONYMOUS, "resident"))


@pytest.mark.django_db
def test_a_resident_files_in_spanish_and_gets_the_receipt_on_screen_and_by_email(
    city: object, aged: dict[str, str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/es/oversight/report/", {**aged, "attachments": photo_with_gps()})
    assert response.status_code == 200
    case = Complaint.objects.get()
    page = response.content.decode()
    assert "Su informe fue recibido" in page and case.reference in page
    assert case.language == "es" and case.witnesses.get().name == "Luis"
    assert case.attachments.count() == 1 and case.channel == "web" and not case.on_behalf
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and case.reference in message.body
    assert "Código de seguimiento" in message.body
    assert "/es/oversight/status/" in message.body


@pytest.mark.django_db
def test_staff_taking_a_telephone_report_is_recorded_as_filing_on_someones_behalf(
    city: object, client_as: Any
) -> None:
    client = client_as("investigator")
    response = client.post("/oversight/report/", {**FORM, "channel": "phone", "language": "en"})
    assert response.status_code == 200
    case = Complaint.objects.get()
    assert case.channel == "phone" and case.on_behalf and case.filed_by.role == "investigator"


@pytest.mark.django_db
def test_an_organisation_filing_is_recorded_as_such(city: object, aged: dict[str, str]) -> None:
    Client().post("/oversight/report/", {**aged, "organisation": "Eastside Tenants Union"})
    case = Complaint.objects.get()
    assert case.channel == "organisation" and case.on_behalf
    assert case.organisation == "Eastside Tenants Union"


@pytest.mark.django_db
def test_the_hidden_field_only_a_script_fills_stores_nothing(
    city: object, aged: dict[str, str]
) -> None:
    response = Client().post("/oversight/report/", {**aged, "website": "http://spam.example"})
    assert response.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_form_sent_faster_than_a_person_types_is_sent_back(city: object) -> None:
    response = Client().post("/oversight/report/", {**FORM, "token": forms.form_token()})
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert "too quickly" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_date_comes_back_on_the_form_with_what_was_typed(
    city: object, aged: dict[str, str]
) -> None:
    response = Client().post("/es/oversight/report/", {**aged, "incident_date": "ayer"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "año-mes-día" in page and "Bigote gris" in page
    assert not Complaint.objects.exists()

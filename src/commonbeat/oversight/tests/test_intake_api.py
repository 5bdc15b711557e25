"""The intake API: a whole report stored with its receipt, or a 4xx naming what to fix and
nothing stored."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings
from PIL import Image

from commonbeat.core.models import Assignment
from commonbeat.oversight.cases.models import Attachment, Complaint, InvolvedOfficer, StageChange
from commonbeat.oversight.intake import files
from commonbeat.oversight.tests.intake_helpers import GOOD, named, photo_with_gps, stored_files

URL = "/oversight/api/reports"


def post(data: dict[str, Any], client: Client | None = None) -> Any:
    return (client or Client()).post(URL, data)


@pytest.mark.django_db
def test_an_anonymous_report_is_stored_whole_with_a_receipt(city: object) -> None:
    from commonbeat.core.models import Neighbourhood

    inside = Neighbourhood.objects.order_by("pk").first()
    assert inside is not None
    where = {"latitude": str(inside.centre_latitude), "longitude": str(inside.centre_longitude)}
    response = post(
        {**GOOD, **where, "officer_description": "tall, on a bicycle", "anonymous": "true"}
    )
    assert response.status_code == 201
    body = response.json()
    case = Complaint.objects.get(reference=body["reference"])
    assert body["secret"] and body["secret"] not in case.secret_hash
    assert case.channel == "api" and case.anonymous and case.complainant_name == ""
    assert case.stage == "received" and case.neighbourhood == inside  # found from the point
    assert InvolvedOfficer.objects.get(complaint=case).description == "tall, on a bicycle"
    assert StageChange.objects.filter(complaint=case).count() == 1
    assert body["status"]["stage"] == "received"
    assert "narrative" not in body["status"]


@pytest.mark.django_db
def test_a_json_body_works_as_well_as_a_form(city: object) -> None:
    payload = {**GOOD, "officers": [{"name": "", "badge": "", "description": "short"}]}
    response = Client().post(URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert Complaint.objects.get().officers.get().description == "short"


@pytest.mark.django_db
def test_a_badge_on_the_roster_links_the_officer(city: object) -> None:
    assignment = Assignment.objects.filter(end_date__isnull=True).exclude(badge_number="").first()
    assert assignment is not None
    response = post({**GOOD, "officer_badge": assignment.badge_number})
    assert response.status_code == 201
    assert Complaint.objects.get().officers.get().officer == assignment.officer


@pytest.mark.django_db
def test_a_spanish_client_is_told_what_to_fix_in_spanish(city: object) -> None:
    # With no language of its own, a report is answered in its sender's Accept-Language;
    # a report's own language wins.
    bad_date = {k: v for k, v in GOOD.items() if k != "language"} | {"incident_date": "20/11/2026"}
    by_header = Client().post(URL, bad_date, HTTP_ACCEPT_LANGUAGE="es")
    assert by_header.status_code == 400
    assert "año-mes-día" in by_header.json()["fields"]["incident_date"][0]
    by_field = post({**bad_date, "language": "es"})
    assert "año-mes-día" in by_field.json()["fields"]["incident_date"][0]
    english = Client().post(URL, {**bad_date, "language": "en"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "year-month-day" in english.json()["fields"]["incident_date"][0]
    unknown = Client().post(
        "/oversight/api/status", {"reference": "CB-NOPE", "secret": "x"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert unknown.status_code == 404 and "código" in unknown.json()["message"]
    assert not Complaint.objects.exists()
    good = {k: v for k, v in GOOD.items() if k != "language"}
    filed = Client().post(URL, good, HTTP_ACCEPT_LANGUAGE="es")
    assert filed.status_code == 201
    assert Complaint.objects.get(reference=filed.json()["reference"]).language == "es"


@pytest.mark.django_db
def test_a_name_close_to_one_officers_links_them_and_an_unclear_one_links_nobody(
    city: object,
) -> None:
    from commonbeat.core.models import Agency, Officer

    agency = Agency.objects.get()
    mateo = Officer.objects.create(
        agency=agency, uid="t-1", first_name="Mateo", last_name="Castellanos"
    )
    for n in range(2):  # two officers of the same name: nobody can tell which was meant
        Officer.objects.create(agency=agency, uid=f"t-{n + 2}", first_name="Lee", last_name="Wong")
    # One letter wrong and the words swapped: still clearly Mateo Castellanos.
    assert post({**GOOD, "officer_name": "Castelanos Mateo"}).status_code == 201
    assert Complaint.objects.get().officers.get().officer == mateo
    Complaint.objects.all().delete()
    assert post({**GOOD, "officer_name": "Lee Wong"}).status_code == 201
    involved = Complaint.objects.get().officers.get()
    assert involved.officer is None and involved.name_given == "Lee Wong"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"incident_date": "14/03/2026"}, "incident_date", "year-month-day"),
        ({"incident_date": "2999-01-01"}, "incident_date", "future"),
        ({"narrative": ""}, "narrative", "what happened"),
        ({"officer_badge": "99999"}, "officer_badge_1", "badge 99999"),
        ({"incident_time": "25:99"}, "incident_time", "21:30"),
        ({"complainant_email": "not-an-address"}, "complainant_email", "name@example.org"),
        ({"kind": "praise"}, "kind", "commendation"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    city: object, change: dict[str, str], field: str, words: str
) -> None:
    response = post({**GOOD, **change})
    assert response.status_code == 400
    errors = response.json()["fields"]
    assert field in errors, errors
    assert words.lower() in " ".join(errors[field]).lower()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
@override_settings(INTAKE_FILE_MAX_MB=1)
@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (named("photo.jpg", b"MZ\x90\x00" + b"\x00" * 4000), "not a photo"),
        (named("photo.jpg", b"\xff\xd8\xff\xe0" + b"junk" * 100), "not a photo"),
        (named("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10), "application/pdf"), "1 mb"),
    ],
)
def test_a_disguised_or_oversized_file_is_refused_and_nothing_is_kept(
    city: object, upload: Any, words: str
) -> None:
    response = post({**GOOD, "attachments": upload})
    assert response.status_code == 400
    assert words in " ".join(response.json()["fields"]["attachments"]).lower()
    assert not Complaint.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_a_file_is_what_its_bytes_say_whatever_its_name(city: object) -> None:
    response = post({**GOOD, "attachments": named("holiday.jpg", b"%PDF-1.4\n%...\n")})
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.content_type) == ("pdf", "application/pdf")
    assert attachment.stored_name.endswith(".pdf") and "holiday" not in attachment.stored_name


@pytest.mark.django_db
def test_a_photo_is_stored_without_its_exif_and_gps(city: object) -> None:
    sent = photo_with_gps()
    with Image.open(sent) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry GPS
    sent.seek(0)
    assert post({**GOOD, "attachments": sent}).status_code == 201
    attachment = Attachment.objects.get()
    path = files.path_of(attachment.stored_name)
    raw = path.read_bytes()
    assert b"SecretCam" not in raw and b"Exif" not in raw
    with Image.open(path) as kept:
        assert not kept.getexif() and "exif" not in kept.info
        assert kept.size == (64, 48)
    assert str(files.root().resolve()) not in {"", "/"}
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_a_database_failure_leaves_no_case_and_no_file(city: object) -> None:
    with (
        mock.patch(
            "commonbeat.oversight.cases.services.record_receipt",
            side_effect=RuntimeError("db gone"),
        ),
        pytest.raises(RuntimeError),
    ):
        Client().post(URL, {**GOOD, "attachments": photo_with_gps()})
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_the_same_report_sent_twice_is_linked_to_the_first(city: object) -> None:
    first = post(GOOD).json()
    again = post({**GOOD, "narrative": GOOD["narrative"].upper() + "  "}).json()
    assert again["duplicate"] is True and again["duplicate_of"] == first["reference"]
    assert (
        Complaint.objects.get(reference=again["reference"]).duplicate_of.reference
        == first["reference"]
    )
    other_day = post({**GOOD, "incident_date": "2026-10-30"}).json()
    assert other_day["duplicate"] is False


@pytest.mark.django_db
@override_settings(INTAKE_RATE_PER_HOUR=2)
def test_a_client_over_its_hourly_limit_is_asked_to_wait(city: object) -> None:
    client = Client()
    assert post(GOOD, client).status_code == 201
    assert post({**GOOD, "incident_date": "2026-10-02"}, client).status_code == 201
    refused = post({**GOOD, "incident_date": "2026-10-03"}, client)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["error"] == "rate_limited"
    assert Complaint.objects.count() == 2

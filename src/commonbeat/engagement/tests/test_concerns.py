"""Residents' concerns on the web: the open concerns of the same service within 50 m are
shown before the details, so a resident can follow one instead; a new concern is routed to
the neighbourhood covering its point; its photo loses its metadata and stays private until
staff look at it; status notes reach the reporter and followers in their own language;
duplicates are linked; the back office follows the policy."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from commonbeat.core.models import Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.concerns import files, services
from commonbeat.engagement.concerns.models import Concern, Service
from commonbeat.testing.engagement import restore_default_services
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(city: Any, settings: Any, tmp_path: Any) -> Neighbourhood:
    restore_default_services()
    settings.CONCERN_FILES_DIR = tmp_path / "concerns"
    found = Neighbourhood.objects.order_by("name").first()
    assert found is not None
    return found


def _report(place: Neighbourhood, **fields: Any) -> Concern:
    values: dict[str, Any] = {
        "service": Service.objects.get(code="noise"),
        "language": "en",
        "latitude": float(place.centre_latitude),
        "longitude": float(place.centre_longitude),
        "attributes": {"when": "night"},
        "description": "Music every night.",
    }
    values.update(fields)
    return services.report(services.Report(**values))


def _photo_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (41.0, 35.0, 12.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("home.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_resident_sees_the_open_concern_nearby_then_reports_a_new_one_with_a_photo(
    place: Neighbourhood, django_capture_on_commit_callbacks: Any
) -> None:
    lat, lng = float(place.centre_latitude), float(place.centre_longitude)
    near = _report(place, latitude=lat + 0.0002)  # about 22 m north
    far = _report(place, latitude=lat + 0.002)  # about 220 m north
    client = Client()
    assert client.get("/es/engagement/concerns/new/").status_code == 200
    step = client.post(
        "/es/engagement/concerns/new/",
        {"step": "place", "service": "noise", "latitude": lat, "longitude": lng},
    )
    body = step.content.decode()
    assert step.status_code == 200 and "Ya se informó" in body
    assert f"/concerns/{near.pk}/" in body and f"/concerns/{far.pk}/" not in body
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/es/engagement/concerns/new/",
        {
            "step": "details", "service": "noise", "latitude": f"{lat:.6f}",
            "longitude": f"{lng:.6f}", "address": "", "attribute_when": "night",
            "description": "Otra vez música.", "first_name": "Ana", "last_name": "Reyes",
            "email": "ana@example.org", "photo": _photo_with_gps(),
            },
        )  # fmt: skip
    concern = Concern.objects.latest("pk")
    assert sent.status_code == 302 and sent["Location"] == f"/es/engagement/concerns/{concern.pk}/"
    assert concern.neighbourhood == place and concern.language == "es" and concern.hide_name
    assert "Recibimos" in mail.outbox[-1].subject
    with Image.open(files.path_of(concern.photo)) as kept:
        assert not kept.getexif()
    public = client.get(f"/engagement/concerns/{concern.pk}.json").json()
    assert public["reported_by"] is None and public["media_url"] is None
    assert "ana@example.org" not in str(public) and "Reyes" not in str(public)
    assert client.get(f"/engagement/concerns/{concern.pk}/photo").status_code == 404
    concern.photo_public = True
    concern.save()
    assert client.get(f"/engagement/concerns/{concern.pk}/photo").status_code == 200


def test_a_form_with_a_problem_says_which_field_and_keeps_nothing(place: Neighbourhood) -> None:
    lat, lng = float(place.centre_latitude), float(place.centre_longitude)
    client = Client()
    nowhere = client.post("/engagement/concerns/new/", {"step": "place", "service": "noise"})
    assert nowhere.status_code == 400 and "Give an address" in nowhere.content.decode()
    bad_photo = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    refused = client.post(
        "/engagement/concerns/new/",
        {"step": "details", "service": "noise", "latitude": lat, "longitude": lng,
         "attribute_when": "night", "description": "Loud.", "photo": bad_photo},
    )  # fmt: skip
    assert (
        refused.status_code == 400
        and "is not a JPEG, PNG or WebP photo" in refused.content.decode()
    )
    unanswered = client.post(
        "/engagement/concerns/new/",
        {
            "step": "details",
            "service": "noise",
            "latitude": lat,
            "longitude": lng,
            "description": "Loud.",
        },
    )
    assert unanswered.status_code == 400 and "When does it happen?" in unanswered.content.decode()
    assert not Concern.objects.exists()


def test_status_notes_and_duplicates_reach_the_reporter_and_followers_in_their_language(
    place: Neighbourhood, django_capture_on_commit_callbacks: Any
) -> None:
    original = _report(place, email="ana@example.org", language="es")
    again = _report(place, email="bo@example.org")
    assert services.follow(original, "cy@example.org", "en") is not None
    assert services.follow(original, "CY@example.org", "en") is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_status(
            original,
            "open",
            "We will patrol on Friday night.",
            "Patrullaremos el viernes por la noche.",
        )
    assert {m.to[0]: m.body.split("\n")[0] for m in mail.outbox} == {
        "ana@example.org": "Patrullaremos el viernes por la noche.",
        "cy@example.org": "We will patrol on Friday night.",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_duplicate(again, original)
    again.refresh_from_db()
    assert again.status == "closed" and again.duplicate_of == original
    assert set(original.followers.values_list("email", flat=True)) == {
        "cy@example.org",
        "bo@example.org",
    }
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]
    data = Client().get(f"/engagement/concerns/{original.pk}.json").json()
    assert (
        data["duplicates"] == [again.pk]
        and data["status_notes"] == "We will patrol on Friday night."
    )
    with pytest.raises(services.ConcernRefused):
        services.mark_duplicate(original, again)


@pytest.mark.parametrize("persona", PERSONAS)
def test_concern_pages_follow_the_policy(
    persona: str, client_as: Callable[..., Client], place: Neighbourhood
) -> None:
    concern = _report(place)
    client = client_as(persona)
    for page in ("/engagement/concerns/", "/engagement/concerns.csv", f"/engagement/concerns/{concern.pk}/",
                 "/engagement/concerns/new/", "/open311/v2/services.xml", "/open311/v2/openapi.json"):  # fmt: skip
        assert client.get(page).status_code == 200, page
    holders = {
        "concern": {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR},
        "service": {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR},
        "apikey": {Role.ADMINISTRATOR},
    }
    for model, allowed in holders.items():
        response = client.get(f"/backoffice/engagement/{model}/")
        if persona in allowed:
            assert response.status_code == 200, model
        elif persona in (ANONYMOUS, Role.RESIDENT):
            assert response.status_code == 302, model
        else:
            assert response.status_code == 403, model
    change = client.get(f"/backoffice/engagement/concern/{concern.pk}/change/")
    assert change.status_code == (
        200
        if persona in holders["concern"]
        else 302
        if persona in (ANONYMOUS, Role.RESIDENT)
        else 403
    )

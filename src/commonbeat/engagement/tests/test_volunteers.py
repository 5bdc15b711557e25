"""Volunteers and programmes: signing up on the public form with a confirmation in the
person's language and a private link, one sign-up per address, withdrawing, screening kept to
supervisors and administrators, hours served with small figures hidden, and every role's
access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.volunteers import api, links, services
from commonbeat.engagement.volunteers.models import (
    HoursServed,
    Programme,
    ProgrammeRole,
    Volunteer,
)
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Conviction found in the 2019 county record"
STAFF = {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
SCREENERS = {Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.fixture
def make_programme(city: Any) -> Callable[..., Programme]:
    """Return a function making a programme in the small city, with one role."""

    def make(places: int | None = 3, **fields: Any) -> Programme:
        agency = Agency.objects.get(slug="riverton-pd")
        values: dict[str, Any] = {
            "agency": agency,
            "neighbourhood": Neighbourhood.objects.filter(agency=agency).order_by("name").first(),
            "kind": Programme.Kind.WATCH,
            "title_en": "Neighbourhood watch",
            "title_es": "Vigilancia vecinal",
            "description_en": "Neighbours looking out for each other.",
            "description_es": "Vecinos que se cuidan.",
            "contact": "watch@example.org",
        }
        values.update(fields)
        programme = Programme.objects.create(**values)
        ProgrammeRole.objects.create(
            programme=programme, title_en="Block captain", title_es="Capitán de cuadra",
            places=places,
        )  # fmt: skip
        return programme

    return make


def _sign_up(programme: Programme, n: int, **fields: Any) -> Volunteer:
    values: dict[str, Any] = {
        "name": f"Person {n}", "email": f"v{n}@example.org", "language": "en", "consent": True,
    }  # fmt: skip
    values.update(fields)
    return services.sign_up(programme, services.SignUp(**values))


def _form(programme: Programme, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Ana Reyes", "email": "ana@example.org", "phone": "555 0100",
        "role": programme.roles.get().pk, "languages": "Español", "availability": ["weekend"],
        "consent": "on",
    }  # fmt: skip
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_a_resident_signs_up_on_the_spanish_page_and_is_answered_in_spanish_with_their_link(
    make_programme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    programme = make_programme()
    client = Client()
    page = client.get(f"/es/engagement/programmes/{programme.pk}/")
    assert page.status_code == 200 and "Vigilancia vecinal" in page.content.decode()
    assert client.get(f"/es/engagement/programmes/{programme.pk}/join/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/es/engagement/programmes/{programme.pk}/join/", _form(programme))
    volunteer = Volunteer.objects.get(email="ana@example.org")
    assert (volunteer.language, volunteer.status, volunteer.role) == (
        "es", "signed_up", programme.roles.get(),
    )  # fmt: skip
    assert volunteer.availability == ["weekend"] and volunteer.consented_at is not None
    own = links.path(volunteer)
    assert sent.status_code == 302 and sent["Location"] == own
    (letter,) = mail.outbox
    assert letter.to == ["ana@example.org"] and "Vigilancia vecinal" in letter.subject
    assert own in letter.body and "Capitán de cuadra" in letter.body
    mine = client.get(own)
    assert mine.status_code == 200 and mine["Cache-Control"] == "no-store"
    assert mine["Referrer-Policy"] == "same-origin" and "Ana Reyes" in mine.content.decode()


def test_the_same_address_signs_up_once_per_programme_with_a_clear_message(
    make_programme: Any,
) -> None:
    programme = make_programme()
    _sign_up(programme, 1)
    with pytest.raises(services.Refused, match="already signed up"):
        _sign_up(programme, 1, email="V1@Example.org", name="Again")
    client = Client()
    again = client.post(
        f"/engagement/programmes/{programme.pk}/join/", _form(programme, email="v1@example.org")
    )
    assert again.status_code == 400 and "already signed up" in again.content.decode()
    assert Volunteer.objects.filter(programme=programme).count() == 1
    # Another programme is another sign-up.
    assert _sign_up(make_programme(title_en="Academy"), 1).pk


def test_a_volunteer_withdraws_from_their_link_and_a_wrong_link_finds_nothing(
    make_programme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    programme = make_programme()
    volunteer = _sign_up(programme, 1)
    client = Client()
    assert client.get(f"/engagement/volunteers/{volunteer.pk}/{'0' * 32}/").status_code == 404
    assert (
        client.post(f"/engagement/volunteers/{volunteer.pk}/{'0' * 32}/withdraw/").status_code
        == 404
    )
    assert client.get(f"/engagement/volunteers/{volunteer.pk + 99}/{'0' * 32}/").status_code == 404
    assert client.get(links.path(volunteer) + "withdraw/").status_code == 405
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gone = client.post(links.path(volunteer) + "withdraw/", follow=True)
    volunteer.refresh_from_db()
    assert volunteer.status == "withdrawn" and volunteer.left_at is not None
    assert "Sign up again" in gone.content.decode() and len(mail.outbox) == 1
    again = client.post(links.path(volunteer) + "withdraw/", follow=True)
    assert "already withdrawn" in again.content.decode()
    # Withdrawn, they may sign up again (a new sign-up; the old one stays as history).
    assert _sign_up(programme, 1).pk != volunteer.pk


def _screened_out(programme: Programme) -> Volunteer:
    volunteer = _sign_up(programme, 1, name="Quinn Marsh")
    services.record_screening(
        volunteer, Volunteer.Screening.NOT_CLEARED, on=date(2026, 1, 5), note=SECRET_NOTE
    )
    return volunteer


def test_screening_is_never_public_nor_in_the_twins_and_the_volunteer_sees_only_complete(
    make_programme: Any,
) -> None:
    programme = make_programme(screening_required=True)
    volunteer = _screened_out(programme)
    client = Client()
    for page in (
        "/engagement/programmes/", "/engagement/programmes.json", "/engagement/programmes.csv",
        f"/engagement/programmes/{programme.pk}/", f"/engagement/programmes/{programme.pk}.json",
        f"/engagement/programmes/{programme.pk}.csv", f"/es/engagement/programmes/{programme.pk}/",
    ):  # fmt: skip
        body = client.get(page).content.decode()
        for secret in (SECRET_NOTE, "not_cleared", "Not cleared", "Quinn Marsh", "v1@example.org"):
            assert secret not in body, (page, secret)
    data = client.get(f"/engagement/programmes/{programme.pk}.json").json()
    assert not any("screening" in key and key != "screening_required" for key in data)
    own = client.get(links.path(volunteer)).content.decode()
    assert "Complete" in own and SECRET_NOTE not in own and "Not cleared" not in own
    pending = _sign_up(programme, 2)
    assert pending.screening == "pending"
    assert "In progress" in client.get(links.path(pending)).content.decode()


def test_only_supervisors_and_administrators_see_or_set_screening_in_the_back_office(
    make_programme: Any, client_as: Callable[..., Client]
) -> None:
    volunteer = _screened_out(make_programme(screening_required=True))
    other = _sign_up(volunteer.programme, 2)
    page = f"/backoffice/engagement/volunteer/{volunteer.pk}/change/"
    officer = client_as(Role.OFFICER)
    body = officer.get(page).content.decode()
    assert "Quinn Marsh" in body and SECRET_NOTE not in body and 'name="screening"' not in body
    listing = officer.get("/backoffice/engagement/volunteer/").content.decode()
    assert "screening_cleared" not in listing and "Not cleared" not in listing
    # A filter typed into the address would tell the outcome by who is listed: refused.
    officer.raise_request_exception = False
    for lookup in ("screening", "screening__in", "screened_on__isnull", "screening_note__contains"):
        refused = officer.get(f"/backoffice/engagement/volunteer/?{lookup}=not_cleared")
        assert refused.status_code == 400, lookup
    # Nor can an officer set it through the action.
    officer.post(
        "/backoffice/engagement/volunteer/",
        {"action": "screening_cleared", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.screening == "pending"
    supervisor = client_as(Role.SUPERVISOR)
    assert SECRET_NOTE in supervisor.get(page).content.decode()
    filtered = supervisor.get("/backoffice/engagement/volunteer/?screening=not_cleared")
    assert filtered.status_code == 200 and "Quinn Marsh" in filtered.content.decode()
    supervisor.post(
        "/backoffice/engagement/volunteer/",
        {"action": "screening_cleared", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.screening == "cleared" and other.screened_on == timezone.localdate()


def test_a_programme_that_screens_starts_only_cleared_volunteers_and_not_cleared_ends_service(
    make_programme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    volunteer = _sign_up(make_programme(screening_required=True), 1)
    with pytest.raises(services.Refused, match="screening"):
        services.start(volunteer)
    services.record_screening(volunteer, Volunteer.Screening.CLEARED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.start(volunteer)
    assert volunteer.status == "active" and "Welcome" in mail.outbox[0].subject
    services.record_screening(volunteer, Volunteer.Screening.NOT_CLEARED)
    assert volunteer.status == "ended"
    with pytest.raises(services.Refused):
        services.record_screening(volunteer, "maybe")


def _active_with_hours(
    programme: Programme, people: int, hours: str = "2", first: int = 100
) -> None:
    today = timezone.localdate()
    for n in range(first, first + people):
        volunteer = _sign_up(programme, n)
        services.start(volunteer)
        services.record_hours(volunteer, served_on=today, hours=Decimal(hours), activity="Walk")


def test_public_figures_hide_fewer_than_five_volunteers_and_their_hours(
    make_programme: Any,
) -> None:
    programme = make_programme(places=None)
    _active_with_hours(programme, 4, "3.5")
    _sign_up(programme, 1)  # signed up, not active: not counted
    client = Client()
    data = client.get(f"/engagement/programmes/{programme.pk}.json").json()
    assert (data["active_volunteers"], data["hours_this_year"]) == (None, None)
    assert data["suppressed_below"] == 5
    page = client.get(f"/engagement/programmes/{programme.pk}/").content.decode()
    assert "fewer than 5" in page and "14" not in page
    _active_with_hours(programme, 1, "3.5", first=200)
    figures = api.figures([programme.pk])[programme.pk]
    assert (figures.active, figures.hours) == (5, 18)  # 17.5 h, in whole hours
    # Last year's hours are not this year's.
    last = Volunteer.objects.filter(status="active").first()
    assert last is not None
    HoursServed.objects.create(
        volunteer=last, served_on=date(timezone.localdate().year - 1, 6, 1), hours=5, activity="x"
    )
    assert api.figures([programme.pk])[programme.pk].hours == 18
    lines = client.get("/engagement/programmes.csv").content.decode().splitlines()
    assert lines[0].startswith("id,title,kind") and ",5,18," in lines[1]


def test_a_volunteer_sees_their_own_hours_and_bad_hours_are_refused(make_programme: Any) -> None:
    volunteer = _sign_up(make_programme(), 1)
    today = timezone.localdate()
    services.record_hours(volunteer, served_on=today, hours=Decimal("2.5"), activity="Walk")
    services.record_hours(volunteer, served_on=today, hours=Decimal("1"), activity="Meeting")
    page = Client().get(links.path(volunteer)).content.decode()
    assert "3.5" in page and "Meeting" in page
    for hours, day in (("0", today), ("25", today), ("2", today + timedelta(days=2))):
        with pytest.raises(services.Refused):
            services.record_hours(volunteer, served_on=day, hours=Decimal(hours), activity="x")
    with pytest.raises(services.Refused):
        services.record_hours(volunteer, served_on=today, hours=Decimal("1"), activity=" ")


@pytest.mark.parametrize("raw", ["0", "x", "-1", "²", "1.5", "201"])
def test_a_bad_page_number_is_a_404_that_says_which_pages_exist(
    make_programme: Any, raw: str
) -> None:
    make_programme()
    response = Client().get("/engagement/programmes/", {"page": raw})
    assert response.status_code == 404
    assert Client().get("/engagement/programmes/", {"kind": "spies"}).status_code == 404


def test_bad_sign_ups_are_answered_with_what_to_fix(make_programme: Any, settings: Any) -> None:
    programme = make_programme(places=1, minimum_age=18)
    client = Client()
    url = f"/engagement/programmes/{programme.pk}/join/"
    bad = client.post(
        url, _form(programme, email="not-an-address", consent=None, availability=None)
    )
    body = bad.content.decode()
    assert bad.status_code == 400 and "valid email" in body
    assert "so that the staff may contact you" in body and "at least one time" in body
    assert "aged 18 or older" in body
    assert client.post(url, _form(programme, old_enough="on")).status_code == 302
    full = client.post(url, _form(programme, email="b@example.org", old_enough="on"))
    assert full.status_code == 400 and "is full" in full.content.decode()
    other = make_programme(title_en="Other")
    wrong_role = client.post(url, _form(other, email="c@example.org", old_enough="on"))
    assert wrong_role.status_code == 400
    programme.signups_open = False
    programme.save()
    closed = client.post(url, _form(programme, email="d@example.org", old_enough="on"))
    assert closed.status_code == 400 and "not taking sign-ups" in closed.content.decode()
    hidden = make_programme(public=False)
    assert client.get(f"/engagement/programmes/{hidden.pk}/").status_code == 404


def test_sign_ups_from_one_connection_are_limited(make_programme: Any, settings: Any) -> None:
    settings.REGISTRATION_RATE_PER_HOUR = 2
    programme = make_programme(places=None)
    client = Client()
    codes = [
        client.post(
            f"/engagement/programmes/{programme.pk}/join/",
            _form(programme, email=f"n{n}@example.org"),
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_the_list_filters_by_neighbourhood_and_kind_city_wide_ones_included(
    make_programme: Any,
) -> None:
    local = make_programme()
    city_wide = make_programme(neighbourhood=None, kind=Programme.Kind.ACADEMY, title_en="Academy")
    elsewhere = Neighbourhood.objects.exclude(pk=local.neighbourhood_id).first()
    assert elsewhere is not None
    make_programme(neighbourhood=elsewhere, title_en="Elsewhere watch")
    client = Client()
    assert local.neighbourhood is not None
    found = client.get(
        "/engagement/programmes.json", {"neighbourhood": local.neighbourhood.slug}
    ).json()
    assert {p["id"] for p in found["programmes"]} == {local.pk, city_wide.pk}
    academies = client.get("/engagement/programmes.json", {"kind": "citizen_academy"}).json()
    assert [p["id"] for p in academies["programmes"]] == [city_wide.pk]
    page = client.get("/es/engagement/programmes/").content.decode()
    assert "Vigilancia vecinal" in page and "Capitán" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_and_signs_up_and_the_back_office_follows_the_policy(
    persona: str, client_as: Callable[..., Client], make_programme: Any
) -> None:
    programme = make_programme()
    volunteer = _sign_up(programme, 1)
    services.record_hours(
        volunteer, served_on=timezone.localdate(), hours=Decimal(2), activity="Walk"
    )
    client = client_as(persona)
    for page in (
        "/engagement/programmes/", "/engagement/programmes.csv",
        f"/engagement/programmes/{programme.pk}/", f"/engagement/programmes/{programme.pk}.json",
        f"/engagement/programmes/{programme.pk}/join/", links.path(volunteer),
    ):  # fmt: skip
        assert client.get(page).status_code == 200, page
    for model in ("programme", "volunteer", "hoursserved"):
        response = client.get(f"/backoffice/engagement/{model}/")
        if persona in STAFF:
            assert response.status_code == 200, model
        elif persona in (ANONYMOUS, Role.RESIDENT):
            assert response.status_code == 302, model
        else:
            assert response.status_code == 403, model
    if persona in STAFF:
        change = client.get(f"/backoffice/engagement/volunteer/{volunteer.pk}/change/")
        assert change.status_code == 200
        assert ('name="screening"' in change.content.decode()) is (persona in SCREENERS)
        assert client.get("/backoffice/engagement/volunteer/add/").status_code == 403
        for page in (
            f"/backoffice/engagement/programme/{programme.pk}/change/",
            "/backoffice/engagement/programme/add/",
            "/backoffice/engagement/hoursserved/add/",
        ):
            assert client.get(page).status_code == 200, page


def test_staff_record_hours_in_the_back_office_through_the_services_checks(
    make_programme: Any, client_as: Callable[..., Client]
) -> None:
    volunteer = _sign_up(make_programme(), 1)
    officer = client_as(Role.OFFICER)
    url = "/backoffice/engagement/hoursserved/add/"
    today = timezone.localdate()
    saved = officer.post(
        url, {"volunteer": volunteer.pk, "served_on": today, "hours": "2", "activity": "Walk"}
    )
    assert saved.status_code == 302
    entry = HoursServed.objects.get()
    assert entry.recorded_by is not None and entry.recorded_by.role == Role.OFFICER
    future = officer.post(
        url,
        {"volunteer": volunteer.pk, "served_on": today + timedelta(days=3), "hours": "2",
         "activity": "Walk"},
    )  # fmt: skip
    assert future.status_code == 200 and "in the future" in future.content.decode()
    assert HoursServed.objects.count() == 1


def _change_form(volunteer: Volunteer, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": volunteer.role_id or "", "notes": "Prefers evenings.",
        "hours-TOTAL_FORMS": "1", "hours-INITIAL_FORMS": "0", "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000", "hours-0-served_on": timezone.localdate().isoformat(),
        "hours-0-hours": "1.5", "hours-0-activity": "Block meeting",
    }  # fmt: skip
    data.update(fields)
    return data


def test_a_supervisor_records_screening_and_hours_on_the_volunteers_page(
    make_programme: Any, client_as: Callable[..., Client]
) -> None:
    volunteer = _sign_up(make_programme(screening_required=True), 1)
    page = f"/backoffice/engagement/volunteer/{volunteer.pk}/change/"
    saved = client_as(Role.SUPERVISOR).post(
        page,
        _change_form(
            volunteer, screening="cleared", screened_on="2026-01-05", screening_note="Checked."
        ),
    )
    assert saved.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.screening, volunteer.screening_note) == ("cleared", "Checked.")
    assert volunteer.screened_on == date(2026, 1, 5) and volunteer.notes == "Prefers evenings."
    (entry,) = volunteer.hours.all()
    assert entry.hours == Decimal("1.5") and entry.recorded_by is not None
    # An officer's form has no screening: posting one changes nothing.
    officer = client_as(Role.OFFICER)
    officer.post(
        page, _change_form(volunteer, screening="not_cleared", **{"hours-TOTAL_FORMS": "0"})
    )
    volunteer.refresh_from_db()
    assert volunteer.screening == "cleared"
    bad = officer.post(page, _change_form(volunteer, **{"hours-0-hours": "30"}))
    assert bad.status_code == 200 and volunteer.hours.count() == 1


def test_the_demo_city_has_programmes_with_figures_shown_and_hidden(engaged_city: Any) -> None:
    client = Client()
    data = client.get("/engagement/programmes.json").json()["programmes"]
    by_kind = {p["kind"]: p for p in data}
    assert set(by_kind) == {"neighbourhood_watch", "citizen_academy", "youth_mentoring"}
    watch = by_kind["neighbourhood_watch"]
    assert watch["active_volunteers"] == 6 and watch["hours_this_year"] > 0
    assert by_kind["citizen_academy"]["active_volunteers"] is None
    assert by_kind["youth_mentoring"]["hours_this_year"] is None
    spanish = client.get(f"/es/engagement/programmes/{watch['id']}/").content.decode()
    assert "Capitán de cuadra" in spanish

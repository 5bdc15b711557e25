"""Announcements: drafts and scheduled posts stay hidden, the list and its twins, filters, the
Atom feeds in both languages, safety alerts on the neighbourhood page, and the back office by
role."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from commonbeat.core import policy
from commonbeat.core.models import Agency, AuditEntry, Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.announcements import services
from commonbeat.engagement.announcements.models import Announcement
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

STAFF = {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.fixture
def places(city: Any) -> tuple[Agency, Neighbourhood, Neighbourhood]:
    agency = Agency.objects.get(slug="riverton-pd")
    first, second = Neighbourhood.objects.filter(agency=agency).order_by("name")[:2]
    return agency, first, second


@pytest.fixture
def post(places: Any) -> Callable[..., Announcement]:
    """Return a function making an announcement, published `hours_ago` (None: a draft)."""
    agency = places[0]

    def make(title: str, *, hours_ago: float | None = 1, **fields: Any) -> Announcement:
        values: dict[str, Any] = {
            "agency": agency,
            "kind": Announcement.Kind.NEWS,
            "title_en": title,
            "title_es": f"{title} (es)",
            "body_en": f"Body of {title}.",
            "body_es": f"Texto de {title}.",
        }
        values.update(fields)
        made = Announcement.objects.create(**values)
        if hours_ago is not None:
            services.publish_announcement(made, at=timezone.now() - timedelta(hours=hours_ago))
        return made

    return make


def test_drafts_and_scheduled_posts_are_hidden_from_the_public_until_their_time(
    post: Any, places: Any, client_as: Callable[..., Client]
) -> None:
    agency = places[0]
    shown = post("Published news")
    draft = post("Draft news", hours_ago=None)
    scheduled = post("Scheduled news", hours_ago=-5)
    public = Client()
    listed = public.get("/engagement/announcements.json").json()["announcements"]
    assert [a["title"] for a in listed] == ["Published news"]
    for hidden in (draft, scheduled):
        assert public.get(f"/engagement/announcements/{hidden.pk}/").status_code == 404
        assert public.get(f"/engagement/announcements/{hidden.pk}.json").status_code == 404
    feed = public.get(f"/engagement/announcements/feeds/{agency.slug}.atom").content.decode()
    assert "Published news" in feed and "Draft news" not in feed and "Scheduled" not in feed
    # Staff see a preview, marked as such and never cached.
    officer = client_as(Role.OFFICER)
    page = officer.get(f"/engagement/announcements/{scheduled.pk}/")
    assert (
        page.status_code == 200 and "Scheduled: the public sees this from" in page.content.decode()
    )
    assert "no-store" in page["Cache-Control"]
    assert (
        "Draft: the public"
        in officer.get(f"/engagement/announcements/{draft.pk}/").content.decode()
    )
    assert client_as(Role.RESIDENT).get(f"/engagement/announcements/{draft.pk}/").status_code == 404
    # Once its time comes, the scheduled post is public.
    Announcement.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert public.get(f"/engagement/announcements/{scheduled.pk}/").status_code == 200
    assert shown.pk in [
        a["id"] for a in public.get("/engagement/announcements.json").json()["announcements"]
    ]


def test_the_list_is_newest_first_and_a_neighbourhood_includes_city_wide_posts(
    post: Any, places: Any
) -> None:
    _agency, place, other = places
    post("City-wide, older", hours_ago=30)
    post("Here", hours_ago=2, neighbourhood=place)
    post("Elsewhere", hours_ago=1, neighbourhood=other)
    post("Alert here", hours_ago=3, neighbourhood=place, kind=Announcement.Kind.SAFETY_ALERT)
    client = Client()
    titles = [
        a["title"] for a in client.get("/engagement/announcements.json").json()["announcements"]
    ]
    assert titles == ["Elsewhere", "Here", "Alert here", "City-wide, older"]
    here = client.get(f"/engagement/announcements.json?neighbourhood={place.slug}").json()
    assert [a["title"] for a in here["announcements"]] == ["Here", "Alert here", "City-wide, older"]
    assert [a["title"] for a in here["active_alerts"]] == ["Alert here"]
    alerts = client.get(
        f"/engagement/announcements.json?kind=safety_alert&neighbourhood={place.slug}"
    )
    assert [a["title"] for a in alerts.json()["announcements"]] == ["Alert here"]
    html = client.get(f"/engagement/announcements/?neighbourhood={place.slug}").content.decode()
    assert html.count("<h1") == 1 and "Safety alerts in force" in html and "Elsewhere" not in html
    assert f"/engagement/announcements/feeds/riverton-pd/{place.slug}.atom" in html


def test_the_list_is_paginated_and_bounded(post: Any) -> None:
    for number in range(21):
        post(f"News {number}", hours_ago=number + 1)
    client = Client()
    first = client.get("/engagement/announcements.json").json()
    assert len(first["announcements"]) == 20 and first["announcements"][0]["title"] == "News 0"
    second = client.get("/engagement/announcements.json?page=2").json()
    assert [a["title"] for a in second["announcements"]] == ["News 20"]
    assert 'rel="next"' in client.get("/engagement/announcements/").content.decode()


@pytest.mark.parametrize("page", ["0", "abc", "\u0663", "-1", "201", "1.5", ""])
def test_a_bad_page_number_is_a_404(city: Any, page: str) -> None:
    assert Client().get("/engagement/announcements/", {"page": page}).status_code == 404


def test_an_unknown_kind_agency_or_neighbourhood_is_refused_with_a_400_saying_why(
    city: Any,
) -> None:
    client = Client()
    response = client.get("/engagement/announcements.json?kind=rumour")
    assert response.status_code == 400
    assert "rumour" in response.json()["error"] and "safety_alert" in response.json()["error"]
    page = client.get("/engagement/announcements/?neighbourhood=atlantis")
    assert (
        page.status_code == 400 and "No neighbourhood is called “atlantis”" in page.content.decode()
    )
    assert client.get("/engagement/announcements.csv?agency=nowhere").status_code == 400
    assert client.get("/engagement/announcements/feeds/nowhere.atom").status_code == 404


def test_the_twins_carry_the_public_fields_and_never_the_author(
    post: Any, places: Any, client_as: Callable[..., Client]
) -> None:
    _agency, place, _other = places
    alert = post(
        "Gas leak", neighbourhood=place, kind=Announcement.Kind.SAFETY_ALERT,
        expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    alert.author = client_as(Role.OFFICER).get("/").wsgi_request.user
    alert.save()
    client = Client()
    data = client.get(f"/engagement/announcements/{alert.pk}.json").json()
    assert data["active_alert"] is True and data["neighbourhood"] == place.slug
    assert data["time_zone"] == "America/Chicago" and data["published"].endswith(
        ("-05:00", "-06:00")
    )
    assert "author" not in data and "officer-persona" not in str(data)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/engagement/announcements.csv").content.decode()))
    )
    assert rows[0]["title"] == "Gas leak" and rows[0]["url"].startswith("http://testserver/")
    assert (
        "officer-persona"
        not in client.get(f"/engagement/announcements/{alert.pk}/").content.decode()
    )
    detail = list(
        csv.reader(
            io.StringIO(client.get(f"/engagement/announcements/{alert.pk}.csv").content.decode())
        )
    )
    assert detail[0][0] == "id" and detail[1][2] == "Gas leak"


def test_spanish_pages_give_the_spanish_text_and_fall_back_marked_with_its_language(
    post: Any,
) -> None:
    both = post("Road works")
    english_only = post("Only English", title_es="", body_es="")
    client = Client()
    page = client.get(f"/es/engagement/announcements/{both.pk}/").content.decode()
    assert '<h1 lang="es">Road works (es)</h1>' in page and "Texto de Road works." in page
    fallback = client.get(f"/es/engagement/announcements/{english_only.pk}/").content.decode()
    assert '<h1 lang="en">Only English</h1>' in fallback
    listed = client.get("/es/engagement/announcements.json").json()["announcements"]
    assert {a["title"] for a in listed} == {"Road works (es)", "Only English"}


def test_the_feeds_parse_with_stable_ids_links_back_and_titles_in_each_language(
    post: Any, places: Any
) -> None:
    agency, place, other = places
    city_wide = post("City news", hours_ago=5)
    here = post("Local news", hours_ago=1, neighbourhood=place)
    post("Other news", hours_ago=2, neighbourhood=other)
    client = Client()
    english = feedparser.parse(
        client.get(f"/engagement/announcements/feeds/{agency.slug}.atom").content
    )
    assert english.version == "atom10" and not english.bozo
    assert [e.title for e in english.entries] == ["Local news", "Other news", "City news"]
    first = english.entries[0]
    assert first.link == f"http://testserver/engagement/announcements/{here.pk}/"
    assert first.id.startswith("urn:uuid:") and first.updated_parsed and first.published_parsed
    assert "officer" not in first.get("author", "") and first.author == agency.name
    response = client.get(f"/es/engagement/announcements/feeds/{agency.slug}/{place.slug}.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    spanish = feedparser.parse(response.content)
    assert spanish.feed.language == "es"
    assert [e.title for e in spanish.entries] == ["Local news (es)", "City news (es)"]
    assert spanish.entries[0].link == f"http://testserver/es/engagement/announcements/{here.pk}/"
    # Ids hold across requests and edits, and differ between the two languages.
    here.title_en = "Local news, corrected"
    here.save()
    again = feedparser.parse(
        client.get(f"/engagement/announcements/feeds/{agency.slug}.atom").content
    )
    assert again.entries[0].id == first.id and again.entries[0].title == "Local news, corrected"
    assert spanish.entries[0].id != first.id
    assert {e.id for e in again.entries} >= {first.id} and city_wide.uid


def test_the_neighbourhood_page_shows_its_safety_alert_until_it_ends(
    post: Any, places: Any
) -> None:
    agency, place, other = places
    alert = post(
        "Gas leak on Elm", neighbourhood=place, kind=Announcement.Kind.SAFETY_ALERT,
        expires_at=timezone.now() + timedelta(hours=3),
    )  # fmt: skip
    post("Park reopens", neighbourhood=place, hours_ago=4)
    client = Client()
    page = client.get(f"/agencies/{agency.slug}/neighbourhoods/{place.slug}/").content.decode()
    assert "Safety alerts in force" in page and "Gas leak on Elm" in page and "Park reopens" in page
    assert f"/engagement/announcements/feeds/{agency.slug}/{place.slug}.atom" in page
    elsewhere = client.get(f"/agencies/{agency.slug}/neighbourhoods/{other.slug}/").content.decode()
    assert "Gas leak on Elm" not in elsewhere
    Announcement.objects.filter(pk=alert.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(f"/agencies/{agency.slug}/neighbourhoods/{place.slug}/").content.decode()
    assert "Safety alerts in force" not in page
    listed = client.get(f"/engagement/announcements/{alert.pk}/").content.decode()
    assert "This safety alert has ended." in listed


def test_publishing_refuses_twice_and_an_alert_ending_before_it_starts(post: Any) -> None:
    news = post("News")
    with pytest.raises(services.Refused, match="already published"):
        services.publish_announcement(news)
    alert = post(
        "Alert", hours_ago=None, kind=Announcement.Kind.SAFETY_ALERT,
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    with pytest.raises(services.Refused, match="end before"):
        services.publish_announcement(alert, at=timezone.now() + timedelta(hours=2))
    services.withdraw_announcement(news)
    assert Client().get(f"/engagement/announcements/{news.pk}/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_back_office_pages_follow_the_policy_for_every_role(
    persona: str, city: Any, client_as: Callable[..., Client]
) -> None:
    client = client_as(persona)
    for url in (
        "/backoffice/engagement/announcement/",
        "/backoffice/engagement/announcement/add/",
        "/backoffice/engagement/criticalincident/",
        "/backoffice/engagement/criticalincident/add/",
    ):
        response = client.get(url)
        if persona in STAFF:
            assert response.status_code == 200, url
        elif persona in (ANONYMOUS, Role.RESIDENT):
            assert response.status_code == 302, url
        else:
            assert response.status_code == 403, url


def test_staff_write_both_languages_side_by_side_and_the_change_is_audited(
    places: Any, client_as: Callable[..., Client]
) -> None:
    agency, place, _other = places
    client = client_as(Role.OFFICER)
    form = client.get("/backoffice/engagement/announcement/add/").content.decode()
    assert 'name="title_en"' in form and 'name="title_es"' in form
    when = timezone.localtime(timezone.now() - timedelta(minutes=5))
    response = client.post(
        "/backoffice/engagement/announcement/add/",
        {
            "agency": agency.pk, "neighbourhood": place.pk, "kind": "news",
            "title_en": "Library open late", "title_es": "Biblioteca abierta hasta tarde",
            "body_en": "Until 21:00.", "body_es": "Hasta las 21:00.",
            "published_at_0": when.strftime("%Y-%m-%d"), "published_at_1": when.strftime("%H:%M:%S"),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Announcement.objects.get(title_en="Library open late")
    assert made.author is not None and made.author.role == Role.OFFICER
    assert made.is_public()
    assert AuditEntry.objects.filter(
        model__icontains="announcement", object_pk=str(made.pk)
    ).exists()
    # An expiry on news is refused, naming the field.
    refused = client.post(
        f"/backoffice/engagement/announcement/{made.pk}/change/",
        {
            "agency": agency.pk, "kind": "news", "title_en": "x", "body_en": "y",
            "expires_at_0": "2030-01-01", "expires_at_1": "10:00:00",
        },
    )  # fmt: skip
    assert (
        refused.status_code == 200 and "Only a safety alert has an end." in refused.content.decode()
    )


def test_every_back_office_page_of_the_area_has_all_four_policy_actions() -> None:
    from commonbeat.core.admin import backoffice

    ours = [m for m in backoffice._registry if m.__module__.endswith(".announcements.models")]
    assert {m.__name__ for m in ours} == {"Announcement", "CriticalIncident"}
    for model in ours:
        name = model._meta.model_name
        for verb in ("view", "add", "change", "delete"):
            assert f"{name}.{verb}" in policy.RULES, f"{name}.{verb}"

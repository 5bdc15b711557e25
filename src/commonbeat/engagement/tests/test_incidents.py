"""Critical incidents: drafts hidden, updates final once public, corrections shown as
corrections, the time to the first public update and its median, links, the staff pages by
role, the twins and the Spanish page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from commonbeat.core.models import Agency, AuditEntry, Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.announcements import services
from commonbeat.engagement.announcements.models import (
    CriticalIncident,
    IncidentLink,
    IncidentUpdate,
    PublishedUpdateIsFinal,
)
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

STAFF = {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def make_incident(city: Any) -> Callable[..., CriticalIncident]:
    """Return a function making a draft incident that happened `days_ago` at 13:40 local."""
    agency = Agency.objects.get(slug="riverton-pd")
    place = Neighbourhood.objects.filter(agency=agency).order_by("name").first()

    def make(title: str = "Shooting on River Street", days_ago: int = 2) -> CriticalIncident:
        day = (timezone.now() - timedelta(days=days_ago)).astimezone(CHICAGO).date()
        return CriticalIncident.objects.create(
            agency=agency, neighbourhood=place, title_en=title, title_es=f"{title} (es)",
            summary_en="An officer fired during a stop.", summary_es="Un agente disparó.",
            occurred_at=datetime(day.year, day.month, day.day, 13, 40, tzinfo=CHICAGO),
        )  # fmt: skip

    return make


def published(incident: CriticalIncident, after: timedelta) -> IncidentUpdate:
    """Write a first update and publish the incident `after` it happened."""
    first = services.post_update(incident, "At about 14:00 an officer fired.", "Hacia las 14:00.")
    services.publish(incident, now=incident.occurred_at + after)
    first.refresh_from_db()
    return first


def test_the_time_to_the_first_public_update_runs_from_the_incident_to_its_publication(
    make_incident: Any,
) -> None:
    incident = make_incident()
    # Drafts written early do not count: the clock stops when the public can read them.
    published(incident, timedelta(hours=2, minutes=25))
    services.post_update(incident, "Later.", now=incident.occurred_at + timedelta(hours=5))
    data = Client().get(f"/engagement/incidents/{incident.pk}.json").json()
    assert data["time_to_first_update_seconds"] == 8700
    assert data["time_to_first_update"] == "PT2H25M"
    assert data["first_public_update"].startswith(data["occurred"][:11])
    assert data["first_public_update"][11:16] == "16:05"
    page = Client().get(f"/engagement/incidents/{incident.pk}/").content.decode()
    assert "2 hours 25 minutes" in page and page.count("<h1") == 1


def test_an_unpublished_incident_and_its_drafts_are_hidden_and_staff_see_a_preview(
    make_incident: Any, client_as: Callable[..., Client]
) -> None:
    incident = make_incident()
    services.post_update(incident, "Draft words.")
    public = Client()
    assert public.get(f"/engagement/incidents/{incident.pk}/").status_code == 404
    assert public.get(f"/engagement/incidents/{incident.pk}.json").status_code == 404
    assert public.get("/engagement/incidents.json").json()["incidents"] == []
    preview = client_as(Role.SUPERVISOR).get(f"/engagement/incidents/{incident.pk}/")
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    body = preview.content.decode()
    assert "Draft: the public does not see this incident yet." in body and "Draft words." in body
    assert client_as(Role.ANALYST).get(f"/engagement/incidents/{incident.pk}/").status_code == 404


def test_publishing_needs_a_first_update_and_happens_once(make_incident: Any) -> None:
    incident = make_incident()
    with pytest.raises(services.Refused, match="first update"):
        services.publish(incident)
    published(incident, timedelta(hours=1))
    with pytest.raises(services.Refused, match="already public"):
        services.publish(incident)


def test_a_public_update_is_never_edited_or_deleted_only_corrected(make_incident: Any) -> None:
    incident = make_incident()
    first = published(incident, timedelta(hours=1))
    with pytest.raises(services.Refused, match="never edited"):
        services.change_draft(first, "Rewritten.")
    first.body_en = "Rewritten behind the public's back."
    with pytest.raises(PublishedUpdateIsFinal):
        first.save()
    with pytest.raises(PublishedUpdateIsFinal):
        IncidentUpdate.objects.get(pk=first.pk).delete()
    assert IncidentUpdate.objects.get(pk=first.pk).body_en == "At about 14:00 an officer fired."
    with pytest.raises(services.Refused, match="what the update got wrong"):
        services.correct_update(first, wrong_en=" ", body_en="At 13:40.")


def test_a_correction_shows_as_a_correction_and_the_original_stays_marked(
    make_incident: Any,
) -> None:
    incident = make_incident()
    first = published(incident, timedelta(minutes=25))  # posted at 14:05 local
    correction = services.correct_update(
        first, wrong_en="The time was 13:40, not 14:00.", wrong_es="La hora fue 13:40.",
        body_en="At 13:40 an officer fired.", body_es="A las 13:40 un agente disparó.",
        now=incident.occurred_at + timedelta(hours=1),
    )  # fmt: skip
    page = Client().get(f"/engagement/incidents/{incident.pk}/").content.decode()
    assert "Correction to the update of 2:05 p.m." in page  # English's clock; Spanish's below
    assert f'href="#update-{first.pk}"' in page and f'href="#update-{correction.pk}"' in page
    assert "Corrected" in page and "The time was 13:40, not 14:00." in page
    assert "At about 14:00 an officer fired." in page and "At 13:40 an officer fired." in page
    data = Client().get(f"/engagement/incidents/{incident.pk}.json").json()
    original, fixed = data["updates"]
    assert original["corrected_by"] == [correction.pk] and original["corrects"] is None
    assert fixed["corrects"] == first.pk and fixed["what_was_wrong"].startswith("The time")
    # The figure is the first update's, not the correction's.
    assert data["time_to_first_update_seconds"] == 25 * 60
    rows = list(
        csv.DictReader(
            io.StringIO(Client().get(f"/engagement/incidents/{incident.pk}.csv").content.decode())
        )
    )
    assert [r["corrects"] for r in rows] == ["", str(first.pk)]
    assert rows[0]["corrected_by"] == str(correction.pk)
    spanish = Client().get(f"/es/engagement/incidents/{incident.pk}/").content.decode()
    assert '<h1 lang="es">Shooting on River Street (es)</h1>' in spanish
    assert "A las 13:40 un agente disparó." in spanish and "La hora fue 13:40." in spanish
    assert "14:05" in spanish


def test_the_incident_feed_gives_its_timeline_with_corrections_in_each_language(
    make_incident: Any,
) -> None:
    incident = make_incident()
    first = published(incident, timedelta(minutes=25))  # posted at 14:05 local
    correction = services.correct_update(
        first, wrong_en="The time was 13:40, not 14:00.", wrong_es="La hora fue 13:40.",
        body_en="At 13:40 an officer fired.", body_es="A las 13:40 un agente disparó.",
        now=incident.occurred_at + timedelta(hours=1),
    )  # fmt: skip
    later = services.post_update(
        incident, "The man is stable.", "El hombre está estable.",
        now=incident.occurred_at + timedelta(hours=2),
    )  # fmt: skip
    services.post_update(make_incident("Another", days_ago=3), "Elsewhere, a draft.")
    client = Client()
    page = client.get(f"/engagement/incidents/{incident.pk}/").content.decode()
    url = f"/engagement/incidents/{incident.pk}.atom"
    assert f'<link rel="alternate" type="application/atom+xml" href="{url}"' in page
    assert "Subscribe to this incident's updates (Atom)" in page
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    english = feedparser.parse(response.content)
    assert english.version == "atom10" and not english.bozo
    assert english.feed.language == "en" and "Shooting on River Street" in english.feed.title
    base = f"http://testserver/engagement/incidents/{incident.pk}/"
    assert [e.link for e in english.entries] == [
        f"{base}#update-{u.pk}" for u in (first, correction, later)
    ]
    original, fixed, stable = english.entries
    assert [e.published_parsed for e in english.entries] == sorted(
        e.published_parsed for e in english.entries
    )
    assert original.published_parsed == first.posted_at.utctimetuple()
    assert fixed.title == "Correction to the update of 2:05 p.m."
    assert fixed.content[0].value.startswith("What was wrong: The time was 13:40, not 14:00.")
    assert "At 13:40 an officer fired." in fixed.content[0].value
    assert "(corrected)" in original.title and "See the correction of" in original.summary
    assert f"{base}#update-{correction.pk}" in original.summary
    assert [link.href for link in original.links] == [f"{base}#update-{first.pk}"]
    assert "corrected" not in stable.title and "The man is stable." in stable.summary
    assert "Elsewhere" not in response.content.decode()
    assert all(e.id.startswith("urn:uuid:") for e in english.entries)
    again = feedparser.parse(client.get(url).content)
    assert [e.id for e in again.entries] == [e.id for e in english.entries]
    spanish = feedparser.parse(client.get(f"/es{url}").content)
    assert spanish.feed.language == "es" and "Shooting on River Street (es)" in spanish.feed.title
    assert spanish.entries[1].title == "Corrección de la actualización de 14:05"
    assert spanish.entries[1].content[0].value.startswith("Qué estaba mal: La hora fue 13:40.")
    assert "A las 13:40 un agente disparó." in spanish.entries[1].content[0].value
    assert spanish.entries[0].link == (
        f"http://testserver/es/engagement/incidents/{incident.pk}/#update-{first.pk}"
    )
    assert not {e.id for e in spanish.entries} & {e.id for e in english.entries}


def test_a_draft_or_unknown_incident_has_no_feed(
    make_incident: Any, client_as: Callable[..., Client]
) -> None:
    draft = make_incident()
    services.post_update(draft, "Draft words.")
    supervisor = client_as(Role.SUPERVISOR)
    for client in (Client(), supervisor):
        assert client.get(f"/engagement/incidents/{draft.pk}.atom").status_code == 404
    preview = supervisor.get(f"/engagement/incidents/{draft.pk}/")
    assert ".atom" not in preview.content.decode()
    assert Client().get(f"/engagement/incidents/{draft.pk + 1000}.atom").status_code == 404
    assert Client().get(f"/es/engagement/incidents/{draft.pk + 1000}.atom").status_code == 404


def test_the_list_gives_each_incidents_figure_and_the_median(make_incident: Any) -> None:
    for number, minutes in enumerate((30, 90, 240)):
        published(
            make_incident(f"Incident {number}", days_ago=3 + number), timedelta(minutes=minutes)
        )
    make_incident("Still a draft")
    client = Client()
    data = client.get("/engagement/incidents.json").json()
    assert [i["title"] for i in data["incidents"]] == ["Incident 0", "Incident 1", "Incident 2"]
    assert [i["time_to_first_update_seconds"] for i in data["incidents"]] == [1800, 5400, 14400]
    assert data["summary"]["median_time_to_first_update_seconds"] == 5400
    assert data["summary"]["incidents"] == 3
    page = client.get("/engagement/incidents/").content.decode()
    assert "1 hour 30 minutes" in page and "<caption" in page and 'scope="col"' in page
    rows = list(
        csv.DictReader(io.StringIO(client.get("/engagement/incidents.csv").content.decode()))
    )
    assert [r["time_to_first_update"] for r in rows] == ["PT30M", "PT1H30M", "PT4H"]
    assert client.get("/engagement/incidents.json?neighbourhood=atlantis").status_code == 400
    assert client.get("/engagement/incidents/?page=\u0661").status_code == 404


def test_links_to_released_footage_accept_only_web_addresses(make_incident: Any) -> None:
    incident = make_incident()
    published(incident, timedelta(hours=1))
    for bad in ("javascript:alert(1)", "ftp://files.example/video.mp4", "not a url"):
        link = IncidentLink(
            incident=incident, kind="footage", title_en="Video", url=bad,
            released_on=timezone.localdate(),
        )  # fmt: skip
        with pytest.raises(ValidationError):
            link.full_clean()
    IncidentLink.objects.create(
        incident=incident, kind="footage", title_en="Body-worn camera", title_es="Cámara corporal",
        url="https://video.example/bwc.mp4", released_on=timezone.localdate(),
    )  # fmt: skip
    data = Client().get(f"/es/engagement/incidents/{incident.pk}.json").json()
    (link,) = data["links"]
    assert (link["kind"], link["title"], link["url"]) == (
        "footage", "Cámara corporal", "https://video.example/bwc.mp4"
    )  # fmt: skip
    assert link["released"] == timezone.localdate().isoformat()
    page = Client().get(f"/engagement/incidents/{incident.pk}/").content.decode()
    assert 'href="https://video.example/bwc.mp4"' in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_reach_the_pages_that_post_and_correct_updates(
    persona: str, make_incident: Any, client_as: Callable[..., Client]
) -> None:
    incident = make_incident()
    first = published(incident, timedelta(hours=1))
    client = client_as(persona)
    pages = [
        f"/engagement/incidents/{incident.pk}/updates/new/",
        f"/engagement/incidents/{incident.pk}/updates/{first.pk}/correct/",
    ]
    for url in pages:
        response = client.get(url)
        if persona in STAFF:
            assert response.status_code == 200, url
        elif persona == ANONYMOUS:
            assert response.status_code == 302, url
        else:
            assert response.status_code == 403, url
        assert client.post(url, {"body_en": "x", "wrong_en": "y"}).status_code in (
            (302,) if persona in STAFF else (302, 403)
        )
    public = client.get(f"/engagement/incidents/{incident.pk}/").content.decode()
    assert ("Correct this update" in public) is (persona in STAFF)


def test_staff_post_and_correct_on_the_page_and_each_step_is_audited(
    make_incident: Any, client_as: Callable[..., Client]
) -> None:
    incident = make_incident()
    first = published(incident, timedelta(hours=1))
    officer = client_as(Role.OFFICER)
    empty = officer.post(f"/engagement/incidents/{incident.pk}/updates/new/", {"body_en": " "})
    assert (
        empty.status_code == 400
        and "Write the update in English or Spanish." in empty.content.decode()
    )
    posted = officer.post(
        f"/engagement/incidents/{incident.pk}/updates/new/",
        {"body_en": "The man is stable.", "body_es": "El hombre está estable."},
    )
    update = IncidentUpdate.objects.get(body_en="The man is stable.")
    assert posted.status_code == 302 and posted["Location"].endswith(f"#update-{update.pk}")
    assert update.is_public and update.author is not None
    form = officer.get(f"/engagement/incidents/{incident.pk}/updates/{first.pk}/correct/")
    assert "At about 14:00 an officer fired." in form.content.decode()  # the original, quoted
    missing = officer.post(
        f"/engagement/incidents/{incident.pk}/updates/{first.pk}/correct/", {"body_en": "At 13:40."}
    )
    assert (
        missing.status_code == 400 and "Say what the update got wrong." in missing.content.decode()
    )
    officer.post(
        f"/engagement/incidents/{incident.pk}/updates/{first.pk}/correct/",
        {"wrong_en": "The time was wrong.", "body_en": "At 13:40 an officer fired."},
    )
    correction = IncidentUpdate.objects.get(corrects=first)
    assert correction.posted_at and update.posted_at and correction.posted_at >= update.posted_at
    logged = AuditEntry.objects.filter(model__icontains="incidentupdate")
    assert {str(update.pk), str(correction.pk)} <= set(logged.values_list("object_pk", flat=True))
    # A draft is changed, not corrected.
    draft_incident = make_incident("Another")
    draft = services.post_update(draft_incident, "Draft.")
    url = f"/engagement/incidents/{draft_incident.pk}/updates/{draft.pk}/correct/"
    assert officer.get(url).status_code == 404


def test_the_back_office_locks_a_public_incidents_account_and_timeline(
    make_incident: Any, client_as: Callable[..., Client]
) -> None:
    incident = make_incident()
    officer = client_as(Role.OFFICER)
    url = f"/backoffice/engagement/criticalincident/{incident.pk}/change/"
    draft_page = officer.get(url).content.decode()
    assert 'name="summary_en"' in draft_page and 'name="updates-0-body_en"' in draft_page
    published(incident, timedelta(hours=1))
    page = officer.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="summary_en"' not in body and 'name="occurred_at_0"' not in body
    assert 'name="updates-0-body_en"' not in body  # the timeline is read-only
    assert f"/engagement/incidents/{incident.pk}/updates/new/" in body


def test_the_demo_incident_has_a_correction_footage_and_its_figure(engaged_city: Any) -> None:
    agency = Agency.objects.get(slug="riverton-pd")
    assert agency.announcements.filter(neighbourhood__isnull=True).count() >= 2
    incident = CriticalIncident.objects.get(agency=agency)
    data = Client().get(f"/engagement/incidents/{incident.pk}.json").json()
    assert data["time_to_first_update"] == "PT2H25M"
    assert sum(1 for u in data["updates"] if u["corrects"]) == 1
    assert any(link["kind"] == "footage" for link in data["links"])
    listed = Client().get("/es/engagement/announcements.json").json()
    assert (
        listed["active_alerts"]
        and listed["active_alerts"][0]["title"] == "Calle cortada por una fuga de gas"
    )

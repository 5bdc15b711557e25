"""Public officer profiles: published into the release under the OFFICER_PROFILES policy, found
by name or badge, with closed workflow cases and historic records alike, and nothing private."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.test import Client, override_settings
from django.utils import timezone

from commonbeat.core.models import Assignment, Officer
from commonbeat.core.roles import Role
from commonbeat.oversight.cases.models import Allegation, Complaint
from commonbeat.oversight.profiles.build import profile_slug
from commonbeat.oversight.tests import cases_factory as make
from commonbeat.records.engine import ImportReport
from commonbeat.records.roster import sync_roster
from commonbeat.records.store import RecordStore
from commonbeat.releases.cache import forget_releases
from commonbeat.releases.publish import publish
from commonbeat.testing.records import standard_csv

PERSONAS = (
    "anonymous",
    Role.RESIDENT,
    Role.OFFICER,
    Role.SUPERVISOR,
    Role.INVESTIGATOR,
    Role.BOARD_MEMBER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)


def _close(case: Complaint, finding: str, discipline: str = "") -> None:
    """Record a final finding on the case's one allegation and close it (straight through the
    ORM: the workflow itself is tested in test_cases_workflow.py)."""
    accused = case.officers.get()
    Allegation.objects.create(
        complaint=case,
        accused=accused,
        category="force",
        description="Pushed Maria Lopez against the wall",
        final_finding=finding,
        final_discipline=discipline,
    )
    Complaint.objects.filter(pk=case.pk).update(stage="closed", closed_at=timezone.now())


@pytest.fixture
def profiled(
    db: None,
    settings: Any,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    tmp_path: Path,
) -> Iterator[dict[str, Any]]:
    """Two rostered officers with workflow cases, one with historic records, published."""
    settings.OFFICER_PROFILES = "named"
    pena = make.officer("Peña")
    Officer.objects.filter(pk=pena.pk).update(
        first_name="Ana", birth_year=1979, employment_date=date(2015, 3, 1)
    )
    pena.refresh_from_db()
    Assignment.objects.filter(officer=pena).update(end_date=date(2022, 12, 31))
    Assignment.objects.create(
        officer=pena,
        badge_number="7788",
        rank="Sergeant",
        unit="Harbour",
        start_date=date(2023, 1, 1),
    )
    other = make.officer("Okafor")
    # Workflow: a closed, sustained complaint and an open one against Peña; a commendation.
    _close(make.complaint(accused=pena), "sustained", "suspension")
    open_case = make.complaint(accused=pena)
    _close(make.complaint(kind=Complaint.Kind.COMMENDATION, accused=pena), "")
    Allegation.objects.filter(complaint__kind=Complaint.Kind.COMMENDATION).delete()
    # Historic: two allegations naming Okafor by the roster's uid, one pending (left out).
    complaints = standard_csv(
        tmp_path / "complaints.csv",
        "complaint",
        [
            {"record_id": "H1", "agency": "test-pd", "received_date": "2019-04-02",
             "closed_date": "2019-10-20", "category": "force", "narrative": "Secret words"},
            {"record_id": "H2", "agency": "test-pd", "received_date": "2024-05-01",
             "category": "courtesy"},
        ],
    )  # fmt: skip
    allegations = standard_csv(
        tmp_path / "allegations.csv",
        "allegation",
        [
            {"record_id": "A1", "parent_id": "H1", "agency": "test-pd", "officer_id": other.uid,
             "category": "force", "allegation": "Physical force", "final_finding": "unfounded"},
            {"record_id": "A2", "parent_id": "H2", "agency": "test-pd", "officer_id": other.uid,
             "category": "discourtesy", "final_finding": "pending"},
        ],
    )  # fmt: skip
    # An imported roster without assignment history (as the CCRB's): synced, then profiled
    # with the roster's own rank, unit and badge.
    roster = standard_csv(
        tmp_path / "roster.csv",
        "roster",
        [{"record_id": "R9", "agency": "test-pd", "first_name": "Jo", "last_name": "Mensah",
          "rank": "Detective", "unit": "Harbour", "badge_number": "5150", "birth_year": "1970"}],
    )  # fmt: skip
    report = run_import(complaints, allegations, roster)
    assert report.ok, report.as_dict()
    sync_roster(record_store, "test-pd")
    root = tmp_path / "published"
    summary = publish(record_store, root / "releases", min_count=1, equity=False)
    with override_settings(RELEASES_DIR=root / "releases", RELEASE_CACHE_DIR=root / "cache"):
        forget_releases()
        yield {"pena": pena, "other": other, "open": open_case, "summary": summary}
        forget_releases()


def _json(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (
        url,
        response.status_code,
        response.content.decode()[-1500:],
    )
    return json.loads(response.content)


def test_the_release_holds_valid_profile_tables_without_private_data(
    profiled: dict[str, Any],
) -> None:
    summary = profiled["summary"]
    data = summary.path / "data"
    text = "".join(
        (data / f"{name}.csv").read_text(encoding="utf-8")
        for name in (
            "oversight_officer_profiles",
            "oversight_officer_assignments",
            "oversight_officer_cases",
        )
    )
    pena, other = profiled["pena"], profiled["other"]
    assert "Peña" in text and "7788" in text
    for private in (pena.uid, other.uid, "1979", "1970", "Maria Lopez", "Secret words", "Pushed",
                    profiled["open"].reference, "2015-03-01"):  # fmt: skip
        assert private not in text, private
    report = frictionless.validate(summary.path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])[:5]


def test_a_profile_counts_closed_workflow_cases_and_historic_records(
    profiled: dict[str, Any],
) -> None:
    pena, other = profiled["pena"], profiled["other"]
    client = Client()
    slug = profile_slug(pena.first_name, pena.last_name, pena.uid)
    data = _json(client, f"/oversight/officers/{slug}.json")
    profile = data["profile"]
    assert profile["name"] == "Ana Peña"
    assert (profile["rank"], profile["unit"], profile["badge"]) == ("Sergeant", "Harbour", "7788")
    assert set(data["badges"]) == {"7788", pena.assignments.order_by("start_date")[0].badge_number}
    # The open complaint is not counted; the closed one is, with its finding; the commendation.
    assert (profile["complaints"], profile["allegations"], profile["sustained"]) == (1, 1, 1)
    assert profile["commendations"] == 1
    assert [a["start"] for a in data["assignments"]] == ["2023-01", "2020-01"]
    kinds = sorted((c["kind"], c["finding"], c["discipline"]) for c in data["cases"])
    assert kinds == [("commendation", None, None), ("complaint", "sustained", "suspension")]
    for hidden in ("uid", "birth_year", "employment_date", "gender", "race", "name_search"):
        assert hidden not in profile
    historic = _json(client, f"/oversight/officers/{profile_slug('Sam', 'Okafor', other.uid)}.json")
    assert historic["profile"]["unfounded"] == 1 and historic["profile"]["allegations"] == 1
    (case,) = historic["cases"]
    assert (case["origin"], case["received"], case["closed"], case["allegation"]) == (
        "historic", "2019-04", "2019-10", "Physical force",
    )  # fmt: skip


def test_the_search_finds_an_officer_by_name_without_accents_or_by_any_badge(
    profiled: dict[str, Any],
) -> None:
    pena = profiled["pena"]
    old_badge = pena.assignments.order_by("start_date")[0].badge_number
    client = Client()
    for query in ("pena", "Ana Peña", "ANA pe", "7788", old_badge):
        found = _json(client, f"/oversight/officers.json?q={query}")
        assert [o["name"] for o in found["officers"]] == ["Ana Peña"], query
    assert _json(client, "/oversight/officers.json?q=nobody")["found"] == 0
    (mensah,) = _json(client, "/oversight/officers.json?q=5150")["officers"]
    assert (mensah["name"], mensah["rank"], mensah["unit"]) == ("Jo Mensah", "Detective", "Harbour")
    everyone = _json(client, "/oversight/officers.json")
    assert everyone["found"] == Officer.objects.count()
    rows = list(csv.reader(io.StringIO(client.get("/oversight/officers.csv").content.decode())))
    assert rows[0][:2] == ["officer", "name"] and len(rows) == 1 + Officer.objects.count()
    page = client.get("/es/oversight/officers/?q=pena")
    assert page.status_code == 200
    assert "Ana Peña" in page.content.decode() and 'lang="es"' in page.content.decode()


def test_bad_searches_and_pages_are_refused_clearly(profiled: dict[str, Any]) -> None:
    client = Client()
    too_long = client.get("/oversight/officers/?q=" + "x" * 101)
    assert too_long.status_code == 400 and "at most 100" in too_long.content.decode()
    assert client.get("/oversight/officers/?page=0").status_code == 404
    assert client.get("/oversight/officers/?page=abc").status_code == 404
    assert client.get("/oversight/officers/nobody-0000000000/").status_code == 404
    assert client.get("/oversight/officers/?agency=elsewhere").status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_the_same_public_profile(
    profiled: dict[str, Any], client_as: Callable[..., Client], persona: str
) -> None:
    pena = profiled["pena"]
    slug = profile_slug(pena.first_name, pena.last_name, pena.uid)
    client = client_as(persona)
    page = client.get(f"/oversight/officers/{slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ana Peña" in text and "Maria Lopez" not in text and pena.uid not in text
    assert client.get(f"/oversight/officers/{slug}.csv").status_code == 200


def test_profiles_off_publishes_nothing_and_withdraws_the_pages(
    profiled: dict[str, Any], settings: Any, record_store: RecordStore, tmp_path: Path
) -> None:
    settings.OFFICER_PROFILES = "off"
    assert Client().get("/oversight/officers/").status_code == 404
    summary = publish(record_store, tmp_path / "off", min_count=1, equity=False)
    assert not (summary.path / "data" / "oversight_officer_profiles.csv").exists()
    manifest = json.loads((summary.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["officer_profiles"] == {"published": False, "tables": []}


def test_without_a_release_the_search_says_so(db: None, settings: Any) -> None:
    settings.OFFICER_PROFILES = "named"
    forget_releases()
    page = Client().get("/oversight/officers/")
    assert page.status_code == 200 and 'id="no-release"' in page.content.decode()
    assert json.loads(Client().get("/oversight/officers.json").content)["published"] is False


def test_a_profiles_cases_come_a_page_at_a_time_and_all_in_the_csv(
    profiled: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonbeat.oversight.profiles import views

    monkeypatch.setattr(views, "CASES_PAGE", 1)
    pena = profiled["pena"]
    url = f"/oversight/officers/{profile_slug(pena.first_name, pena.last_name, pena.uid)}"
    client = Client()
    first, second = _json(client, f"{url}.json"), _json(client, f"{url}.json?page=2")
    assert (len(first["cases"]), first["cases_has_next"]) == (1, True)
    assert (len(second["cases"]), second["cases_has_next"]) == (1, False)
    assert first["cases"] != second["cases"]
    assert 'rel="next"' in client.get(f"{url}/").content.decode()
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv").content.decode())))
    assert len(rows) == 1 + 2

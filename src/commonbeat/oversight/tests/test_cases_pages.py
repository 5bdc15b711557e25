"""The staff pages take a case through every stage by their forms; each form refuses the
roles it should and says what is wrong with bad input, storing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonbeat.core.models import User
from commonbeat.core.roles import Role
from commonbeat.oversight import vocab
from commonbeat.oversight.cases.models import Complaint, Stage
from commonbeat.oversight.tests import cases_factory as make
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _move(client: Client, case: Complaint, name: str, note: str = "") -> Any:
    return client.post(f"/oversight/cases/{case.reference}/move/{name}/", {"note": note})


def _stage(case: Complaint) -> str:
    return Complaint.objects.get(pk=case.pk).stage


def test_staff_take_a_case_to_closure_through_the_pages_with_a_final_decision_unlike_the_boards() -> (
    None
):
    people = make.staff()
    intake, investigator = _client(people["intake"]), _client(people["investigator"])
    board, admin = _client(people["board"]), _client(people["admin"])
    case = make.complaint()
    url = f"/oversight/cases/{case.reference}"
    page = intake.get(f"{url}/").content.decode()
    assert "start_intake_review" in page
    assert _move(intake, case, "start_intake_review").status_code == 302
    response = intake.post(
        f"{url}/intake/",
        {
            "category": "force",
            "in_jurisdiction": "yes",
            "investigator": people["investigator"].pk,
            "unit": "District 1",
        },
    )
    assert response.status_code == 302
    assert _move(intake, case, "assign").status_code == 302
    assert _move(investigator, case, "start_investigation").status_code == 302
    accused = case.officers.get()
    response = investigator.post(
        f"{url}/allegations/",
        {"accused": accused.pk, "category": "force", "description": "Pushed to the ground."},
    )
    assert response.status_code == 302
    allegation = case.allegations.get()
    prefix = f"a{allegation.pk}"
    response = investigator.post(
        f"{url}/allegations/{allegation.pk}/investigator/",
        {
            f"{prefix}-finding": "sustained",
            f"{prefix}-reason": "Video.",
            f"{prefix}-discipline": "suspension",
        },
    )
    assert response.status_code == 302
    assert _move(investigator, case, "submit_findings").status_code == 302
    assert _move(investigator, case, "send_to_board").status_code == 302
    response = board.post(
        f"{url}/allegations/{allegation.pk}/board/",
        {f"{prefix}-finding": "sustained", f"{prefix}-reason": "Agreed."},
    )
    assert response.status_code == 302
    assert _move(board, case, "complete_board_review").status_code == 302
    response = admin.post(
        f"{url}/allegations/{allegation.pk}/final/",
        {
            f"{prefix}-finding": "exonerated",
            f"{prefix}-reason": "Within policy.",
            f"{prefix}-discipline": "none",
        },
    )
    assert response.status_code == 302
    assert _move(admin, case, "decide").status_code == 302
    assert _move(admin, case, "close", "Letters sent.").status_code == 302
    assert _stage(case) == Stage.CLOSED
    allegation.refresh_from_db()
    assert (allegation.board_finding, allegation.final_finding) == ("sustained", "exonerated")
    timeline = admin.get(f"{url}.json").json()["timeline"]
    assert [t["to"] for t in timeline][-1] == "closed"


def test_a_move_the_case_cannot_make_is_refused_with_a_message_and_nothing_changes() -> None:
    people = make.staff()
    case = make.complaint()
    response = _move(_client(people["admin"]), case, "decide")
    assert response.status_code == 409
    assert "cannot do this now" in response.content.decode()
    assert _stage(case) == Stage.RECEIVED


def test_a_move_by_someone_without_the_permission_is_refused() -> None:
    people = make.staff()
    case = make.complaint()
    assert _move(_client(people["board"]), case, "start_intake_review").status_code == 403
    assert _stage(case) == Stage.RECEIVED


def test_closing_at_intake_without_reasons_is_refused_naming_the_reasons() -> None:
    people = make.staff()
    case = make.complaint(kind=Complaint.Kind.COMMENDATION)
    intake = _client(people["intake"])
    _move(intake, case, "start_intake_review")
    response = _move(intake, case, "close_at_intake", "")
    assert response.status_code == 400
    assert "Give the reasons" in response.content.decode()
    assert _stage(case) == Stage.INTAKE_REVIEW


def test_an_allegation_with_a_bad_category_is_refused_and_not_stored() -> None:
    people = make.staff()
    case = make.complaint()
    intake = _client(people["intake"])
    _move(intake, case, "start_intake_review")
    intake.post(
        f"/oversight/cases/{case.reference}/intake/",
        {"category": "force", "in_jurisdiction": "yes", "investigator": people["investigator"].pk},
    )
    _move(intake, case, "assign")
    response = _client(people["investigator"]).post(
        f"/oversight/cases/{case.reference}/allegations/",
        {"accused": case.officers.get().pk, "category": "shouting", "description": "x"},
    )
    assert response.status_code == 400
    assert "Category" in response.content.decode()
    assert not case.allegations.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_assigned_investigator_may_add_an_allegation(
    persona: str, client_as: Callable[..., Client]
) -> None:
    people = make.staff()
    case = make.complaint()
    client = client_as(persona)
    response = client.post(
        f"/oversight/cases/{case.reference}/allegations/",
        {"accused": case.officers.get().pk, "category": "force", "description": "x"},
    )
    if persona == ANONYMOUS:
        expected = 302
    elif persona in (Role.INVESTIGATOR, Role.BOARD_MEMBER, Role.ADMINISTRATOR):
        expected = 403  # they see the case, but are not its assigned investigator
    else:
        expected = 404  # a case they may not see is not revealed
    assert response.status_code == expected
    assert not case.allegations.exists()
    assert people  # the staff exist, none of them signed in here


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_board_members_record_the_boards_finding(
    persona: str, client_as: Callable[..., Client]
) -> None:
    case = make.complaint()
    allegation = case.allegations.create(
        accused=case.officers.get(), category="force", description="x"
    )
    response = client_as(persona).post(
        f"/oversight/cases/{case.reference}/allegations/{allegation.pk}/board/",
        {f"a{allegation.pk}-finding": "sustained", f"a{allegation.pk}-reason": "x"},
    )
    if persona == ANONYMOUS:
        assert response.status_code == 302
    elif persona == Role.BOARD_MEMBER:
        assert response.status_code == 400  # right person, wrong stage: nothing stored
    else:
        assert response.status_code == 403
    allegation.refresh_from_db()
    assert allegation.board_finding == ""


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_stage_deadlines_back_office_page_is_for_administrators_and_supervisors(
    persona: str, client_as: Callable[..., Client]
) -> None:
    response = client_as(persona).get("/backoffice/oversight/stagedeadline/")
    if persona in (Role.ADMINISTRATOR, Role.SUPERVISOR):
        assert response.status_code == 200
    elif persona in (ANONYMOUS, Role.RESIDENT):
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_sources_categories_map_onto_ours() -> None:
    assert vocab.category_for("Abuse of Authority") == "abuse of authority"
    assert vocab.category_for("FORCE") == "force"
    assert vocab.category_for("Illegal Search") == "improper search"
    assert vocab.category_for("Something new") == "other"


def test_the_assigned_investigator_corrects_an_allegation_during_the_investigation() -> None:
    people = make.staff()
    case = make.complaint()
    intake = _client(people["intake"])
    _move(intake, case, "start_intake_review")
    intake.post(
        f"/oversight/cases/{case.reference}/intake/",
        {"category": "force", "in_jurisdiction": "yes", "investigator": people["investigator"].pk},
    )
    _move(intake, case, "assign")
    allegation = case.allegations.create(
        accused=case.officers.get(), category="force", description="Pushed."
    )
    url = f"/oversight/cases/{case.reference}/allegations/{allegation.pk}/edit/"
    data = {f"e{allegation.pk}-category": "discourtesy", f"e{allegation.pk}-description": "Swore."}
    assert _client(people["board"]).post(url, data).status_code == 403
    page = _client(people["investigator"]).get(f"/oversight/cases/{case.reference}/")
    assert "Edit the allegation" in page.content.decode()
    assert _client(people["investigator"]).post(url, data).status_code == 302
    allegation.refresh_from_db()
    assert (allegation.category, allegation.description) == ("discourtesy", "Swore.")


def _to_final_decision(people: dict[str, User]) -> Complaint:
    from commonbeat.oversight.cases import services

    case = services.advance(make.complaint(), "start_intake_review", actor=people["intake"])
    case = services.triage(
        case,
        actor=people["intake"],
        category="force",
        in_jurisdiction=True,
        investigator=people["investigator"],
    )
    case = services.advance(case, "assign", actor=people["intake"])
    case = services.advance(case, "start_investigation", actor=people["investigator"])
    allegation = services.add_allegation(
        case,
        accused=case.officers.get(),
        category="force",
        description="Pushed.",
        actor=people["investigator"],
    )
    services.record_finding(
        allegation,
        level="investigator",
        finding="sustained",
        reason="Video.",
        actor=people["investigator"],
    )
    for name, who in (
        ("submit_findings", "investigator"),
        ("send_to_board", "investigator"),
    ):
        case = services.advance(case, name, actor=people[who])
    services.record_finding(
        allegation, level="board", finding="sustained", reason="Agreed.", actor=people["board"]
    )
    return services.advance(case, "complete_board_review", actor=people["board"])


# What each persona gets from each form (the supervisor persona has no unit, so sees no case).
EXPECTED = {
    "start_intake_review": {
        ANONYMOUS: 302,
        Role.RESIDENT: 403,
        Role.OFFICER: 403,
        Role.SUPERVISOR: 404,
        Role.INVESTIGATOR: 302,
        Role.BOARD_MEMBER: 403,
        Role.ANALYST: 403,
        Role.ADMINISTRATOR: 403,
    },
    "triage": {
        ANONYMOUS: 302,
        Role.RESIDENT: 403,
        Role.OFFICER: 403,
        Role.SUPERVISOR: 403,
        Role.INVESTIGATOR: 302,
        Role.BOARD_MEMBER: 403,
        Role.ANALYST: 403,
        Role.ADMINISTRATOR: 403,
    },
    "extend": {
        ANONYMOUS: 302,
        Role.RESIDENT: 404,
        Role.OFFICER: 404,
        Role.SUPERVISOR: 404,
        Role.INVESTIGATOR: 403,
        Role.BOARD_MEMBER: 403,
        Role.ANALYST: 404,
        Role.ADMINISTRATOR: 302,
    },
    "final": {
        ANONYMOUS: 302,
        Role.RESIDENT: 403,
        Role.OFFICER: 403,
        Role.SUPERVISOR: 403,
        Role.INVESTIGATOR: 403,
        Role.BOARD_MEMBER: 403,
        Role.ANALYST: 403,
        Role.ADMINISTRATOR: 302,
    },
}


@pytest.mark.parametrize("form", EXPECTED)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_form_answers_each_role_as_the_policy_says(
    form: str, persona: str, client_as: Callable[..., Client]
) -> None:
    from commonbeat.oversight.cases import services

    people = make.staff()
    client = client_as(persona)
    if form == "start_intake_review":
        case = make.complaint()
        response = _move(client, case, "start_intake_review")
        changed = _stage(case) != Stage.RECEIVED
    elif form == "triage":
        case = services.advance(make.complaint(), "start_intake_review", actor=people["intake"])
        response = client.post(
            f"/oversight/cases/{case.reference}/intake/",
            {"category": "bias", "in_jurisdiction": "yes"},
        )
        changed = Complaint.objects.get(pk=case.pk).category == "bias"
    elif form == "extend":
        case = make.complaint()
        response = client.post(
            f"/oversight/cases/{case.reference}/extend/", {"days": "5", "reason": "Busy."}
        )
        changed = case.extensions.exists()
    else:
        case = _to_final_decision(people)
        allegation = case.allegations.get()
        response = client.post(
            f"/oversight/cases/{case.reference}/allegations/{allegation.pk}/final/",
            {
                f"a{allegation.pk}-finding": "sustained",
                f"a{allegation.pk}-reason": "Chief agrees.",
                f"a{allegation.pk}-discipline": "reprimand",
            },
        )
        allegation.refresh_from_db()
        changed = allegation.final_finding == "sustained"
    expected = EXPECTED[form][persona]
    assert response.status_code == expected
    assert changed == (expected == 302 and persona != ANONYMOUS)

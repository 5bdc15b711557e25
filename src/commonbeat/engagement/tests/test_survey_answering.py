"""Answering a survey: once per invitation link (anonymously) or once per signed-in resident;
conditional questions; required answers named; free text private until an analyst publishes an
excerpt; population counts loaded all or nothing; the back office by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.models import (
    Answer,
    Invitation,
    PopulationCount,
    Question,
    Response,
    Wave,
)
from commonbeat.testing.personas import ANONYMOUS, PERSONAS


def _form(wave: Wave, place: Neighbourhood | None = None, **given: str) -> dict[str, Any]:
    """POST data answering the required questions, plus any given by code (choice codes)."""
    questions = {q.code: q for q in wave.survey.questions.prefetch_related("choices", "rows")}
    chosen = {"safe_night": "fairly_safe", "job": "good", **given}
    data: dict[str, Any] = {}
    if place is not None:
        data["neighbourhood"] = str(place.pk)
    for code, value in chosen.items():
        q = questions[code]
        if q.kind == Question.Kind.TEXT:
            data[f"q{q.pk}"] = value
        else:
            data[f"q{q.pk}"] = str(q.choices.get(code=value).pk)
    trust = questions["trust"]
    agree = trust.choices.get(code="agree").pk
    for row in trust.rows.all():
        data[f"q{trust.pk}_r{row.pk}"] = str(agree)
    return data


def _place() -> Neighbourhood:
    found = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name").first()
    assert found is not None
    return found


def test_an_invitation_link_answers_once_and_the_response_does_not_point_back(
    survey_wave: Wave, client_as: Callable[..., Client]
) -> None:
    place = _place()
    (token,) = services.invite(survey_wave, 1, place)
    url = f"/engagement/surveys/answer/{token}/"
    client = client_as(ANONYMOUS)
    page = client.get(url)
    assert page.status_code == 200
    assert (page["Referrer-Policy"], page["Cache-Control"]) == ("same-origin", "no-store")
    body = page.content.decode()
    assert "Which neighbourhood" not in body  # the invitation names it
    assert 'type="radio"' in body and "<fieldset" in body and "(optional)" in body
    answered = client.post(url, _form(survey_wave))
    assert answered.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.neighbourhood, response.respondent_key) == (
        "invitation",
        place,
        None,
    )
    assert not any(f.name in ("invitation", "token_hash") for f in Response._meta.get_fields())
    again = client.post(url, _form(survey_wave))
    assert again.status_code == 409 and "already been used" in again.content.decode()
    assert Response.objects.count() == 1
    assert Invitation.objects.get().used_at is not None
    assert client.get("/engagement/surveys/answer/not-a-real-token/").status_code == 404


def test_a_signed_in_resident_answers_once_and_choose_their_neighbourhood(
    survey_wave: Wave, client_as: Callable[..., Client]
) -> None:
    url = f"/engagement/surveys/waves/{survey_wave.pk}/answer/"
    anonymous = client_as(ANONYMOUS).get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    resident = client_as(Role.RESIDENT)
    missing = resident.post(url, _form(survey_wave))
    assert missing.status_code == 400 and "This field is required" in missing.content.decode()
    place = _place()
    assert resident.post(url, _form(survey_wave, place)).status_code == 302
    response = Response.objects.get()
    assert response.channel == "resident" and response.neighbourhood == place
    assert response.respondent_key and len(response.respondent_key) >= 40
    twice = resident.get(url)
    assert twice.status_code == 409 and "already answered" in twice.content.decode()
    assert resident.post(url, _form(survey_wave, place)).status_code == 409
    assert Response.objects.count() == 1
    officer = client_as(Role.OFFICER).post(url, _form(survey_wave, place))
    assert officer.status_code == 403 and "Only residents" in officer.content.decode()
    assert Response.objects.count() == 1


def test_required_answers_are_named_and_conditional_ones_ignored_when_not_asked(
    survey_wave: Wave, client_as: Callable[..., Client]
) -> None:
    (token,) = services.invite(survey_wave, 1, _place())
    url = f"/engagement/surveys/answer/{token}/"
    client = client_as(ANONYMOUS)
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert empty.content.decode().count("Choose an answer.") == 2  # safe_night and job
    assert Response.objects.count() == 0 and Invitation.objects.get().used_at is None
    # Said "no" to contact, yet answered the follow-up: that answer is not kept.
    data = _form(survey_wave, contact="no", contact_satisfied="very_satisfied")
    assert client.post(url, data).status_code == 302
    kept = set(Answer.objects.values_list("question__code", flat=True))
    assert "contact" in kept and "contact_satisfied" not in kept
    page = client_as(ANONYMOUS).get(f"/es/engagement/surveys/waves/{survey_wave.pk}/answer/")
    assert page.status_code == 302  # residents sign in first, in Spanish too


def test_a_closed_or_unopened_wave_takes_no_answers(
    survey_wave: Wave, client_as: Callable[..., Client]
) -> None:
    (token,) = services.invite(survey_wave, 1, _place())
    Wave.objects.filter(pk=survey_wave.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    client = client_as(ANONYMOUS)
    page = client.get(f"/engagement/surveys/answer/{token}/")
    assert page.status_code == 409 and "not open" in page.content.decode()
    survey_wave.refresh_from_db()
    with pytest.raises(services.SurveyRefused):
        services.answer(survey_wave, [], language="en", neighbourhood=None, user=None)


def test_free_text_is_private_until_an_analyst_publishes_an_excerpt(
    survey_wave: Wave, answer_as: Callable[..., Any], client_as: Callable[..., Client]
) -> None:
    place = _place()
    for _ in range(12):
        answer_as(survey_wave, place, safe_night="fairly_safe")
    response = answer_as(
        survey_wave, place, safe_night="fairly_safe",
        one_thing="More patrols on Elm Street near number 14 where I live",
    )  # fmt: skip
    Wave.objects.filter(pk=survey_wave.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    survey_wave.refresh_from_db()
    services.publish_results(survey_wave, None)
    client = client_as(ANONYMOUS)
    results = f"/engagement/surveys/waves/{survey_wave.pk}/results"
    assert "Elm Street" not in client.get(f"{results}/").content.decode()
    text = Answer.objects.get(response=response, question__code="one_thing")
    closed = Answer.objects.filter(response=response).exclude(pk=text.pk).first()
    assert closed is not None
    with pytest.raises(services.SurveyRefused):
        services.publish_excerpt(closed, "x", "", None)
    services.publish_excerpt(
        text, "More patrols on one street, at night.", "Más patrullas en una calle, de noche.", None
    )
    en = client.get(f"{results}/").content.decode()
    assert "More patrols on one street, at night." in en and "Elm Street" not in en
    es = client.get(f"/es{results}/").content.decode()
    assert "Más patrullas en una calle, de noche." in es
    data = client.get(f"{results}.json").json()
    assert [e["text"] for e in data["excerpts"]] == ["More patrols on one street, at night."]
    assert "Elm Street" not in str(data)


def test_population_counts_load_all_or_nothing_with_each_bad_line_named(city: Any) -> None:
    agency = Agency.objects.get(slug="riverton-pd")
    place = _place()
    bad = (
        "neighbourhood,dimension,group,residents\n"
        f"{place.slug},age,18_24,1200\n"
        "atlantis,age,18_24,10\n"
        f"{place.slug},height,tall,10\n"
        f"{place.slug},sex,female,twelve\n"
        f"{place.slug},age,18_24,5\n"
    )
    with pytest.raises(services.PopulationFileError) as refused:
        services.load_population(agency, bad, "census", name="counts.csv")
    problems = refused.value.problems
    assert problems[0].startswith("counts.csv, line 3, neighbourhood: 'atlantis'")
    assert any("line 4, dimension: 'height'" in p for p in problems)
    assert any(
        "line 5, residents: 'twelve' is not a whole number, e.g. 1250" in p for p in problems
    )
    assert any("line 6" in p and "already given above" in p for p in problems)
    assert PopulationCount.objects.count() == 0
    with pytest.raises(services.PopulationFileError, match="missing column"):
        services.load_population(agency, "place,count\nx,1\n", "census")
    good = f'neighbourhood,dimension,group,residents\n{place.slug},age,18_24,"1,200"\n'
    assert services.load_population(agency, good, "census") == 1
    assert services.load_population(agency, good, "census") == 1  # replaces, never doubles
    assert PopulationCount.objects.get().residents == 1200


SURVEY_STAFF = {Role.ANALYST, Role.ADMINISTRATOR}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_public_survey_pages_and_only_analysts_see_responses(
    persona: str, survey_wave: Wave, answer_as: Callable[..., Any], client_as: Callable[..., Client]
) -> None:
    answer_as(survey_wave, _place(), safe_night="very_safe", one_thing="Secret detail")
    client = client_as(persona)
    for page in (
        "/engagement/surveys/",
        "/engagement/surveys.json",
        "/engagement/surveys.csv",
        f"/engagement/surveys/{survey_wave.survey_id}/",
        f"/es/engagement/surveys/{survey_wave.survey_id}.json",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Secret detail" not in response.content.decode()
    for model in ("survey", "question", "wave", "response", "answer", "populationcount"):
        response = client.get(f"/backoffice/engagement/{model}/")
        if persona in SURVEY_STAFF:
            assert response.status_code == 200, model
        elif persona in (ANONYMOUS, Role.RESIDENT):
            assert response.status_code == 302, model
        else:
            assert response.status_code == 403, model

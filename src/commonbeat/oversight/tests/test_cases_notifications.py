"""Messages to complainants at each stage they are entitled to, and to accused officers as
policy says, each in the recipient's language; recorded without the address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from commonbeat.core.models import User
from commonbeat.core.roles import Role
from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.models import Notification, Stage
from commonbeat.oversight.tests import cases_factory as make
from commonbeat.oversight.tests.test_cases_workflow import walk_to_closed
from commonbeat.records import labels

pytestmark = pytest.mark.django_db


def test_a_spanish_complainant_is_told_at_each_stage_in_spanish(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.OVERSIGHT_OFFICER_NOTICES = []
    people = make.staff()
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_to_closed(make.complaint(language="es"), people)
    events = list(case.notifications.values_list("event", flat=True))
    assert events == ["received", "assigned", "board_review", "notification", "closed"]
    assert len(mail.outbox) == 5
    assert all(m.to == [make.IDENTITY["complainant_email"]] for m in mail.outbox)
    assert set(case.notifications.values_list("language", flat=True)) == {"es"}
    with translation.override("es"):
        spanish_finding = str(labels.label("finding", "not_sustained"))
        spanish_stage = str(Stage.BOARD_REVIEW.label)
    with translation.override("en"):
        english_finding = str(labels.label("finding", "not_sustained"))
    decision = mail.outbox[3].body
    assert spanish_finding in decision and english_finding not in decision
    assert spanish_stage in mail.outbox[2].body


def test_no_address_is_kept_with_the_record_of_a_message(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = make.complaint()
    sent = Notification.objects.get(complaint=case)
    assert sent.recipient_kind == "complainant" and sent.event == "received"
    values = [str(v) for v in Notification.objects.values_list().get()]
    assert make.IDENTITY["complainant_email"] not in " ".join(values)


def test_an_anonymous_complainant_without_an_email_gets_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = make.complaint(anonymous=True)
    assert mail.outbox == []
    assert not case.notifications.exists()


def test_nothing_is_sent_before_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make.complaint()
    assert mail.outbox == [] and len(callbacks) == 1


def test_accused_officers_are_told_in_their_own_language_at_the_stages_policy_names(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.OVERSIGHT_OFFICER_NOTICES = ["assigned"]
    accused = make.officer("Accused")
    officer_user: User = make.user(
        Role.OFFICER, officer=accused, email="accused@pd.example", language="es"
    )
    people = make.staff()
    with django_capture_on_commit_callbacks(execute=True):
        case = make.complaint(accused=accused)
        case = services.advance(case, "start_intake_review", actor=people["intake"])
        case = services.triage(
            case,
            actor=people["intake"],
            category="force",
            in_jurisdiction=True,
            investigator=people["investigator"],
        )
        services.advance(case, "assign", actor=people["intake"])
    to_officer = [m for m in mail.outbox if m.to == [officer_user.email]]
    assert len(to_officer) == 1
    with translation.override("es"):
        assert "Asignada" in to_officer[0].body
        assert str(labels.label("allegation_category", "force")) in to_officer[0].body
    for value in make.IDENTITY.values():
        assert value not in to_officer[0].body
    assert case.notifications.filter(recipient_kind="officer", language="es").count() == 1

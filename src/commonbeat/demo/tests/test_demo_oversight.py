"""The demo city's cases: every stage has cases, histories are dated, the planted effect holds."""

from __future__ import annotations

import itertools

import pytest

from commonbeat.core.models import Agency, AuditEntry
from commonbeat.demo.city import CityPlan
from commonbeat.demo.oversight.cases import (
    COMMENDATIONS_COUNT,
    COMPLAINTS,
    load_cases,
    plan_cases,
    remove_cases,
)
from commonbeat.demo.tests.oversight_staff import demo_staff
from commonbeat.oversight.cases.models import Allegation, Complaint, StageChange
from commonbeat.oversight.cases.workflow import Stage


@pytest.fixture
def demo_cases(city: CityPlan) -> dict[str, int]:
    agency = Agency.objects.get(slug=city.agency["slug"])
    return load_cases(agency, plan_cases(city, city.seed), demo_staff())


def test_the_same_seed_plans_the_same_cases(small_plan: CityPlan) -> None:
    first, again = plan_cases(small_plan, 7), plan_cases(small_plan, 7)
    assert [(c.received, c.target, c.accused) for c in first] == [
        (c.received, c.target, c.accused) for c in again
    ]
    assert len(first) == COMPLAINTS + COMMENDATIONS_COUNT


@pytest.mark.django_db
def test_the_demo_has_cases_open_in_every_stage_and_closed_ones(
    demo_cases: dict[str, int],
) -> None:
    assert set(demo_cases) == set(Stage.values) - {Stage.MEDIATION}
    assert demo_cases[Stage.CLOSED] >= 20
    assert Complaint.objects.filter(kind="commendation", stage=Stage.CLOSED).count() == 8


@pytest.mark.django_db
def test_each_history_is_dated_in_order_and_in_the_past(demo_cases: dict[str, int]) -> None:
    for case in Complaint.objects.all():
        moments = list(StageChange.objects.filter(complaint=case).values_list("at", flat=True))
        assert moments and moments[0] == case.received_at
        assert all(a <= b for a, b in itertools.pairwise(moments)), case.reference
        if case.stage == Stage.CLOSED:
            assert case.closed_at == moments[-1]
            assert (case.closed_at - case.received_at).days >= 3


@pytest.mark.django_db
def test_the_chief_departs_from_the_board_in_about_a_third_of_decisions(
    demo_cases: dict[str, int],
) -> None:
    decided = Allegation.objects.exclude(final_finding="").exclude(board_finding="")
    differ = sum(1 for a in decided if a.final_finding != a.board_finding)
    assert decided.count() >= 20
    assert 0.15 <= differ / decided.count() <= 0.55


@pytest.mark.django_db
def test_the_audit_log_never_holds_a_demo_complainants_name(demo_cases: dict[str, int]) -> None:
    named = Complaint.objects.exclude(complainant_name="").first()
    assert named is not None
    assert not AuditEntry.objects.filter(changes__icontains=named.complainant_name).exists()


@pytest.mark.django_db
def test_the_cases_can_be_replaced(city: CityPlan, demo_cases: dict[str, int]) -> None:
    agency = Agency.objects.get(slug=city.agency["slug"])
    remove_cases(agency)
    assert not Complaint.objects.exists()
    load_cases(agency, plan_cases(city, city.seed), demo_staff())
    assert Complaint.objects.count() == COMPLAINTS + COMMENDATIONS_COUNT


@pytest.mark.django_db
def test_without_the_demo_accounts_no_case_is_filed(city: CityPlan) -> None:
    from commonbeat.demo.oversight.cases import staff_accounts

    assert staff_accounts() is None

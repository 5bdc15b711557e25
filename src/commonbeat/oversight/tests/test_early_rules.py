"""Early-intervention rules: what each kind fires on, the defaults, idempotent evaluation, the
background job and the command."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonbeat.core import jobs
from commonbeat.core.models import AuditEntry
from commonbeat.oversight.early import services
from commonbeat.oversight.early.indicators import Figure
from commonbeat.oversight.early.models import Alert, AlertReview, AlertRule
from commonbeat.oversight.tests import early_data
from commonbeat.records.store import RecordStore


def figure(**values: Any) -> Figure:
    base: dict[str, Any] = {
        "count": 4,
        "peer_median": 1.0,
        "peer_count": 3,
        "ratio": 4.0,
        "percentile": 87.5,
        "cohort_size": 4,
        "small_peer_group": True,
        "small_cohort": True,
    }
    return Figure(**(base | values))


def rule(kind: str, threshold: str, minimum: int = 1) -> AlertRule:
    return AlertRule(
        name="test",
        indicator="force_incidents",
        kind=kind,
        threshold=Decimal(threshold),
        minimum_count=minimum,
    )


def test_each_kind_of_rule_compares_its_own_figure() -> None:
    assert services.fires(rule("top_percentile", "87.5"), figure())
    assert not services.fires(rule("top_percentile", "90"), figure())
    assert not services.fires(rule("top_percentile", "10"), figure(percentile=None))
    assert services.fires(rule("count", "4"), figure())
    assert not services.fires(rule("count", "5"), figure())
    assert services.fires(rule("peer_ratio", "4"), figure())
    assert not services.fires(rule("peer_ratio", "4.01"), figure())
    assert not services.fires(rule("peer_ratio", "1"), figure(ratio=None))


def test_a_rule_never_fires_below_its_minimum_count() -> None:
    assert not services.fires(rule("top_percentile", "50", minimum=5), figure())
    assert not services.fires(rule("peer_ratio", "2", minimum=5), figure())
    assert services.fires(rule("peer_ratio", "2", minimum=4), figure())


@pytest.mark.django_db
def test_the_default_rules_are_installed_active(default_rules: None) -> None:
    rules = {r.name: r for r in AlertRule.objects.filter(active=True)}
    assert len(rules) == 3
    percentile = rules["Use of force: top 5% of the service-year cohort"]
    assert (percentile.kind, percentile.threshold, percentile.minimum_count) == (
        "top_percentile",
        Decimal("95"),
        5,
    )
    ratio = rules["Use of force: three times the peer median"]
    assert (ratio.kind, ratio.threshold, ratio.minimum_count) == ("peer_ratio", Decimal("3"), 10)
    complaints = rules["Complaints: five or more in 12 months"]
    assert (complaints.indicator, complaints.kind, complaints.threshold) == (
        "complaints",
        "count",
        Decimal("5"),
    )
    assert {r.window_days for r in rules.values()} == {365}


@pytest.fixture
def agency(run_import: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    officers = early_data.build(run_import, tmp_path / "csv")
    AlertRule.objects.update(active=False)
    return officers


def test_evaluation_opens_one_alert_per_officer_and_rule_that_fires(
    agency: dict[str, Any], record_store: RecordStore
) -> None:
    ratio = AlertRule.objects.create(
        name="Force at twice the peers",
        indicator="force_incidents",
        kind="peer_ratio",
        threshold=Decimal("2"),
    )
    AlertRule.objects.create(
        name="Two complaints", indicator="complaints", kind="count", threshold=Decimal("2")
    )
    result = services.evaluate(early_data.AS_OF, store=record_store)
    opened = {(a.rule.name, a.officer.uid) for a in result.opened}
    # Ratios: A 4, D 2 (fire); B 0.5, C 0; E has no peers. Complaints: A 2.
    assert opened == {
        ("Force at twice the peers", "A"),
        ("Force at twice the peers", "D"),
        ("Two complaints", "A"),
    }
    alert = Alert.objects.get(rule=ratio, officer__uid="A")
    assert alert.status == Alert.Status.OPEN
    assert (alert.unit, alert.shift, alert.years_of_service) == ("Patrol", "day", 5)
    assert alert.window_start == datetime.date(2024, 7, 1)
    assert alert.figures["count"] == 4
    assert alert.figures["peer_median"] == 1.0
    assert alert.figures["peers"] == [
        {"officer_id": "D", "count": 2},
        {"officer_id": "B", "count": 1},
        {"officer_id": "C", "count": 0},
    ]
    assert AuditEntry.objects.filter(model="oversight.alert", action="create").count() == 3


def test_evaluating_again_opens_no_duplicate_while_the_alert_is_open(
    agency: dict[str, Any], record_store: RecordStore
) -> None:
    AlertRule.objects.create(
        name="Any force", indicator="force_incidents", kind="count", threshold=Decimal("4")
    )
    first = services.evaluate(early_data.AS_OF, store=record_store)
    assert [a.officer.uid for a in first.opened] == ["A"]
    second = services.evaluate(early_data.AS_OF, store=record_store)
    assert second.opened == []
    assert second.already_open == 1
    assert Alert.objects.count() == 1
    # Once reviewed and closed, a later evaluation that still fires opens a new alert.
    supervisor = early_data.make_supervisor("Patrol")
    services.record_review(first.opened[0], supervisor, outcome="mentoring", notes="Talked.")
    third = services.evaluate(early_data.AS_OF, store=record_store)
    assert len(third.opened) == 1
    assert Alert.objects.count() == 2


def test_inactive_rules_are_not_evaluated(
    agency: dict[str, Any], record_store: RecordStore
) -> None:
    AlertRule.objects.create(
        name="Off",
        indicator="force_incidents",
        kind="count",
        threshold=Decimal("1"),
        active=False,
    )
    assert services.evaluate(early_data.AS_OF, store=record_store).opened == []


def test_a_rule_uses_its_own_window(agency: dict[str, Any], record_store: RecordStore) -> None:
    # 30 days ending 30 June 2025 hold only I5 (A and E).
    AlertRule.objects.create(
        name="Force this month",
        indicator="force_incidents",
        kind="count",
        threshold=Decimal("1"),
        window_days=30,
    )
    opened = services.evaluate(early_data.AS_OF, store=record_store).opened
    assert sorted(a.officer.uid for a in opened) == ["A", "E"]
    assert opened[0].window_start == datetime.date(2025, 6, 1)


def test_a_review_closes_the_alert_and_refuses_a_second(
    agency: dict[str, Any], record_store: RecordStore
) -> None:
    AlertRule.objects.create(
        name="Any force", indicator="force_incidents", kind="count", threshold=Decimal("4")
    )
    alert = services.evaluate(early_data.AS_OF, store=record_store).opened[0]
    supervisor = early_data.make_supervisor("Patrol")
    with pytest.raises(services.ReviewError, match="notes"):
        services.record_review(alert, supervisor, outcome="training", notes="  ")
    with pytest.raises(services.ReviewError, match="outcome"):
        services.record_review(alert, supervisor, outcome="suspension", notes="No.")
    assert not AlertReview.objects.exists()
    review = services.record_review(alert, supervisor, outcome="training", notes="De-escalation.")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED and alert.closed_at is not None
    assert review.outcome == "training"
    with pytest.raises(services.ReviewError, match="already"):
        services.record_review(alert, supervisor, outcome="training", notes="Again.")
    assert AuditEntry.objects.filter(model="oversight.alertreview").exists()


def test_the_background_job_evaluates_the_rules(
    agency: dict[str, Any], record_store: RecordStore, settings: Any
) -> None:
    settings.RECORD_STORE_DIR = record_store.root
    AlertRule.objects.create(
        name="Any force", indicator="force_incidents", kind="count", threshold=Decimal("4")
    )
    job = services.enqueue_evaluation(early_data.AS_OF)
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.result["opened"] == 1
    assert job.result["as_of"] == "2025-06-30"


def test_the_command_evaluates_as_of_a_date(
    agency: dict[str, Any], record_store: RecordStore, settings: Any
) -> None:
    settings.RECORD_STORE_DIR = record_store.root
    AlertRule.objects.create(
        name="Any force", indicator="force_incidents", kind="count", threshold=Decimal("4")
    )
    out = StringIO()
    call_command("intervention", "evaluate", "--as-of", "2025-06-30", stdout=out)
    assert "1 alerts opened, 0 already open" in out.getvalue()
    assert AuditEntry.objects.filter(actor="command:intervention").exists()
    with pytest.raises(CommandError, match="like 2025-12-31"):
        call_command("intervention", "evaluate", "--as-of", "30/06/2025")

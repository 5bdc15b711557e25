"""The work queue reads one page through an index, never sorting or counting every case, so a
queue stays quick with 300,000 cases (checked with the database's query plan)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.models import Complaint

pytestmark = pytest.mark.django_db


def _plan(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


QUEUES = {
    "everyone's, newest first": lambda: Complaint.objects.order_by("-received_at", "-id"),
    "one stage's": lambda: Complaint.objects.filter(stage="investigation").order_by(
        "-received_at", "-id"
    ),
    "a unit's": lambda: Complaint.objects.filter(unit="District 1").order_by("-received_at", "-id"),
    "the overdue": lambda: services.overdue(Complaint.objects.all(), timezone.now()),
    "a unit's overdue": lambda: services.overdue(
        Complaint.objects.filter(unit="District 1"), timezone.now() + timedelta(days=1)
    ),
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("name", QUEUES)
def test_each_work_queue_reads_a_page_through_an_index_without_sorting_every_case(
    name: str,
) -> None:
    plan = _plan(QUEUES[name]()[:51])
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan

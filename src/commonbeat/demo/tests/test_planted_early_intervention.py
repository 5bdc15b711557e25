"""The default early-intervention rules flag the demo city's five planted high-force officers.

What the demo city plants (demo/demo-city.md, section 7; demo/records/force.py, complaints.py):
five Patrol or Gang Unit police officers (`records.high_force_officers(plan)`) are the primary
officer in 35% of the year's use-of-force incidents and three times as likely as their peers to
be accused in a complaint. The default rules (oversight migration 0003_early_default_rules)
are evaluated over the demo's records as of the year's last day, with the officers' units and
shifts from the loaded roster.

The indicators' arithmetic is tested on small hand-made data in
oversight/tests/test_early_indicators.py.
"""

from __future__ import annotations

import datetime

import pytest

from commonbeat.core.models import Assignment
from commonbeat.demo import records
from commonbeat.demo.city import build_city
from commonbeat.demo.load import load_city
from commonbeat.oversight.early import services
from commonbeat.oversight.early.models import Alert, AlertRule
from commonbeat.records.store import RecordStore
from commonbeat.testing.oversight import restore_default_rules

AS_OF = datetime.date(2025, 12, 31)


@pytest.mark.django_db
def test_the_default_rules_flag_every_planted_high_force_officer(
    demo_store: RecordStore,
) -> None:
    plan = build_city(seed=1)
    load_city(plan)
    assert Assignment.objects.exclude(shift="").exists()
    planted = set(records.high_force_officers(plan))
    assert len(planted) == 5
    restore_default_rules()
    assert AlertRule.objects.filter(active=True).count() == 3  # the default rules

    result = services.evaluate(AS_OF, store=demo_store)

    flagged = set(Alert.objects.values_list("officer__uid", flat=True))
    assert planted <= flagged
    # Each planted officer is flagged by at least one use-of-force rule.
    force_flagged = set(
        Alert.objects.filter(rule__indicator="force_incidents").values_list(
            "officer__uid", flat=True
        )
    )
    assert planted <= force_flagged
    # The others flagged (seed 1): officers with many incidents or complaints of their own,
    # 35 of the 270 other officers serving on 31 December 2025 (docs/oversight.md gives why
    # the defaults are what they are).
    others = flagged - planted
    assert len(others) == 35, sorted(others)
    per_rule = {
        rule.name: set(rule.alerts.values_list("officer__uid", flat=True))
        for rule in AlertRule.objects.all()
    }
    ratio = per_rule["Use of force: three times the peer median"]
    assert planted <= ratio and len(ratio) == 24
    assert len(per_rule["Use of force: top 5% of the service-year cohort"]) == 6
    assert len(per_rule["Complaints: five or more in 12 months"]) == 30
    assert result.officers == 275

    # Evaluating again opens nothing new.
    again = services.evaluate(AS_OF, store=demo_store)
    assert again.opened == []
    assert again.already_open == len(result.opened)

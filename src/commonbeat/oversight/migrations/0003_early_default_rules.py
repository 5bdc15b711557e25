"""The default early-intervention rules (docs/oversight.md, "Early intervention", says why)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import migrations

DEFAULT_RULES = (
    # (name, indicator, kind, threshold, minimum count, window in days)
    (
        "Use of force: top 5% of the service-year cohort",
        "force_incidents",
        "top_percentile",
        Decimal("95"),
        5,
        365,
    ),
    (
        "Use of force: three times the peer median",
        "force_incidents",
        "peer_ratio",
        Decimal("3"),
        10,
        365,
    ),
    ("Complaints: five or more in 12 months", "complaints", "count", Decimal("5"), 5, 365),
)


def create_rules(apps: Any, schema_editor: Any) -> None:
    AlertRule = apps.get_model("oversight", "AlertRule")
    for name, indicator, kind, threshold, minimum, days in DEFAULT_RULES:
        AlertRule.objects.get_or_create(
            name=name,
            defaults={
                "indicator": indicator,
                "kind": kind,
                "threshold": threshold,
                "minimum_count": minimum,
                "window_days": days,
                "active": True,
            },
        )


def remove_rules(apps: Any, schema_editor: Any) -> None:
    AlertRule = apps.get_model("oversight", "AlertRule")
    AlertRule.objects.filter(name__in=[rule[0] for rule in DEFAULT_RULES], alerts=None).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_early")]

    operations = [migrations.RunPython(create_rules, remove_rules)]

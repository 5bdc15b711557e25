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


# The names in Spanish (staff-written text is kept in both languages, docs/patterns.md).
SPANISH = {
    "Use of force: top 5% of the service-year cohort": (
        "Uso de la fuerza: el 5 % más alto de su promoción por años de servicio"
    ),
    "Use of force: three times the peer median": (
        "Uso de la fuerza: el triple de la mediana de sus pares"
    ),
    "Complaints: five or more in 12 months": "Quejas: cinco o más en 12 meses",
}


def create_rules(apps: Any, schema_editor: Any) -> None:
    AlertRule = apps.get_model("oversight", "AlertRule")
    for name, indicator, kind, threshold, minimum, days in DEFAULT_RULES:
        AlertRule.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name,
                "name_es": SPANISH[name],
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
    dependencies = [("oversight", "0004_early")]

    operations = [migrations.RunPython(create_rules, remove_rules)]

"""Oversight's data-migration rows, for tests that need them after a flush."""

from __future__ import annotations


def restore_default_rules() -> None:
    """Put back the default early-intervention rules (oversight migration 0005) when a
    transactional test run earlier on this worker has flushed the tables, as live-server
    tests do; leaves them alone when any rule exists."""
    from importlib import import_module

    from django.apps import apps

    from commonbeat.oversight.early.models import AlertRule

    if not AlertRule.objects.exists():
        migration = import_module("commonbeat.oversight.migrations.0005_early_default_rules")
        migration.create_rules(apps, None)

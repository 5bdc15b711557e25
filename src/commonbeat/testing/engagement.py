"""Engagement's data-migration rows, for tests that need them after a flush."""

from __future__ import annotations


def restore_default_services() -> None:
    """Put back the default concern services (engagement migration 0003) when a transactional
    test run earlier on this worker has flushed the tables, as live-server tests do."""
    from importlib import import_module

    from django.apps import apps

    from commonbeat.engagement.concerns.models import Service

    if not Service.objects.exists():
        migration = import_module("commonbeat.engagement.migrations.0003_default_services")
        migration.create_services(apps, None)

"""Oversight's back-office pages, gathered from its areas (Django's admin finds this module)."""

from __future__ import annotations

from commonbeat.oversight.cases import admin as cases  # noqa: F401

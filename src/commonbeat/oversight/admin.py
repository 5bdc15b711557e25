"""Oversight's back-office pages, gathered from its areas (Django's admin finds this module)."""

from __future__ import annotations

from commonbeat.oversight.cases import admin as cases  # noqa: F401  registers its pages
from commonbeat.oversight.early import admin as early  # noqa: F401  registers its pages

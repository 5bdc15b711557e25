"""Oversight's translated fields, gathered from its areas (django-modeltranslation finds this
module; core/translation.py explains the pattern)."""

from __future__ import annotations

from commonbeat.oversight.early import translation as early  # noqa: F401  registers its fields

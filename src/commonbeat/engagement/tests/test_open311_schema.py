"""schemathesis fuzzes every Open311 operation, in both formats, against the server's own
OpenAPI description: no server error, and every JSON answer in its described shape (XML
answers are checked for server errors only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from commonbeat.engagement.concerns import openapi, services
from commonbeat.testing.engagement import restore_default_services

schema = schemathesis.openapi.from_dict(openapi.document())
schema.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def served(city: Any) -> Iterator[None]:
    restore_default_services()
    services.issue_key("Fuzzer")
    # As in the police API's schema test: schemathesis calls the WSGI application directly,
    # so Django's end-of-request handler must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(CONCERN_RATE_PER_HOUR=0, ALLOWED_HOSTS=["*"]):
            yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_open311_operation_answers_without_server_errors(
    operation: Any, served: None
) -> None:
    json = operation.path.endswith(".json")
    checks = [not_a_server_error, response_schema_conformance] if json else [not_a_server_error]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers(case: Any) -> None:
        case.call_and_validate(checks=checks)

    answers()

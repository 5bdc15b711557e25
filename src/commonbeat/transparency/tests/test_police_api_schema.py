"""schemathesis checks the API against its own OpenAPI description: generated requests to every
operation never meet a server error, and every answer has the shape the description gives."""

from __future__ import annotations

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

from commonbeat.releases.cache import Release
from commonbeat.transparency.police import openapi

schema = schemathesis.openapi.from_dict(openapi.document("/api/"))
schema.app = get_wsgi_application()


@pytest.fixture
def served(published: Release) -> Any:
    # Generated requests arrive faster than any client may send them; the limit has its own tests.
    # schemathesis calls the WSGI application directly, so Django's end-of-request handler would
    # close the test's database connection mid-transaction (PostgreSQL then refuses every later
    # query). Django's own test client detaches that handler for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(API_RATE_PER_SECOND=0, ALLOWED_HOSTS=["*"]):
            yield published
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# One test per operation, named after it. (schemathesis' own `schema.parametrize()` names its
# items in a way pytest 9 no longer carries into node ids, so all 25 shared one id and xdist
# ran only one of them.)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_operation_answers_without_server_errors_in_its_described_shape(
    operation: Any, served: Release
) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    answers()

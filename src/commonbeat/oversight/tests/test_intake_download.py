"""A report's files reach only the staff who may see the complainant's identity, as downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonbeat.oversight.cases.models import Attachment
from commonbeat.oversight.tests.intake_helpers import GOOD, photo_with_gps
from commonbeat.testing.personas import ANONYMOUS, PERSONAS


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_intake_downloads_a_new_reports_file(
    city: object, client_as: Any, persona: str
) -> None:
    assert (
        Client()
        .post("/oversight/api/reports", {**GOOD, "attachments": photo_with_gps()})
        .status_code
        == 201
    )
    attachment = Attachment.objects.get()
    address = f"/oversight/cases/{attachment.complaint.reference}/attachments/{attachment.pk}/"
    response = client_as(persona).get(address)
    if persona == "investigator":  # intake, while the case is new and unassigned
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/jpeg"
    elif persona == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404)

"""'Your complaints and commendations' on the account page: one's own filings, their stage."""

from __future__ import annotations

import pytest
from django.test import Client

from commonbeat.oversight.tests import cases_factory as make


@pytest.mark.django_db
def test_a_resident_sees_the_stage_of_what_they_filed_and_nothing_else() -> None:
    resident = make.user("resident")
    mine = make.complaint(filed_by=resident)
    theirs = make.complaint(filed_by=make.user("resident", "neighbour"))
    client = Client()
    client.force_login(resident)
    page = client.get("/account/").content.decode()
    assert 'id="account-reports"' in page
    assert mine.reference in page and "Received" in page
    assert theirs.reference not in page
    # The case's content stays off the page: no narrative, no names, no officers.
    assert "Maria Lopez" not in page and "pushed" not in page and "Smith" not in page


@pytest.mark.django_db
def test_a_report_taken_on_someone_elses_behalf_is_not_the_staff_members_own() -> None:
    investigator = make.user("investigator")
    taken = make.complaint(filed_by=investigator, on_behalf=True)
    client = Client()
    client.force_login(investigator)
    page = client.get("/account/").content.decode()
    assert taken.reference not in page
    assert 'id="account-reports"' not in page


@pytest.mark.django_db
def test_the_section_reads_in_spanish() -> None:
    resident = make.user("resident")
    make.complaint(filed_by=resident)
    client = Client()
    client.force_login(resident)
    page = client.get("/es/account/").content.decode()
    assert "Sus quejas y felicitaciones" in page
    assert "Recibida" in page

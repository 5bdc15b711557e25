"""`commonbeat agency`: lists agencies, creates or updates one, refuses a bad time zone or
licence with a good example, and audit-logs every change as the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonbeat.core.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("agency", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_agency_with_its_time_zone_and_licence_and_logs_it() -> None:
    out = run(
        "metro-police",
        "--name",
        "Metro Police",
        "--time-zone",
        "America/Chicago",
        "--licence",
        "cc by 4.0",
    )
    agency = Agency.objects.get(slug="metro-police")
    assert (agency.name, agency.time_zone, agency.licence) == (
        "Metro Police",
        "America/Chicago",
        "CC-BY-4.0",  # stored as the SPDX id, whatever way it was written
    )
    assert "Created agency metro-police." in out
    (entry,) = AuditEntry.objects.filter(model="core.agency")
    assert entry.actor == "command:agency"
    assert entry.changes["time_zone"] == [None, "America/Chicago"]


def test_it_updates_only_what_is_given_and_lists_every_agency() -> None:
    Agency.objects.create(slug="force", name="The Force", licence="OGL-UK-3.0")
    Agency.objects.create(slug="other", name="Other Police", time_zone="Europe/London")
    run("force", "--time-zone", "Europe/London")
    force = Agency.objects.get(slug="force")
    assert (force.name, force.time_zone, force.licence) == (
        "The Force",
        "Europe/London",
        "OGL-UK-3.0",
    )
    (entry,) = AuditEntry.objects.filter(model="core.agency", action="update")
    assert entry.changes == {"time_zone": ["", "Europe/London"]}
    lines = run().splitlines()
    assert lines[0].split() == ["identifier", "name", "time", "zone", "licence"]
    assert lines[1].split() == ["force", "The", "Force", "Europe/London", "OGL-UK-3.0"]
    assert lines[2].split() == ["other", "Other", "Police", "Europe/London", "(not", "set)"]


def test_it_refuses_a_time_zone_that_is_not_an_iana_name_with_an_example() -> None:
    Agency.objects.create(slug="force", name="The Force")
    with pytest.raises(CommandError, match=r"'Central Time' is not an IANA.*America/Chicago"):
        run("force", "--time-zone", "Central Time")
    assert Agency.objects.get(slug="force").time_zone == ""


def test_it_refuses_an_unknown_licence_listing_the_known_ones() -> None:
    Agency.objects.create(slug="force", name="The Force")
    with pytest.raises(CommandError, match=r"'do what you like'.*CC-BY-4.0.*OGL-UK-3.0"):
        run("force", "--licence", "do what you like")
    assert Agency.objects.get(slug="force").licence == ""


def test_it_refuses_to_create_an_agency_without_a_name() -> None:
    with pytest.raises(CommandError, match=r'no agency .new-force. yet.*--name "Metro Police"'):
        run("new-force", "--time-zone", "America/Chicago")
    assert not Agency.objects.exists()


def test_it_refuses_an_identifier_that_is_not_a_slug() -> None:
    with pytest.raises(CommandError, match=r"'Metro Police'.*'metro-police'"):
        run("Metro Police", "--name", "Metro Police")


def test_a_blank_time_zone_clears_it_to_not_known() -> None:
    Agency.objects.create(slug="force", name="The Force", time_zone="UTC")
    run("force", "--time-zone", "")
    assert Agency.objects.get(slug="force").time_zone == ""
    assert "(not known)" in run()

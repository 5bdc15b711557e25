from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from commonbeat.core import audit
from commonbeat.core.models import Agency, Assignment, AuditEntry, Officer
from commonbeat.records.engine import ImportReport
from commonbeat.records.roster import RosterError, sync_roster
from commonbeat.records.store import RecordStore


@pytest.fixture
def rochester(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> RecordStore:
    folder = shared_data / "officer_rosters" / "RPD" / "Roster_October_2020"
    report = run_import(folder / "officers_1.csv", folder / "assignments_1.csv")
    assert report.ok
    Agency.objects.create(slug="rochester-pd", name="Rochester Police Department")
    return record_store


def test_an_imported_roster_feeds_the_back_office_roster(rochester: RecordStore) -> None:
    with audit.acting_as("command:test"):
        summary = sync_roster(rochester, "rochester-pd")
    stored = rochester.count("roster")
    assert summary.officers_created == stored == Officer.objects.count()
    assert summary.assignments_created == Assignment.objects.count() > 1000
    officer = Officer.objects.get(uid="openoversight_officers_born:#1")
    assert (officer.gender, officer.birth_year, str(officer.employment_date)) == (
        "male",
        1983,
        "2005-03-28",
    )
    assert officer.assignments.get().badge_number == "1663"
    assert (
        AuditEntry.objects.filter(
            model="core.officer", action="create", actor="command:test"
        ).count()
        == stored
    )
    assert audit.verify().ok


def test_syncing_again_changes_nothing(rochester: RecordStore) -> None:
    sync_roster(rochester, "rochester-pd")
    entries = AuditEntry.objects.count()
    again = sync_roster(rochester, "rochester-pd")
    assert (again.officers_created, again.officers_updated, again.assignments_created) == (0, 0, 0)
    assert AuditEntry.objects.count() == entries


def test_it_explains_what_is_missing(db: None, record_store: RecordStore) -> None:
    with pytest.raises(RosterError, match="no agency 'nowhere-pd'"):
        sync_roster(record_store, "nowhere-pd")
    Agency.objects.create(slug="empty-pd", name="Empty")
    with pytest.raises(RosterError, match="holds no roster for 'empty-pd'"):
        sync_roster(record_store, "empty-pd")

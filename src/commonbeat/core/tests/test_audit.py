from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from commonbeat.core import audit
from commonbeat.core.models import Agency, AuditEntry, AuditHead, User
from commonbeat.testing import tamper


def make_history() -> Agency:
    with audit.acting_as("command:test"):
        agency = Agency.objects.create(slug="force", name="Force")
        agency.name = "The Force"
        agency.save()
        agency.telephone = "555-0100"
        agency.save()
    return agency


def raw_sql(sql: str, params: list[Any]) -> None:
    """Change the table behind the application's back, as an intruder who owns it would."""
    tamper.as_owner(sql, params)


def test_it_records_who_changed_which_fields_from_what_to_what(db: None) -> None:
    agency = make_history()
    entries = list(AuditEntry.objects.filter(model="core.agency").order_by("seq"))
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert all(e.actor == "command:test" and e.object_pk == str(agency.pk) for e in entries)
    assert entries[0].changes["name"] == [None, "Force"]
    assert entries[1].changes == {"name": ["Force", "The Force"]}
    assert entries[2].changes == {"telephone": ["", "555-0100"]}


def test_a_save_that_changes_nothing_writes_nothing(db: None) -> None:
    agency = make_history()
    before = AuditEntry.objects.count()
    agency.save()
    assert AuditEntry.objects.count() == before


def test_it_records_deletions_with_the_values_lost(db: None) -> None:
    agency = make_history()
    pk = agency.pk
    agency.delete()
    entry = AuditEntry.objects.filter(action="delete").get()
    assert entry.object_pk == str(pk)
    assert entry.changes["name"] == ["The Force", None]


def test_it_never_logs_a_password(db: None) -> None:
    user = User(username="someone")
    user.set_password("a-long-secret-passphrase")
    user.save()
    entry = AuditEntry.objects.filter(model="core.user").get()
    assert entry.changes["password"] == [None, audit.REDACTED]
    assert "argon2" not in str(entry.changes)


def test_the_application_cannot_alter_or_delete_entries(db: None) -> None:
    make_history()
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.actor = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_verify_accepts_an_intact_log(db: None) -> None:
    make_history()
    result = audit.verify()
    assert result.ok
    assert result.entries == 3


def test_verify_catches_an_entry_altered_behind_the_applications_back(db: None) -> None:
    make_history()
    raw_sql(
        "UPDATE core_auditentry SET changes = %s WHERE seq = %s",
        ['{"name": ["Force", "Someone Else"]}', 2],
    )
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_seq == 2
    assert "Entry #2" in (result.problem or "") and "altered" in (result.problem or "")


def test_verify_catches_a_rewritten_hash(db: None) -> None:
    make_history()
    # An intruder who recomputes the altered entry's own hash still breaks the next link.
    entry = AuditEntry.objects.get(seq=2)
    entry.actor = "user:99:intruder"
    forged = audit.entry_hash(audit.hashed_fields(entry))
    raw_sql("UPDATE core_auditentry SET actor = %s, hash = %s WHERE seq = 2", [entry.actor, forged])
    result = audit.verify()
    assert result.first_bad_seq == 3
    assert "does not link" in (result.problem or "")


def test_verify_catches_a_deleted_entry(db: None) -> None:
    make_history()
    raw_sql("DELETE FROM core_auditentry WHERE seq = %s", [2])
    result = audit.verify()
    assert result.first_bad_seq == 2
    assert "missing" in (result.problem or "")


def test_verify_catches_deleted_newest_entries(db: None) -> None:
    make_history()
    raw_sql("DELETE FROM core_auditentry WHERE seq = %s", [3])
    result = audit.verify()
    assert result.first_bad_seq == 3
    assert AuditHead.objects.get().seq == 3


def test_the_command_reports_the_first_bad_entry_and_fails(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    make_history()
    call_command("audit", "verify")
    assert "Audit log intact: 3 entries verified." in capsys.readouterr().out
    raw_sql("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["tampered", 1])
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert "Entry #1" in capsys.readouterr().err


def test_every_core_record_type_is_audited() -> None:
    from django.apps import apps

    core_models = set(apps.get_app_config("core").get_models())
    unaudited = {m.__name__ for m in core_models - audit.registered_models()}
    # Address points and streets are loaded from files in bulk; each load or clear writes one
    # summary entry of its own (core/services.py, tested in test_addresses.py). Background jobs
    # are machinery: what they do is audited by the records they change (imports, releases).
    assert unaudited == {"AuditEntry", "AuditHead", "AddressPoint", "Street", "Job"}

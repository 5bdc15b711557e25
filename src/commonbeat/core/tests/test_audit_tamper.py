"""A database-level attacker against the audit log (issue 12): each rewrite is caught.

The attacker has the database (raw SQL, and on PostgreSQL the tables' owner, who can switch the
triggers off) but not AUDIT_KEY, which lives outside it. docs/security-audit.md.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from datetime import UTC
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from commonbeat.core import audit
from commonbeat.core.models import Agency, AuditEntry, AuditHead
from commonbeat.testing.tamper import as_owner, raw_sql

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the log's triggers exist on PostgreSQL only"
)


def make_history(changes: int = 2) -> Agency:
    with audit.acting_as("command:test"):
        agency = Agency.objects.create(slug="force", name="Force")
        for number in range(changes):
            agency.telephone = f"555-01{number:02d}"
            agency.save()
    return agency


def head_row() -> tuple[int, str, str]:
    head = AuditHead.objects.get(pk=1)
    return head.seq, head.hash, head.mac


def set_head(seq: int, hash: str, mac: str | None = None) -> None:
    if mac is None:
        as_owner("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, hash])
    else:
        as_owner(
            "UPDATE core_audithead SET seq = %s, hash = %s, mac = %s WHERE id = 1",
            [seq, hash, mac],
        )


def plain_sha256(fields: dict[str, Any]) -> str:
    """The hash an attacker without the key can compute: SHA-256 of the same canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def forge_from(seq: int, scheme: str, alter: dict[str, Any]) -> None:
    """Alter entry `seq`, then recompute it and every later entry with plain SHA-256, relink
    them and move the head to the new end, all with raw SQL."""
    entries = list(AuditEntry.objects.filter(seq__gte=seq).order_by("seq"))
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    for entry in entries:
        if entry.seq == seq:
            for name, value in alter.items():
                setattr(entry, name, value)
        entry.prev_hash, entry.scheme = previous, scheme
        entry.hash = plain_sha256(audit.hashed_fields(entry))
        as_owner(
            "UPDATE core_auditentry SET actor = %s, changes = %s, prev_hash = %s, hash = %s, "
            "scheme = %s WHERE seq = %s",
            [
                entry.actor,
                json.dumps(entry.changes),
                entry.prev_hash,
                entry.hash,
                entry.scheme,
                entry.seq,
            ],
        )
        previous = entry.hash
    set_head(entries[-1].seq, previous)


def anchor(name: str, seq: int, hash: str) -> audit.Anchor:
    return audit.Anchor("release", name, seq, hash)


def test_an_untouched_log_verifies(db: None) -> None:
    make_history()
    result = audit.verify()
    assert result.ok, result.problem
    assert result.entries == 3
    assert set(AuditEntry.objects.values_list("scheme", flat=True)) == {audit.KEYED}


def test_an_entry_rewritten_with_later_hashes_recomputed_is_caught(db: None) -> None:
    # The finding: edit an entry, recompute the later hashes, update the head.
    make_history()
    forge_from(2, audit.KEYED, {"actor": "user:99:intruder"})
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_seq == 2
    assert "was altered" in (result.problem or "")


def test_a_rewrite_passed_off_as_old_plain_entries_is_caught(db: None) -> None:
    make_history()
    forge_from(2, audit.PLAIN, {"actor": "user:99:intruder"})
    result = audit.verify()
    assert result.first_bad_seq == 2
    assert "comes after keyed entries" in (result.problem or "")


def test_a_whole_log_rewritten_as_plain_entries_is_caught(db: None) -> None:
    make_history()
    forge_from(1, audit.PLAIN, {"actor": "user:99:intruder"})
    result = audit.verify()
    assert not result.ok
    # Every entry links and hashes; only the head's MAC, which needs the key, gives it away.
    assert "head does not carry the audit key" in (result.problem or "")


def test_another_key_does_not_verify_the_log(db: None) -> None:
    make_history()
    with override_settings(AUDIT_KEY="some-other-key-entirely-0123456789"):
        result = audit.verify()
        with pytest.raises(audit.AuditLogBroken, match="AUDIT_KEY is not the key"):
            Agency.objects.create(slug="other", name="Other")
    assert result.first_bad_seq == 1
    assert "AUDIT_KEY is not the key it was written with" in (result.problem or "")


def test_deleting_the_newest_entries_is_caught(db: None) -> None:
    make_history()
    as_owner("DELETE FROM core_auditentry WHERE seq >= %s", [2])
    result = audit.verify()
    assert result.first_bad_seq == 2
    assert "newest entries were deleted" in (result.problem or "")


def test_moving_the_head_back_without_the_key_is_caught(db: None) -> None:
    make_history()
    kept = AuditEntry.objects.get(seq=1)
    as_owner("DELETE FROM core_auditentry WHERE seq >= %s", [2])
    set_head(1, kept.hash)
    result = audit.verify()
    assert "head does not carry the audit key's MAC" in (result.problem or "")
    # And the application refuses to build on it, which would re-key the forged head.
    with pytest.raises(audit.AuditLogBroken, match="changed outside the application"):
        Agency.objects.create(slug="other", name="Other")


def test_putting_back_an_earlier_genuine_head_is_caught_by_a_published_head(db: None) -> None:
    agency = make_history(changes=0)
    earlier = head_row()  # an attacker who could read the database then kept this row
    agency.name = "The Force"
    agency.save()
    agency.telephone = "555-0199"
    agency.save()
    published = anchor("2026-12-01.1", *head_row()[:2])
    as_owner("DELETE FROM core_auditentry WHERE seq > %s", [earlier[0]])
    set_head(*earlier)
    # The chain alone looks whole: what the key cannot show (docs/security-audit.md).
    assert audit.verify().ok
    result = audit.verify([published])
    assert not result.ok
    assert result.first_bad_seq == 2
    assert "Release 2026-12-01.1 published the log's head as #3" in (result.problem or "")
    assert "now ends at #1" in (result.problem or "")


def test_a_published_head_that_the_chain_no_longer_holds_is_caught(db: None) -> None:
    make_history()
    published = anchor("2026-12-01.1", *head_row()[:2])
    assert audit.verify([published]).anchors == 1
    forge_from(3, audit.KEYED, {"actor": "user:99:intruder"})
    result = audit.verify([anchor("2026-12-01.1", published.seq, published.hash)])
    assert result.first_bad_seq == 3


def test_emptying_the_log_and_deleting_the_head_is_a_failure(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # The finding: this used to say "intact: 0 entries".
    make_history()
    as_owner("DELETE FROM core_auditentry")
    as_owner("DELETE FROM core_audithead")
    result = audit.verify()
    assert not result.ok
    assert "head row is missing" in (result.problem or "")
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert "head row is missing" in capsys.readouterr().err


def test_emptying_the_log_and_restarting_its_head_is_a_failure(db: None) -> None:
    make_history()
    as_owner("DELETE FROM core_auditentry")
    set_head(0, audit.GENESIS)
    result = audit.verify()
    assert not result.ok
    assert "head does not carry the audit key's MAC" in (result.problem or "")


def test_truncating_the_entries_is_caught(db: None) -> None:
    make_history()
    if connection.vendor == "postgresql":
        as_owner("TRUNCATE core_auditentry")
    else:
        as_owner("DELETE FROM core_auditentry")
    result = audit.verify()
    assert "newest entries were deleted" in (result.problem or "")


def test_a_log_with_entries_but_no_head_refuses_new_entries(db: None) -> None:
    make_history()
    as_owner("DELETE FROM core_audithead")
    with pytest.raises(audit.AuditLogBroken, match="no head row"):
        Agency.objects.create(slug="other", name="Other")


def test_an_empty_log_has_a_keyed_head_and_verifies(db: None) -> None:
    seq, hash, mac = head_row()
    assert (seq, hash, mac) == (0, audit.GENESIS, audit.head_mac(0, audit.GENESIS))
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_starts_a_new_log_with_its_head() -> None:
    make_history()
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    assert head_row()[:2] == (0, audit.GENESIS)
    assert audit.verify().ok
    make_history()
    assert audit.verify().entries == 3


def write_plain(seq: int, prev_hash: str, created: Any) -> str:
    """Write an entry as the log did before the key existed; return its hash."""
    fields = {
        "seq": seq,
        "created": created.astimezone(UTC).isoformat(),
        "actor": "command:old",
        "action": "create",
        "model": "core.agency",
        "object_pk": str(seq),
        "object_repr": f"Agency {seq}",
        "changes": {"name": [None, f"Agency {seq}"]},
        "prev_hash": prev_hash,
    }
    hash = plain_sha256(fields)
    raw_sql(
        "INSERT INTO core_auditentry (seq, created, actor, action, model, object_pk, "
        "object_repr, changes, prev_hash, hash, scheme) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            seq,
            connection.ops.adapt_datetimefield_value(created),
            fields["actor"],
            "create",
            "core.agency",
            str(seq),
            fields["object_repr"],
            json.dumps(fields["changes"]),
            prev_hash,
            hash,
            audit.PLAIN,
        ],
    )
    return hash


def run_the_seal_migration() -> None:
    from django.apps import apps

    migration = importlib.import_module("commonbeat.core.migrations.0007_audit_key_and_head")
    migration.seal(apps, SimpleNamespace(connection=connection))


def test_an_old_plain_log_is_sealed_by_the_migration_and_still_verifies(db: None) -> None:
    from django.utils import timezone

    as_owner("DELETE FROM core_audithead")
    created = timezone.now().replace(microsecond=0)
    first = write_plain(1, audit.GENESIS, created)
    second = write_plain(2, first, created)
    # As the log was before migration 0007: a head with no MAC.
    raw_sql("INSERT INTO core_audithead (id, seq, hash, mac) VALUES (1, 2, %s, '')", [second])
    run_the_seal_migration()
    result = audit.verify()
    assert result.ok, result.problem
    assert result.entries == 3
    seal = AuditEntry.objects.get(seq=3)
    assert (seal.action, seal.scheme, seal.prev_hash) == ("seal", audit.KEYED, second)
    make_history()
    assert audit.verify().entries == 6
    # An entry an attacker adds in the old, unkeyed way after the seal is caught.
    write_plain(7, AuditEntry.objects.get(seq=6).hash, created)
    set_head(7, AuditEntry.objects.get(seq=7).hash)
    assert audit.verify().first_bad_seq == 7


@postgresql_only
def test_postgresql_refuses_updating_or_deleting_entries(db: None) -> None:
    make_history()
    for sql in (
        "UPDATE core_auditentry SET actor = 'user:99:intruder' WHERE seq = 2",
        "DELETE FROM core_auditentry WHERE seq = 3",
        "DELETE FROM core_auditentry",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw_sql(sql)
    assert AuditEntry.objects.count() == 3
    assert audit.verify().ok


@postgresql_only
def test_postgresql_refuses_moving_the_head_back_or_deleting_it(db: None) -> None:
    make_history()
    first = AuditEntry.objects.get(seq=1)
    for sql, params in (
        ("UPDATE core_audithead SET seq = 1, hash = %s WHERE id = 1", [first.hash]),
        ("UPDATE core_audithead SET hash = %s WHERE id = 1", [first.hash]),
        ("DELETE FROM core_audithead", None),
    ):
        with pytest.raises(DatabaseError, match="head"), transaction.atomic():
            raw_sql(sql, params)
    assert head_row()[0] == 3
    # The application's own appends move it forward as before.
    Agency.objects.create(slug="other", name="Other")
    assert head_row()[0] == 4
    assert audit.verify().ok

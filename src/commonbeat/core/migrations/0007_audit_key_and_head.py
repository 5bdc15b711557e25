"""The audit log is keyed from here on (AUDIT_KEY); every log has a head.

Entries written so far keep their plain SHA-256 (scheme "sha256"). If there are any, a keyed
"seal" entry is appended after them, so the chain ends in an entry only the key can make, and
the head is given its MAC. An empty log gets its genesis head (seq 0).

Migrating back drops the scheme column but keeps the entries; migrating forward again finds
the entries that were keyed (their hash is the key's) and marks them so, so they still verify.
Entries written in between are unkeyed after keyed ones, and `audit verify` reports them.
"""

import hmac

from django.db import migrations, models
from django.utils import timezone

SEAL_ACTOR = "migration:core.0007"


def seal(apps, schema_editor):  # type: ignore[no-untyped-def]
    from commonbeat.core import audit

    alias = schema_editor.connection.alias
    entry_model = apps.get_model("core", "AuditEntry")
    head_model = apps.get_model("core", "AuditHead")
    keyed = []
    for entry in entry_model.objects.using(alias).order_by("seq").iterator(chunk_size=2000):
        entry.scheme = audit.KEYED
        expected = audit.entry_hash(audit.hashed_fields(entry), audit.KEYED)
        if hmac.compare_digest(expected, entry.hash):
            keyed.append(entry.pk)
    for start in range(0, len(keyed), 1000):
        batch = keyed[start : start + 1000]
        entry_model.objects.using(alias).filter(pk__in=batch).update(scheme=audit.KEYED)
    head = head_model.objects.using(alias).filter(pk=1).first()
    last = entry_model.objects.using(alias).order_by("-seq").first()
    if last is None:
        if head is None:
            head_model.objects.using(alias).create(
                pk=1, seq=0, hash=audit.GENESIS, mac=audit.head_mac(0, audit.GENESIS)
            )
        else:
            head.mac = audit.head_mac(head.seq, head.hash)
            head.save(update_fields=["mac"])
        return
    if last.scheme == audit.KEYED and head is not None:
        head.mac = audit.head_mac(head.seq, head.hash)  # migrated back and forth: already sealed
        head.save(update_fields=["mac"])
        return
    if head is None:
        # Entries without a head cannot come from the application; link the seal to the last
        # entry there is, and leave any earlier damage for `audit verify` to report.
        head = head_model(pk=1, seq=last.seq, hash=last.hash)
    entry = entry_model(
        seq=head.seq + 1,
        created=timezone.now().replace(microsecond=0),
        actor=SEAL_ACTOR,
        action="seal",
        model="core.auditentry",
        object_pk=str(head.seq),
        object_repr=f"entries 1 to {head.seq} sealed with the audit key",
        changes={"scheme": [audit.PLAIN, audit.KEYED]},
        prev_hash=head.hash,
        scheme=audit.KEYED,
    )
    entry.hash = audit.entry_hash(audit.hashed_fields(entry), audit.KEYED)
    entry.save(using=alias)
    head.seq, head.hash, head.mac = entry.seq, entry.hash, audit.head_mac(entry.seq, entry.hash)
    head.save(using=alias)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_translated_fields")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.CharField(default="sha256", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]

"""On PostgreSQL, the database itself refuses to rewrite the audit log.

Row triggers refuse UPDATE and DELETE on the entries, and refuse deleting the head or moving
it back (a smaller seq, or another hash at the same seq). They stop a stolen application
connection or an injected statement; a role that owns the tables can still disable them, which
is what the audit key and the published heads are for (docs/security-audit.md). TRUNCATE is
left alone, for `flush` and test databases: a truncated log fails `audit verify`.
SQLite has no such triggers here; the key and the published heads protect it alike.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_audit_refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % of entry #% is refused.', TG_OP, OLD.seq
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Entries are written by the application only (core/audit.py).';
END;
$$;

CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_refuse_rewrite();

CREATE OR REPLACE FUNCTION core_audit_head_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'The audit log''s head is never deleted.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> OLD.id OR NEW.seq < OLD.seq
       OR (NEW.seq = OLD.seq AND NEW.hash IS DISTINCT FROM OLD.hash) THEN
        RAISE EXCEPTION 'The audit log''s head only moves forward: #% to #% is refused.',
            OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER core_audithead_forward_only
    BEFORE UPDATE OR DELETE ON core_audithead
    FOR EACH ROW EXECUTE FUNCTION core_audit_head_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_audithead_forward_only ON core_audithead;
DROP FUNCTION IF EXISTS core_audit_head_forward_only();
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_audit_refuse_rewrite();
"""


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_key_and_head")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

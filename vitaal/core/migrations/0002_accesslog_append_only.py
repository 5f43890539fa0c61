"""On PostgreSQL the access log refuses UPDATE and DELETE at the database itself, so not
even a raw SQL statement or a bug in the ORM layer can rewrite history.

Rows are never updated. They may only be removed by the retention job (after the legal
retention period), which opens the gate for its own transaction with
``SET LOCAL vitaal.retention_purge = 'on'`` (see vitaal.core.audit.purge_gate)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'UPDATE' AND current_setting('vitaal.retention_purge', true) = 'on' THEN
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_accesslogentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accesslog_append_only
    BEFORE UPDATE OR DELETE ON core_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_refuse_change();

CREATE TRIGGER core_accesslog_no_truncate
    BEFORE TRUNCATE ON core_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS core_accesslog_no_truncate ON core_accesslogentry;
DROP TRIGGER IF EXISTS core_accesslog_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS core_accesslog_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

"""The access log gets a data class (who may read an entry), the privacy officer role, and
a trigger that only the purge role gets past.

Until now the trigger let anyone through who ran ``SET LOCAL vitaal.retention_purge = 'on'``
-- any role that could DELETE. The new function checks the current role against the purge
role instead (vitaal.core.dbroles); ``vitaal db-roles`` creates the roles and grants.

Existing rows are classified here, once: the migration runs as the table's owner, which
may switch its own trigger off for the length of this transaction (the application cannot:
it does not own the table)."""

from django.db import migrations, models

from vitaal.core.dbroles import purge_role_name, trigger_function_sql

# As vitaal.core.models.audit.data_class_for decided it when this migration was written.
PERSONNEL_OBJECT_TYPES = (
    "person",
    "account",
    "care_usage_report",
    "igm_meter_session",
    "igm_plan",
    "igm_signal",
)
CARE_BASES = ("company_doctor", "care_coordinator", "provider")


def classify(apps, schema_editor):
    entries = apps.get_model("core", "AccessLogEntry")
    table = entries._meta.db_table
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER core_accesslog_append_only")
    personnel = models.Q(object_type__in=PERSONNEL_OBJECT_TYPES) & ~models.Q(basis__in=CARE_BASES)
    # Plain querysets: the model's own manager refuses updates on purpose.
    rows = models.QuerySet(model=entries)
    rows.filter(personnel).update(data_class="personnel")
    rows.filter(object_type="access_log").update(data_class="log")
    rows.filter(data_class="").update(data_class="health")
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER core_accesslog_append_only")


def new_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(trigger_function_sql(purge_role_name()), params=None)


OLD_TRIGGER = """
CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'UPDATE' AND current_setting('vitaal.retention_purge', true) = 'on' THEN
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_accesslogentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_workerheartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="data_class",
            field=models.CharField(
                blank=True,
                choices=[
                    ("personnel", "personnel data"),
                    ("health", "care or health data"),
                    ("log", "the access log itself"),
                ],
                max_length=10,
                verbose_name="kind of personal data",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("sector_admin", "Sector administrator"),
                    ("care_coordinator", "Care coordinator"),
                    ("privacy_officer", "Privacy officer"),
                    ("advisor", "Advisor"),
                    ("org_admin", "Organisation administrator"),
                    ("coordinator", "IGM coordinator"),
                    ("management", "Management"),
                    ("hr", "HR advisor"),
                    ("manager", "Manager"),
                    ("company_doctor", "Company doctor"),
                    ("works_council", "Works council member"),
                    ("provider", "Care provider"),
                ],
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
        migrations.RunPython(new_trigger, old_trigger),
    ]

"""On PostgreSQL the application cannot rewrite the access log: it connects as a role that
may only INSERT and SELECT there, does not own the table (so cannot switch the trigger off),
and only the purge role -- the retention job's connection -- may remove expired rows.

The roles are created with the SQL of ``vitaal db-roles`` (vitaal.core.dbroles), inside the
test's transaction where possible so that nothing is left in the cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone

from vitaal.core.dbroles import RolePlan, roles_sql, trigger_function_sql
from vitaal.core.models import AccessLogEntry, Person
from vitaal.core.testing import Cast

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and the trigger exist on PostgreSQL"
)


def _plan() -> RolePlan:
    # Named after the test database, so that concurrent test runs on one cluster differ.
    name = str(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_accesslogentry'")
        owner = cursor.fetchone()[0]
    return RolePlan(database=name, owner=owner, app=f"{name}_app", purge=f"{name}_purge")


def _apply(plan: RolePlan) -> None:
    with connection.cursor() as cursor:
        for statement in roles_sql(plan):
            cursor.execute(statement)


@contextmanager
def as_role(role: str) -> Iterator[Any]:
    """Act as ``role`` on the test's own connection (the data of the test stays visible)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


def _refused(cursor: Any, sql: str, params: list[Any] | None = None, match: str = "") -> None:
    with pytest.raises(DatabaseError, match=match or "permission denied|must be owner"), transaction.atomic():
        cursor.execute(sql, params)


def _entry(days_old: int = 0) -> AccessLogEntry:
    entry = AccessLogEntry(
        timestamp=timezone.now() - timedelta(days=days_old),
        actor_label="x",
        action="view",
        object_type="person",
        basis="hr",
    )
    entry.save(force_insert=True)
    return entry


@pytest.mark.django_db
def test_application_role_only_adds_and_reads(cast: Cast) -> None:
    plan = _plan()
    _apply(plan)
    entry = _entry()
    with as_role(plan.app) as cursor:
        # The application's own paths work: the ORM writes and reads the log, and changes
        # ordinary tables.
        added = _entry()
        assert AccessLogEntry.objects.filter(pk__in=[entry.pk, added.pk]).count() == 2
        colleague = cast.a.colleague
        assert colleague is not None
        Person.objects.filter(pk=colleague.pk).update(weekly_hours=36)
        # It cannot rewrite the log, remove from it, empty it or switch its trigger off.
        _refused(cursor, "UPDATE core_accesslogentry SET description = 'x' WHERE id = %s", [entry.pk])
        _refused(cursor, "DELETE FROM core_accesslogentry WHERE id = %s", [entry.pk])
        _refused(cursor, "TRUNCATE core_accesslogentry")
        _refused(cursor, "ALTER TABLE core_accesslogentry DISABLE TRIGGER core_accesslog_append_only")
        _refused(cursor, "ALTER TABLE core_accesslogentry DISABLE TRIGGER ALL")
        _refused(cursor, "DROP TRIGGER core_accesslog_append_only ON core_accesslogentry")
        _refused(
            cursor,
            "CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger "
            "AS $$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
        )
        # Nor is it a member of the purge role (the tests' SET ROLE starts from a superuser
        # session, so the membership is what to ask about).
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [plan.purge])
        assert cursor.fetchone()[0] is False
    assert AccessLogEntry.objects.filter(pk=entry.pk, description="").exists()


@pytest.mark.django_db
def test_purge_role_removes_but_never_rewrites(cast: Cast) -> None:
    plan = _plan()
    _apply(plan)
    old = _entry(days_old=6 * 365)
    with as_role(plan.purge) as cursor:
        _refused(cursor, "UPDATE core_accesslogentry SET description = 'x' WHERE id = %s", [old.pk])
        _refused(cursor, "INSERT INTO core_accesslogentry (timestamp) VALUES (now())")
        _refused(cursor, "SELECT 1 FROM core_person")
        cursor.execute("DELETE FROM core_accesslogentry WHERE id = %s", [old.pk])
        assert cursor.rowcount == 1


@pytest.mark.django_db
def test_delete_rights_alone_do_not_pass_the_trigger(cast: Cast) -> None:
    """Should someone grant the application DELETE by mistake, the trigger still refuses."""
    plan = _plan()
    _apply(plan)
    entry = _entry()
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT DELETE, UPDATE ON core_accesslogentry TO {plan.app}")
    with as_role(plan.app) as cursor, pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        cursor.execute("DELETE FROM core_accesslogentry WHERE id = %s", [entry.pk])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("db_roles", "--check", app_role=plan.app, purge_role=plan.purge, stderr=out)
    assert f"{plan.app} may DELETE" in out.getvalue() and f"{plan.app} may UPDATE" in out.getvalue()


@pytest.mark.django_db
def test_db_roles_check_passes_after_apply_and_prints_sql(cast: Cast) -> None:
    plan = _plan()
    call_command("db_roles", app_role=plan.app, purge_role=plan.purge, stdout=StringIO())
    out = StringIO()
    call_command("db_roles", "--check", app_role=plan.app, purge_role=plan.purge, stdout=out)
    assert "may only add to the access log" in out.getvalue()
    printed = StringIO()
    call_command("db_roles", "--print-sql", app_role=plan.app, purge_role=plan.purge, stdout=printed)
    sql = printed.getvalue()
    assert f"GRANT SELECT, INSERT ON core_accesslogentry TO {plan.app};" in sql
    assert f"GRANT SELECT, DELETE ON core_accesslogentry TO {plan.purge};" in sql
    assert "PASSWORD" not in sql
    with pytest.raises(CommandError, match="usable role name"):
        call_command("db_roles", "--print-sql", app_role="app; DROP TABLE x", stdout=StringIO())


@pytest.fixture
def purge_alias(settings: Any) -> Iterator[RolePlan]:
    """Committed roles, and a ``purge`` alias that connects as the purge role -- what
    ``PURGE_DATABASE_URL`` configures in production. Removed again afterwards."""
    plan = _plan()
    _apply(plan)  # autocommit: a transactional test
    alias = dict(connection.settings_dict)
    alias["OPTIONS"] = {**alias.get("OPTIONS", {}), "options": f"-c role={plan.purge}"}
    settings.DATABASES = {**settings.DATABASES, "purge": alias}
    # Made by hand rather than through connections.settings: the test case allows
    # connections it did not know about at its start only when they are created this way.
    connections["purge"] = load_backend(alias["ENGINE"]).DatabaseWrapper(alias, "purge")
    try:
        yield plan
    finally:
        connections["purge"].close()
        del connections["purge"]
        with connection.cursor() as cursor:
            cursor.execute(trigger_function_sql("vitaal_purge"))
            for role in (plan.app, plan.purge):
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
@pytest.mark.django_db(transaction=True)
def test_retention_job_removes_expired_entries_through_the_purge_alias(purge_alias: RolePlan) -> None:
    from vitaal.privacy.enforce import run_retention

    old, fresh = _entry(days_old=6 * 365), _entry()
    with connections["purge"].cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == purge_alias.purge
    run = run_retention()
    assert run.counts["access_log"] == {"deleted": 1}, run.error
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()
    assert AccessLogEntry.objects.filter(pk=fresh.pk).exists()

"""The access log: reads and changes are logged, the log is append-only, and employees
see who looked at their data."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from vitaal.core.models import AccessLogEntry
from vitaal.core.models.append_only import AppendOnlyError
from vitaal.core.testing import login

pytestmark = pytest.mark.django_db


def test_viewing_a_record_is_logged_with_who_whom_and_basis(client, cast):
    colleague = cast.a.colleague
    login(client, cast.user("hr"))
    client.get(reverse("core:person_detail", args=["a", colleague.pk]))
    entry = AccessLogEntry.objects.get(subject=colleague, description="person record")
    assert entry.actor == cast.user("hr")
    assert entry.action == "view"
    assert entry.basis == "hr"
    assert entry.organisation == cast.a.organisation
    assert entry.ip_address == "127.0.0.1"


def test_list_views_log_every_person_shown(client, cast):
    login(client, cast.user("hr"))
    client.get(reverse("core:person_list", args=["a"]))
    logged = set(
        AccessLogEntry.objects.filter(description="people list").values_list("subject_id", flat=True)
    )
    assert cast.a.colleague.pk in logged
    assert cast.a.people["employee"].pk in logged


def test_own_data_is_not_logged_as_someone_elses_access(client, cast):
    login(client, cast.user("employee"))
    client.get(reverse("core:me"))
    assert not AccessLogEntry.objects.filter(subject=cast.a.people["employee"]).exists()


def test_employee_sees_who_looked_at_their_data(client, cast):
    employee = cast.a.people["employee"]
    login(client, cast.user("company_doctor"))
    client.get(reverse("core:person_detail", args=["a", employee.pk]))
    client.logout()
    login(client, cast.user("employee"))
    response = client.get(reverse("core:me_access_log"))
    content = response.content.decode()
    assert response.status_code == 200
    assert cast.user("company_doctor").email in content
    assert "Bedrijfsarts" in content  # the basis, as a role name in the reader's language


def test_employee_does_not_see_entries_about_others(client, cast):
    login(client, cast.user("hr"))
    client.get(reverse("core:person_detail", args=["a", cast.a.colleague.pk]))
    client.logout()
    login(client, cast.user("employee"))
    content = client.get(reverse("core:me_access_log")).content.decode()
    assert "person record" not in content


def test_log_entries_cannot_be_changed_or_deleted_through_the_orm(cast):
    entry = AccessLogEntry(actor_label="x", action="view", object_type="person", basis="hr")
    entry.save(force_insert=True)
    entry.description = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(description="changed")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_raw_update_always_and_delete_without_the_purge_role(cast):
    entry = AccessLogEntry(actor_label="x", action="view", object_type="person", basis="hr")
    entry.save(force_insert=True)
    # Not even the superuser the tests connect as may rewrite an entry.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_accesslogentry SET description = 'x' WHERE id = %s", [entry.pk])
    # A role that was granted DELETE, but is not the purge role, is stopped by the trigger
    # (the grants of vitaal db-roles never give it; test_accesslog_db_roles covers those).
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE test_alog_deleter NOLOGIN")
        cursor.execute("GRANT SELECT, DELETE ON core_accesslogentry TO test_alog_deleter")
        cursor.execute("SET ROLE test_alog_deleter")
        try:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute("DELETE FROM core_accesslogentry WHERE id = %s", [entry.pk])
        finally:
            cursor.execute("RESET ROLE")
    assert AccessLogEntry.objects.filter(pk=entry.pk, description="").exists()


def test_reading_the_log_requires_mfa(client, cast):
    login(client, cast.user("org_admin"), mfa=False)
    response = client.get(reverse("core:accesslog_list", args=["a"]))
    assert response.status_code == 302
    login(client, cast.user("org_admin"), mfa=True)
    assert client.get(reverse("core:accesslog_list", args=["a"])).status_code == 200


def test_access_log_filters(client, cast):
    login(client, cast.user("hr"))
    client.get(reverse("core:person_detail", args=["a", cast.a.colleague.pk]))
    client.logout()
    login(client, cast.user("org_admin"))
    url = reverse("core:accesslog_list", args=["a"])
    content = client.get(url, {"employee_number": cast.a.colleague.employee_number}).content.decode()
    assert cast.user("hr").email in content
    content = client.get(url, {"employee_number": "nobody"}).content.decode()
    assert cast.user("hr").email not in content
    response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200

"""Who reads which access-log entries (DESIGN rule 5), decided once by
``AccessLogEntry.objects.visible_to``: the subject everything about themself, the sector's
privacy officer the whole log, employer-side roles never an entry about someone's care or
health -- not on the page, not in its filters, not in its counts. Reading the log is
logged too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vitaal.care import workflow
from vitaal.care.tests.work_world import WorkWorld, build_work_world, in_progress
from vitaal.core.audit import log_access
from vitaal.core.models import AccessLogEntry, Person
from vitaal.core.models.audit import AccessAction, DataClass, data_class_for
from vitaal.core.testing import Cast, login

pytestmark = pytest.mark.django_db

EMPLOYER_SIDE = ["org_admin", "hr", "manager", "coordinator", "management", "works_council", "advisor"]
NO_LOG_PAGE = ["hr", "manager", "coordinator", "management", "works_council", "advisor", "company_doctor"]


@pytest.fixture
def ww(cast: Cast) -> WorkWorld:
    """Care history of organisation A's employee, written by the real workflow: the care
    coordinator assigned, the provider accepted and registered a session; plus HR opening
    the employee's personnel record and the company doctor opening a colleague's."""
    world = build_work_world(cast, with_requests=False)
    care_request = in_progress(world)
    workflow.delivery_session_register(
        user=cast.user("provider"),
        request=care_request,
        date=timezone.localdate(),
        duration_minutes=45,
        cost=Decimal("80"),
    )
    employee = cast.a.people["employee"]
    assert cast.a.colleague is not None and cast.b.colleague is not None
    for who, subject in (("hr", employee), ("company_doctor", cast.a.colleague), ("hr_b", cast.b.colleague)):
        log_access(
            user=cast.user(who),
            subject=subject,
            action=AccessAction.VIEW,
            object_type="person",
            object_id=subject.pk,
            description="person record",
        )
    return world


def _entries(client: Client, url: str, **params: str) -> list[AccessLogEntry]:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_entries_are_classified_when_written(ww: WorkWorld) -> None:
    employee = ww.cast.a.people["employee"]
    classes = dict(AccessLogEntry.objects.filter(subject=employee).values_list("object_type", "data_class"))
    assert classes["care_request"] == DataClass.HEALTH
    assert classes["delivery_session"] == DataClass.HEALTH
    assert classes["person"] == DataClass.PERSONNEL
    doctor = AccessLogEntry.objects.get(subject=ww.cast.a.colleague, object_type="person")
    # The company doctor opening a record says the person has a medical matter.
    assert doctor.data_class == DataClass.HEALTH
    # Whatever nobody classified stays with the subject and the privacy officer.
    assert data_class_for("something_new") == DataClass.HEALTH


def test_org_admin_page_shows_personnel_entries_only(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    employee = cast.a.people["employee"]
    login(client, cast.user("org_admin"))
    url = reverse("core:accesslog_list", args=["a"])
    shown = _entries(client, url)
    assert {e.data_class for e in shown} == {DataClass.PERSONNEL}
    assert {e.object_type for e in shown} == {"person"}
    # Filtering on the employee number finds the HR read and nothing of their care ...
    response = client.get(url, {"employee_number": employee.employee_number})
    body = response.content.decode()
    assert [e.actor for e in response.context["page"].object_list] == [cast.user("hr")]
    # ... nor does the page count give it away, nor a description, nor the care staff.
    assert response.context["page"].paginator.count == 1
    for leak in (cast.user("provider").email, cast.user("care_coordinator").email, "support session"):
        assert leak not in body
    # The company doctor's read of the colleague is not there either.
    assert cast.user("company_doctor").email not in body


def test_employer_side_and_sector_roles_see_no_care_entry(ww: WorkWorld) -> None:
    cast = ww.cast
    for role in [*EMPLOYER_SIDE, "sector_admin", "company_doctor"]:
        seen = AccessLogEntry.objects.visible_to(cast.user(role)).exclude(subject__user=cast.user(role))
        assert not seen.exclude(data_class=DataClass.PERSONNEL).exists(), role
    # Only the org admin reads any of the organisation's log at all.
    for role in [*NO_LOG_PAGE, "sector_admin"]:
        assert (
            not AccessLogEntry.objects.visible_to(cast.user(role))
            .exclude(subject__user=cast.user(role))
            .exists()
        ), role


def test_roles_without_the_log_get_403_and_other_organisations_404(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    url = reverse("core:accesslog_list", args=["a"])
    for role in [*NO_LOG_PAGE, "sector_admin", "care_coordinator", "provider", "employee"]:
        client.logout()
        login(client, cast.user(role))
        assert client.get(url).status_code == 403, role
        assert client.get(reverse("core:sector_accesslog_list")).status_code == 403, role
    client.logout()
    login(client, cast.user("org_admin_b"))
    assert client.get(url).status_code == 404


def test_privacy_officer_sees_everything_of_the_sector(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    login(client, cast.user("privacy_officer"))
    shown = _entries(client, reverse("core:accesslog_list", args=["a"]))
    assert {"care_request", "delivery_session", "person"} <= {e.object_type for e in shown}
    assert all(e.organisation_id == cast.a.organisation.pk for e in shown)
    everything = _entries(client, reverse("core:sector_accesslog_list"))
    assert {cast.a.organisation.pk, cast.b.organisation.pk} <= {e.organisation_id for e in everything}
    care = _entries(client, reverse("core:sector_accesslog_list"), data_class=DataClass.HEALTH)
    assert care and {e.data_class for e in care} == {DataClass.HEALTH}
    only_b = _entries(client, reverse("core:sector_accesslog_list"), organisation="b")
    assert {e.organisation_id for e in only_b} == {cast.b.organisation.pk}


def test_employee_sees_every_entry_about_themself(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    employee = cast.a.people["employee"]
    login(client, cast.user("privacy_officer"))
    client.get(reverse("core:accesslog_list", args=["a"]), {"employee_number": employee.employee_number})
    client.logout()
    login(client, cast.user("employee"))
    shown = _entries(client, reverse("core:me_access_log"))
    about_me = AccessLogEntry.objects.filter(subject=employee)
    assert {e.pk for e in shown} == set(about_me.values_list("pk", flat=True))
    assert {"care_request", "delivery_session", "person", "access_log"} <= {e.object_type for e in shown}


def test_reading_the_log_is_logged_with_the_filter(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    employee = cast.a.people["employee"]
    login(client, cast.user("org_admin"))
    url = reverse("core:accesslog_list", args=["a"])
    client.get(url, {"employee_number": employee.employee_number, "action": "view"})
    read = AccessLogEntry.objects.get(object_type="access_log")
    assert read.actor == cast.user("org_admin") and read.subject == employee
    assert read.organisation == cast.a.organisation and read.data_class == DataClass.LOG
    assert f"employee_number={employee.employee_number}" in read.description
    assert "action=view" in read.description
    # The org admin's next look does not show reads of the log; the privacy officer's does.
    assert all(e.object_type != "access_log" for e in _entries(client, url))
    assert AccessLogEntry.objects.filter(object_type="access_log").count() == 2
    client.logout()
    login(client, cast.user("privacy_officer"))
    reads = _entries(client, reverse("core:sector_accesslog_list"), data_class=DataClass.LOG)
    assert {e.actor for e in reads} == {cast.user("org_admin")}
    assert AccessLogEntry.objects.filter(
        object_type="access_log", actor=cast.user("privacy_officer")
    ).exists()


def test_referral_lists_log_every_person_shown(client: Client, ww: WorkWorld) -> None:
    cast = ww.cast
    colleague = cast.a.colleague
    assert colleague is not None
    for role, person in (
        ("manager", cast.a.people["employee"]),
        ("hr", colleague),
        ("company_doctor", colleague),
    ):
        workflow.referral_create(
            referrer=cast.user(role), person=person, intervention=ww.coaching, referrer_role=role
        )
        client.logout()
        login(client, cast.user(role))
        assert client.get(reverse("care:referral_list", args=["a"])).status_code == 200
        entry = AccessLogEntry.objects.get(description="referrals made list", actor=cast.user(role))
        assert entry.subject == person and entry.data_class == DataClass.HEALTH
        assert entry.object_type == "referral"


def test_the_subject_of_a_log_search_is_the_person_searched_for(ww: WorkWorld) -> None:
    from vitaal.core.audit import log_log_read

    cast = ww.cast
    employee = cast.a.people["employee"]
    entry = log_log_read(
        user=cast.user("privacy_officer"),
        organisation_id=None,
        filters={"employee_number": employee.employee_number, "actor": ""},
        shown=3,
    )
    assert entry.subject == employee and entry.organisation == employee.organisation
    assert entry.description == f"access log read (3 shown): employee_number={employee.employee_number}"
    unknown = log_log_read(
        user=cast.user("privacy_officer"), organisation_id=None, filters={"employee_number": "x"}, shown=0
    )
    assert unknown.subject is None and not Person.objects.filter(employee_number="x").exists()

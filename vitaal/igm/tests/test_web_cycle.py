"""The overview, cycle and phase-registration pages: what each role may do, and that bad
input is refused with a message and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vitaal.core.models import Unit
from vitaal.core.testing import login
from vitaal.igm.models import (
    CoordinatorAssignment,
    Cycle,
    CycleStatus,
    Meeting,
    MeterMode,
    PhaseRegistration,
    PhaseStep,
    RegistrationStatus,
    StepStatus,
    WorksCouncilAdvice,
)
from vitaal.igm.services.cycle import cycle_close
from vitaal.igm.services.registration import phase_registration_save
from vitaal.igm.tests.conftest import START, new_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Pages in English, so the tests can read the messages."""
    return Client(headers={"accept-language": "en"})


def url(name: str, cast, *args) -> str:
    return reverse(f"igm:{name}", args=[cast.a.organisation.slug, *args])


def test_nav_item_for_cycle_readers_only(client, cast, framework):
    for role in ("coordinator", "management", "works_council", "advisor", "org_admin"):
        login(client, cast.user(role))
        page = client.get(reverse("core:home")).content.decode()
        assert url("overview", cast) in page, role
        client.logout()
    for role in ("employee", "hr", "manager", "coordinator_b"):
        login(client, cast.user(role))
        assert url("overview", cast) not in client.get(reverse("core:home")).content.decode(), role
        client.logout()


def _overview_queries(client, cast) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("overview", cast))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_query_count_does_not_grow(client, cast, cycle, small, django_assert_max_num_queries):
    login(client, cast.user("coordinator"))
    new_session(cast, small, unit=cast.a.team1)
    few = _overview_queries(client, cast)
    for i in range(8):
        unit = Unit.objects.create(
            organisation=cast.a.organisation, name=f"Extra {i}", kind="team", code=f"X{i}"
        )
        new_session(cast, small, unit=unit, mode=MeterMode.INDIVIDUAL)
        new_session(cast, small, unit=unit)
    with django_assert_max_num_queries(few):
        response = client.get(url("overview", cast))
    assert response.content.decode().count("/meter/") >= 17


def test_overview_shows_phase_progress_and_open_steps(client, cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle, phase__number=0).first()
    PhaseStep.objects.filter(pk=step.pk).update(status=StepStatus.DONE, done_date=START)
    login(client, cast.user("management"))
    page = client.get(url("overview", cast)).content.decode()
    total = PhaseStep.objects.filter(phase__cycle=cycle, phase__number=0).count()
    assert f"1 / {total}" in page
    assert "Start a new cycle" not in page  # management reads only


def test_start_cycle_and_refuse_a_second_active_one(client, cast, framework):
    login(client, cast.user("coordinator"))
    data = {"started_on": "2025-01-06", "framework": framework.pk, "coordinator": cast.user("coordinator").pk}
    response = client.post(url("cycle_start", cast), data)
    assert response.status_code == 302
    cycle = Cycle.objects.get(organisation=cast.a.organisation)
    assert cycle.number == 1 and cycle.phases.count() == 6
    response = client.post(url("cycle_start", cast), data)
    assert response.status_code == 200
    assert "already has an active cycle" in response.content.decode()
    assert Cycle.objects.filter(organisation=cast.a.organisation).count() == 1


def test_a_new_cycle_starts_from_the_previous_one(client, cast, cycle, framework):
    cycle_close(cycle=cycle, closed_on=date(2025, 12, 1))
    login(client, cast.user("advisor"))
    client.post(url("cycle_start", cast), {"started_on": "2026-01-05", "framework": framework.pk})
    second = Cycle.objects.get(organisation=cast.a.organisation, status=CycleStatus.ACTIVE)
    assert second.number == 2 and second.previous == cycle
    page = client.get(url("cycle_detail", cast, 2)).content.decode()
    assert "the evaluation of cycle 1" in page, page[page.find("<main") :][:1500]


def test_management_and_works_council_cannot_start_or_change(client, cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    for role in ("management", "works_council"):
        login(client, cast.user(role))
        assert client.get(url("cycle_start", cast)).status_code == 403
        assert client.post(url("step_edit", cast, 1, step.pk), {"status": "done"}).status_code == 403
        client.logout()
    step.refresh_from_db()
    assert step.status == StepStatus.OPEN


def test_other_organisation_gets_404(client, cast, cycle):
    login(client, cast.user("coordinator_b"))
    assert client.get(url("cycle_detail", cast, 1)).status_code == 404
    assert client.get(url("overview", cast)).status_code == 404


def test_step_checklist_update_and_dates_out_of_order(client, cast, cycle):
    login(client, cast.user("coordinator"))
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    owner = cast.user("org_admin")
    ok = {
        "status": "done",
        "owner": owner.pk,
        "due_date": "2025-02-01",
        "done_date": "2025-01-20",
        "notes": "n",
    }
    assert client.post(url("step_edit", cast, 1, step.pk), ok).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.owner, step.done_date) == (StepStatus.DONE, owner, date(2025, 1, 20))
    bad = {**ok, "done_date": "2024-12-01", "notes": "changed"}
    response = client.post(url("step_edit", cast, 1, step.pk), bad)
    assert response.status_code == 200
    assert "before the start of the cycle" in response.content.decode()
    step.refresh_from_db()
    assert step.notes == "n" and step.done_date == date(2025, 1, 20)


def test_phase_dates_out_of_order_are_refused(client, cast, cycle):
    login(client, cast.user("coordinator"))
    data = {"planned_start": "2025-03-01", "planned_end": "2025-02-01", "status": "in_progress"}
    response = client.post(url("phase_edit", cast, 1, 1), data)
    assert response.status_code == 200
    assert "The end date lies before the start date." in response.content.decode()
    phase = cycle.phases.get(number=1)
    assert phase.planned_start is None and phase.status == "not_started"


def test_coordinator_change_keeps_history(client, cast, cycle):
    login(client, cast.user("org_admin"))
    new = cast.user("advisor")
    response = client.post(url("coordinator_change", cast, 1), {"user": new.pk, "on_date": "2025-04-01"})
    assert response.status_code == 302
    history = list(CoordinatorAssignment.objects.filter(cycle=cycle).order_by("from_date"))
    assert [a.user for a in history] == [cast.user("coordinator"), new]
    assert history[0].to_date == date(2025, 3, 31)
    page = client.get(url("cycle_detail", cast, 1)).content.decode()
    assert "31" in page and new.get_full_name() in page
    # Someone from another organisation cannot become coordinator.
    response = client.post(
        url("coordinator_change", cast, 1), {"user": cast.user("hr_b").pk, "on_date": "2025-05-01"}
    )
    assert response.status_code == 200
    assert CoordinatorAssignment.objects.filter(cycle=cycle).count() == 2


def test_group_membership_with_dates_out_of_order_is_refused(client, cast, cycle):
    login(client, cast.user("coordinator"))
    data = {
        "user": cast.user("management").pk,
        "group": "steering",
        "from_date": "2025-03-01",
        "to_date": "2025-01-01",
    }
    response = client.post(url("group_member_add", cast, 1), data)
    assert response.status_code == 200 and not cycle.group_members.exists()
    data["to_date"] = ""
    assert client.post(url("group_member_add", cast, 1), data).status_code == 302
    assert cycle.group_members.get().group == "steering"


def test_meeting_records_management_attendance(client, cast, cycle):
    login(client, cast.user("coordinator"))
    data = {
        "date": "2025-02-10",
        "kind": "steering",
        "attendees": [cast.user("management").pk],
        "minutes": "m",
    }
    assert client.post(url("meeting_add", cast, 1), data).status_code == 302
    assert Meeting.objects.get(cycle=cycle).management_present is True
    data = {"date": "2025-02-17", "kind": "project", "attendees": [cast.user("coordinator").pk]}
    client.post(url("meeting_add", cast, 1), data)
    assert Meeting.objects.get(cycle=cycle, date=date(2025, 2, 17)).management_present is False


def test_works_council_records_advice(client, cast, cycle):
    login(client, cast.user("works_council"))
    data = {
        "subject": "start_memo",
        "kind": "consent",
        "requested_on": "2025-02-01",
        "given_on": "2025-02-20",
        "outcome": "positive",
        "note": "Agreed.",
    }
    assert client.post(url("advice_add", cast, 1), data).status_code == 302
    advice = WorksCouncilAdvice.objects.get(cycle=cycle)
    assert advice.recorded_by == cast.user("works_council") and advice.kind == "consent"
    # The answer before the request: refused, nothing changed.
    bad = {**data, "given_on": "2025-01-01", "note": "changed"}
    response = client.post(url("advice_edit", cast, 1, advice.pk), bad)
    assert response.status_code == 200
    advice.refresh_from_db()
    assert advice.note == "Agreed."
    login(client, cast.user("management"))
    assert client.get(url("advice_add", cast, 1)).status_code == 403


def test_registration_draft_submit_verify_and_freeze(client, cast, cycle):
    login(client, cast.user("advisor"))
    data = dict.fromkeys(PhaseRegistration.CONTENT_FIELDS, "")
    data.update({"lessons_learned": "Start small.", "investment_hours": "12.5", "enthusiasm": "more"})
    del data["shareable"]
    assert client.post(url("registration_edit", cast, 1, 0), data).status_code == 302
    registration = PhaseRegistration.objects.get(phase__cycle=cycle, phase__number=0)
    assert registration.lessons_learned == "Start small." and registration.status == RegistrationStatus.DRAFT
    bad = {**data, "investment_hours": "-3", "lessons_learned": "changed"}
    assert client.post(url("registration_edit", cast, 1, 0), bad).status_code == 200
    registration.refresh_from_db()
    assert registration.lessons_learned == "Start small."
    assert client.post(url("registration_submit", cast, 1, 0)).status_code == 302
    # The advisor is not the contact person.
    assert client.post(url("registration_verify", cast, 1, 0)).status_code == 403
    login(client, cast.user("coordinator"))
    assert client.post(url("registration_verify", cast, 1, 0)).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.VERIFIED
    assert client.get(url("registration_edit", cast, 1, 0)).status_code == 403
    assert client.post(url("registration_edit", cast, 1, 0), data).status_code == 403
    page = client.get(url("registration_detail", cast, 1, 0)).content.decode()
    assert "Start small." in page and "frozen" in page


def test_registration_is_read_by_management_not_written(client, cast, cycle):
    phase_registration_save(phase=cycle.phases.get(number=2), values={"dilemmas": "Time."})
    login(client, cast.user("management"))
    assert "Time." in client.get(url("registration_detail", cast, 1, 2)).content.decode()
    assert client.get(url("registration_edit", cast, 1, 2)).status_code == 403
    assert client.post(url("registration_submit", cast, 1, 2)).status_code == 403

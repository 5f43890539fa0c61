"""DESIGN rule 1 for referrals and requests: only the employee, the care coordinator, the
assigned provider and (for their own referrals and approvals) the company doctor know a
request exists. Referrers know they referred, and nothing after. Reads and writes are
logged; e-mail carries no health data."""

from __future__ import annotations

from dataclasses import asdict, fields

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from vitaal.care import selectors, workflow
from vitaal.care.models import CareRequest, Referral
from vitaal.care.selectors import ReferralMade
from vitaal.core.models import AccessLogEntry

from .conftest import CareWorld

EMPLOYER_SIDE = ["manager", "hr", "org_admin", "coordinator", "management", "works_council", "advisor"]


@pytest.fixture
def requests(world: CareWorld) -> dict[str, CareRequest]:
    cast = world.cast
    employee, person = cast.user("employee"), cast.a.people["employee"]
    direct = workflow.care_request_submit(
        user=employee, person=person, intervention=world.coaching, description="Ik slaap slecht."
    )
    direct = workflow.care_request_assign(
        user=cast.user("care_coordinator"), request=direct, provider=world.balans
    )
    by_manager = workflow.referral_create(
        referrer=cast.user("manager"),
        person=person,
        intervention=world.budget,
        referrer_role="manager",
        note="Zullen we eens praten?",
    )
    from_manager = workflow.referral_answer(user=employee, referral=by_manager, accept=True)
    by_doctor = workflow.referral_create(
        referrer=cast.user("company_doctor"),
        person=person,
        intervention=world.coaching,
        referrer_role="company_doctor",
    )
    from_doctor = workflow.referral_answer(user=employee, referral=by_doctor, accept=True)
    needs_doctor = workflow.care_request_submit(user=employee, person=person, intervention=world.physio)
    in_b = workflow.care_request_submit(
        user=cast.user("employee_b"), person=cast.b.people["employee"], intervention=world.coaching
    )
    assert from_manager is not None and from_doctor is not None
    return {
        "direct": direct,
        "from_manager": from_manager,
        "from_doctor": from_doctor,
        "needs_doctor": needs_doctor,
        "in_b": in_b,
    }


def visible(user) -> set[int]:
    return set(CareRequest.objects.visible_to(user).values_list("pk", flat=True))


def ids(requests, *names) -> set[int]:
    return {requests[n].pk for n in names}


@pytest.mark.parametrize("role", [*EMPLOYER_SIDE, "sector_admin"])
def test_employer_side_roles_see_no_request_at_all(world, requests, role):
    names = [role] if role == "sector_admin" else [role, f"{role}_b"]
    for name in names:
        user = world.cast.user(name)
        assert visible(user) == set(), name
        assert selectors.care_request_list(user) == [], name
        for request in requests.values():
            assert not user.has_perm("care.view_carerequest", request), name
            with pytest.raises(Http404):
                selectors.care_request_get(user, request.pk)
        assert list(Referral.objects.visible_to(user)) == [], name


def test_the_employee_sees_their_own_requests_only(world, requests):
    mine = ids(requests, "direct", "from_manager", "from_doctor", "needs_doctor")
    assert visible(world.cast.user("employee")) == mine
    assert visible(world.cast.user("employee_b")) == ids(requests, "in_b")
    assert Referral.objects.visible_to(world.cast.user("employee")).count() == 2


def test_the_care_coordinator_sees_the_whole_sector(world, requests):
    assert visible(world.cast.user("care_coordinator")) == {r.pk for r in requests.values()}


def test_the_company_doctor_sees_own_referrals_and_own_approvals_in_their_organisation(world, requests):
    assert visible(world.cast.user("company_doctor")) == ids(requests, "from_doctor", "needs_doctor")
    assert visible(world.cast.user("company_doctor_b")) == set()


def test_a_provider_sees_only_requests_assigned_to_their_provider(world, requests):
    assert visible(world.cast.user("provider")) == ids(requests, "direct")
    assert visible(world.other_provider_user) == set()
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=requests["from_doctor"], provider=world.other
    )
    assert visible(world.other_provider_user) == {request.pk}
    workflow.care_request_provider_decline(user=world.other_provider_user, request=request)
    assert visible(world.other_provider_user) == set()


def test_referrers_get_their_referrals_without_any_answer_or_status(world, requests):
    made = selectors.referrals_made_by(world.cast.user("manager"))
    assert len(made) == 1
    row = asdict(made[0])
    assert set(row) == {
        "id",
        "person_id",
        "person_name",
        "intervention_id",
        "intervention_name",
        "referrer_role",
        "created_at",
        "note",
    }
    assert row["note"] == "Zullen we eens praten?"
    leaks = {"status", "answer", "answered_at", "care_request", "request", "description"}
    assert not leaks & {f.name for f in fields(ReferralMade)}
    for value in row.values():
        assert value not in {"accepted", "declined", "open", "awaiting_approval", "approved"}
    assert "answer" not in selectors.REFERRAL_MADE_FIELDS
    assert selectors.referrals_made_by(world.cast.user("hr")) == []
    assert selectors.referrals_made_by(world.cast.user("manager_b")) == []


def test_only_the_company_doctor_follows_the_status_after_their_referral(world, requests):
    statuses = selectors.referred_request_statuses(world.cast.user("company_doctor"))
    assert [(s.request_id, s.status) for s in statuses] == [(requests["from_doctor"].pk, "approved")]
    assert selectors.referred_request_statuses(world.cast.user("manager")) == []
    assert selectors.referred_request_statuses(world.cast.user("hr")) == []


def test_reads_by_others_are_logged_and_own_reads_are_not(world, requests):
    coordinator = world.cast.user("care_coordinator")
    before = AccessLogEntry.objects.count()
    selectors.care_request_get(coordinator, requests["direct"].pk)
    entry = AccessLogEntry.objects.latest("pk")
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.actor, entry.subject, entry.object_type, entry.object_id, entry.description) == (
        coordinator,
        world.cast.a.people["employee"],
        "care_request",
        str(requests["direct"].pk),
        "care request opened",
    )
    selectors.care_request_list(coordinator)
    assert AccessLogEntry.objects.count() == before + 1 + len(requests)
    count = AccessLogEntry.objects.count()
    selectors.care_request_list(world.cast.user("employee"))
    assert AccessLogEntry.objects.count() == count


def test_writes_by_others_are_logged(world, requests):
    person = world.cast.a.people["employee"]
    log = AccessLogEntry.objects.filter(subject=person)
    assert log.filter(
        actor=world.cast.user("manager"), object_type="referral", description="referral created"
    ).exists()
    assert log.filter(
        actor=world.cast.user("care_coordinator"),
        object_type="care_request",
        object_id=str(requests["direct"].pk),
        description="care request assigned to a provider",
    ).exists()
    workflow.care_request_approve(user=world.cast.user("company_doctor"), request=requests["needs_doctor"])
    assert log.filter(
        actor=world.cast.user("company_doctor"),
        object_id=str(requests["needs_doctor"].pk),
        description="care request approved",
    ).exists()


def test_mail_says_there_is_news_and_nothing_about_health(world, django_capture_on_commit_callbacks):
    cast = world.cast
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.care_request_submit(
            user=cast.user("employee"),
            person=cast.a.people["employee"],
            intervention=world.physio,
            description="Rugklachten sinds maart.",
        )
    recipients = {m.to[0] for m in mail.outbox}
    assert cast.user("company_doctor").email in recipients
    assert cast.user("employee").email in recipients
    assert cast.user("manager").email not in recipients and cast.user("hr").email not in recipients
    with django_capture_on_commit_callbacks(execute=True):
        workflow.care_request_approve(user=cast.user("company_doctor"), request=request)
        workflow.care_request_assign(
            user=cast.user("care_coordinator"), request=request, provider=world.balans
        )
    assert cast.user("provider").email in {m.to[0] for m in mail.outbox}
    forbidden = [
        world.physio.name_nl,
        world.physio.name_en,
        world.physio.description_nl,
        world.physio.description_en,
        "Rugklachten",
        str(cast.a.people["employee"]),
        "approv",
        "goedgekeurd",
    ]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for word in forbidden:
            assert word.lower() not in text, (word, message.subject)


def test_a_refused_write_sends_no_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        workflow.care_request_submit(
            user=world.cast.user("employee"), person=world.cast.a.people["employee"], intervention=world.out
        )
    assert mail.outbox == []


def test_referral_mail_goes_to_the_employee_without_what_or_why(world, django_capture_on_commit_callbacks):
    cast = world.cast
    with django_capture_on_commit_callbacks(execute=True):
        workflow.referral_create(
            referrer=cast.user("manager"),
            person=cast.a.people["employee"],
            intervention=world.budget,
            referrer_role="manager",
            note="Schulden bespreken?",
        )
    assert [m.to for m in mail.outbox] == [[cast.user("employee").email]]
    text = f"{mail.outbox[0].subject}\n{mail.outbox[0].body}"
    for word in (world.budget.name_nl, world.budget.name_en, "Schulden", "manager", "leidinggevende"):
        assert word.lower() not in text.lower()

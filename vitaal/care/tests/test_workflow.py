"""The request workflow as services: every allowed transition, and the refusals that must
change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vitaal.care import workflow
from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    Package,
    Referral,
    RequestEvent,
    RequestStatus,
)

from .conftest import COST, CareWorld

S = RequestStatus
TODAY = timezone.localdate()


def submit(world: CareWorld, intervention=None, **kwargs) -> CareRequest:
    cast = world.cast
    return workflow.care_request_submit(
        user=cast.user("employee"),
        person=cast.a.people["employee"],
        intervention=intervention or world.coaching,
        **kwargs,
    )


def history(request: CareRequest) -> list[tuple[str, str]]:
    return list(RequestEvent.objects.filter(request=request).values_list("from_status", "to_status"))


def in_progress(world: CareWorld, intervention=None) -> CareRequest:
    request = submit(world, intervention)
    if request.status == S.AWAITING_APPROVAL:
        request = workflow.care_request_approve(user=world.cast.user("care_coordinator"), request=request)
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )
    return workflow.care_request_provider_accept(
        user=world.cast.user("provider"), request=request, sessions_planned=3
    )


def register(world: CareWorld, request: CareRequest, cost: Decimal = COST, user=None, day: date = TODAY):
    return workflow.delivery_session_register(
        user=user or world.cast.user("provider"), request=request, date=day, duration_minutes=50, cost=cost
    )


def refused(match: str | None = None):
    return pytest.raises(ValidationError, match=match)


# --- Direct requests and approval ------------------------------------------------------


def test_direct_request_without_approval_is_approved_at_once(world):
    request = submit(world, description="Ik slaap slecht.")
    assert request.status == S.APPROVED
    assert request.route == "direct"
    assert request.organisation == world.cast.a.organisation
    assert history(request) == [("", S.SUBMITTED), (S.SUBMITTED, S.APPROVED)]


def test_request_needing_the_coordinator_waits_and_the_coordinator_approves(world):
    request = submit(world, world.budget)
    assert request.status == S.AWAITING_APPROVAL
    request = workflow.care_request_approve(user=world.cast.user("care_coordinator"), request=request)
    assert request.status == S.APPROVED
    assert history(request)[-1] == (S.AWAITING_APPROVAL, S.APPROVED)
    assert RequestEvent.objects.filter(request=request).last().actor == world.cast.user("care_coordinator")


def test_the_company_doctor_approves_what_names_them(world):
    request = submit(world, world.physio)
    with refused():
        workflow.care_request_approve(user=world.cast.user("care_coordinator"), request=request)
    with refused():
        workflow.care_request_approve(user=world.cast.user("company_doctor_b"), request=request)
    request = workflow.care_request_approve(user=world.cast.user("company_doctor"), request=request)
    assert request.status == S.APPROVED


@pytest.mark.parametrize(
    "role", ["manager", "hr", "org_admin", "management", "coordinator", "works_council", "sector_admin"]
)
def test_employer_side_roles_cannot_approve_or_reject(world, role, english):
    for intervention in (world.physio, world.budget):
        request = submit(world, intervention)
        events = RequestEvent.objects.count()
        with refused(match="not allowed"):
            workflow.care_request_approve(user=world.cast.user(role), request=request)
        with refused(match="not allowed"):
            workflow.care_request_reject(user=world.cast.user(role), request=request, reason="Nee.")
        request.refresh_from_db()
        assert request.status == S.AWAITING_APPROVAL
        assert RequestEvent.objects.count() == events


def test_the_approver_rejects_with_a_reason(world, english):
    request = submit(world, world.budget)
    coordinator = world.cast.user("care_coordinator")
    with refused(match="Give a reason"):
        workflow.care_request_reject(user=coordinator, request=request, reason="  ")
    request = workflow.care_request_reject(user=coordinator, request=request, reason="Buiten de regeling.")
    assert request.status == S.REJECTED
    assert request.closed_reason == "Buiten de regeling."
    assert RequestEvent.objects.filter(request=request).last().reason == "Buiten de regeling."


def test_an_approved_request_cannot_be_approved_again(world, english):
    coordinator = world.cast.user("care_coordinator")
    request = workflow.care_request_approve(user=coordinator, request=submit(world, world.budget))
    with refused(match="cannot become"):
        workflow.care_request_approve(user=coordinator, request=request)
    with refused(match="not allowed"):  # nobody approves what needs no approval
        workflow.care_request_approve(user=coordinator, request=submit(world))


def test_direct_request_needs_the_direct_route(world, english):
    with refused(match="only after a referral"):
        submit(world, world.manager_only)
    assert not CareRequest.objects.exists()


def test_only_the_employee_themself_submits(world):
    with refused():
        workflow.care_request_submit(
            user=world.cast.user("manager"),
            person=world.cast.a.people["employee"],
            intervention=world.coaching,
        )
    assert not CareRequest.objects.exists()


def test_interventions_out_of_the_package_cannot_be_requested(world, english):
    with refused(match="not part of this year"):
        submit(world, world.out)
    assert not CareRequest.objects.exists()


def test_without_a_published_package_nothing_can_be_requested(world, english):
    Package.objects.filter(pk=world.package.pk).update(year=TODAY.year - 1)
    with refused(match="no published care package"):
        submit(world)
    assert not CareRequest.objects.exists()


# --- Assignment, delivery, completion --------------------------------------------------


def test_the_full_journey_to_an_evaluation(world):
    request = in_progress(world)
    assert request.status == S.IN_PROGRESS
    assert request.provider == world.balans
    assert request.sessions_planned == 3
    register(world, request)
    request = workflow.care_request_complete(user=world.cast.user("provider"), request=request)
    assert request.status == S.COMPLETED
    evaluation = workflow.evaluation_submit(
        user=world.cast.user("employee"), request=request, helped="partly", grade=7, comment="Fijn."
    )
    assert evaluation.grade == 7
    assert [to for _f, to in history(request)] == [
        S.SUBMITTED,
        S.APPROVED,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.COMPLETED,
    ]


def test_the_coordinator_can_also_complete(world):
    request = in_progress(world)
    request = workflow.care_request_complete(user=world.cast.user("care_coordinator"), request=request)
    assert request.status == S.COMPLETED


def test_only_the_coordinator_assigns_and_only_to_a_provider_that_offers_it(world, english):
    request = submit(world)
    for role in ("hr", "manager", "company_doctor", "provider"):
        with refused(match="not allowed"):
            workflow.care_request_assign(user=world.cast.user(role), request=request, provider=world.balans)
    world.other.interventions.remove(world.coaching)
    with refused(match="does not offer"):
        workflow.care_request_assign(
            user=world.cast.user("care_coordinator"), request=request, provider=world.other
        )
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.provider is None


def test_a_request_awaiting_approval_cannot_be_assigned(world, english):
    request = submit(world, world.budget)
    with refused(match="cannot become"):
        workflow.care_request_assign(
            user=world.cast.user("care_coordinator"), request=request, provider=world.balans
        )


def test_provider_decline_sends_the_request_back_for_reassignment(world):
    request = submit(world)
    coordinator = world.cast.user("care_coordinator")
    request = workflow.care_request_assign(user=coordinator, request=request, provider=world.balans)
    request = workflow.care_request_provider_decline(
        user=world.cast.user("provider"), request=request, reason="Vol."
    )
    assert request.status == S.APPROVED and request.provider is None
    assert history(request)[-2:] == [
        (S.ASSIGNED, S.DECLINED_BY_PROVIDER),
        (S.DECLINED_BY_PROVIDER, S.APPROVED),
    ]
    request = workflow.care_request_assign(user=coordinator, request=request, provider=world.other)
    request = workflow.care_request_provider_accept(user=world.other_provider_user, request=request)
    assert request.status == S.IN_PROGRESS


def test_a_provider_acts_only_on_requests_assigned_to_them(world, english):
    request = submit(world)
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )
    with refused(match="not allowed"):
        workflow.care_request_provider_accept(user=world.other_provider_user, request=request)
    with refused(match="not allowed"):
        workflow.care_request_provider_decline(user=world.other_provider_user, request=request)
    request = workflow.care_request_provider_accept(user=world.cast.user("provider"), request=request)
    with refused(match="not allowed"):
        register(world, request, user=world.other_provider_user)
    assert not DeliverySession.objects.exists()


def test_planned_sessions_cannot_exceed_the_maximum(world):
    request = submit(world)
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )
    with refused():
        workflow.care_request_provider_accept(
            user=world.cast.user("provider"), request=request, sessions_planned=6
        )
    request.refresh_from_db()
    assert request.status == S.ASSIGNED


def test_sessions_stop_at_the_maximum_and_nothing_is_written(world, english):
    request = in_progress(world)
    for _i in range(5):
        register(world, request, cost=Decimal("10"))
    events, sessions = RequestEvent.objects.count(), DeliverySession.objects.count()
    with refused(match="maximum of 5 sessions"):
        register(world, request, cost=Decimal("10"))
    assert (RequestEvent.objects.count(), DeliverySession.objects.count()) == (events, sessions)


def test_cost_stops_at_the_yearly_ceiling_over_all_requests(world, english):
    first = in_progress(world)
    register(world, first, cost=Decimal("300"))
    workflow.care_request_complete(user=world.cast.user("provider"), request=first)
    second = in_progress(world)
    register(world, second, cost=Decimal("100"))
    with refused(match="more than the ceiling of EUR 475"):
        register(world, second, cost=Decimal("76"))
    assert DeliverySession.objects.count() == 2
    register(world, second, cost=Decimal("75"))  # exactly at the ceiling is fine
    assert workflow.year_cost(
        person=world.cast.a.people["employee"], intervention=world.coaching, year=TODAY.year
    ) == Decimal("475")


def test_sessions_only_while_in_progress(world, english):
    request = submit(world)
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )
    with refused(match="only while the request is in progress"):
        register(world, request)


def test_completion_needs_a_request_in_progress(world, english):
    request = submit(world)
    with refused(match="cannot become"):
        workflow.care_request_complete(user=world.cast.user("care_coordinator"), request=request)


# --- Withdrawal and evaluation ---------------------------------------------------------


@pytest.mark.parametrize("stage", ["awaiting", "approved", "assigned", "in_progress"])
def test_the_employee_withdraws_any_time_before_completion(world, stage):
    if stage == "awaiting":
        request = submit(world, world.budget)
    elif stage == "approved":
        request = submit(world)
    elif stage == "assigned":
        request = workflow.care_request_assign(
            user=world.cast.user("care_coordinator"), request=submit(world), provider=world.balans
        )
    else:
        request = in_progress(world)
    request = workflow.care_request_withdraw(
        user=world.cast.user("employee"), request=request, reason="Gaat beter."
    )
    assert request.status == S.WITHDRAWN
    assert request.closed_reason == "Gaat beter."


def test_withdrawal_is_the_employees_and_not_after_completion(world, english):
    request = in_progress(world)
    for role in ("manager", "hr", "care_coordinator", "provider", "employee_b"):
        with refused(match="not allowed"):
            workflow.care_request_withdraw(user=world.cast.user(role), request=request)
    request = workflow.care_request_complete(user=world.cast.user("provider"), request=request)
    with refused(match="cannot become"):
        workflow.care_request_withdraw(user=world.cast.user("employee"), request=request)


def test_evaluation_only_by_the_employee_after_completion_and_once(world, english):
    request = in_progress(world)
    with refused(match="only after it has been completed"):
        workflow.evaluation_submit(user=world.cast.user("employee"), request=request, helped="yes", grade=8)
    request = workflow.care_request_complete(user=world.cast.user("provider"), request=request)
    for role in ("provider", "care_coordinator", "manager"):
        with refused(match="not allowed"):
            workflow.evaluation_submit(user=world.cast.user(role), request=request, helped="yes", grade=8)
    with refused():
        workflow.evaluation_submit(user=world.cast.user("employee"), request=request, helped="yes", grade=11)
    workflow.evaluation_submit(user=world.cast.user("employee"), request=request, helped="yes", grade=8)
    with refused(match="already been evaluated"):
        workflow.evaluation_submit(user=world.cast.user("employee"), request=request, helped="no", grade=2)
    assert Evaluation.objects.count() == 1


def test_history_is_append_only(world):
    request = submit(world)
    event = RequestEvent.objects.filter(request=request).first()
    with refused():
        event.save()
    with refused():
        event.delete()
    with refused():
        RequestEvent.objects.filter(request=request).update(reason="x")
    with refused():
        RequestEvent.objects.filter(request=request).delete()


# --- Referrals -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "hr", "company_doctor"])
def test_each_referrer_role_refers_and_acceptance_starts_a_request(world, role):
    cast = world.cast
    referral = workflow.referral_create(
        referrer=cast.user(role),
        person=cast.a.people["employee"],
        intervention=world.coaching,
        referrer_role=role,
        note="Misschien helpt dit.",
    )
    assert referral.answer == "open"
    request = workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=True)
    assert request is not None
    assert request.route == "referral" and request.referral == referral
    assert request.status == S.APPROVED
    referral.refresh_from_db()
    assert referral.answer == "accepted" and referral.answered_at is not None


def test_declining_a_referral_starts_nothing_and_cannot_be_answered_twice(world, english):
    cast = world.cast
    referral = workflow.referral_create(
        referrer=cast.user("hr"),
        person=cast.a.people["employee"],
        intervention=world.coaching,
        referrer_role="hr",
    )
    assert workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=False) is None
    assert not CareRequest.objects.exists()
    with refused(match="already been answered"):
        workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=True)


def test_only_the_referred_employee_answers(world, english):
    cast = world.cast
    referral = workflow.referral_create(
        referrer=cast.user("hr"),
        person=cast.a.people["employee"],
        intervention=world.coaching,
        referrer_role="hr",
    )
    for role in ("hr", "manager", "care_coordinator", "employee_b"):
        with refused(match="not allowed"):
            workflow.referral_answer(user=cast.user(role), referral=referral, accept=True)


def test_a_referral_only_intervention_is_reached_through_its_route(world, english):
    cast = world.cast
    person = cast.a.people["employee"]
    with refused(match="cannot be reached through this route"):
        workflow.referral_create(
            referrer=cast.user("hr"), person=person, intervention=world.manager_only, referrer_role="hr"
        )
    referral = workflow.referral_create(
        referrer=cast.user("manager"), person=person, intervention=world.manager_only, referrer_role="manager"
    )
    request = workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=True)
    assert request is not None and request.status == S.APPROVED


def test_a_referral_that_needs_approval_waits_for_the_company_doctor(world):
    cast = world.cast
    referral = workflow.referral_create(
        referrer=cast.user("company_doctor"),
        person=cast.a.people["employee"],
        intervention=world.physio,
        referrer_role="company_doctor",
    )
    request = workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=True)
    assert request.status == S.AWAITING_APPROVAL


def test_referrals_out_of_the_package_are_refused(world, english):
    cast = world.cast
    with refused(match="not part of this year"):
        workflow.referral_create(
            referrer=cast.user("company_doctor"),
            person=cast.a.people["employee"],
            intervention=world.out,
            referrer_role="company_doctor",
        )
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("user", "role"),
    [
        ("hr_b", "hr"),  # HR of the other organisation
        ("manager_b", "manager"),  # a manager elsewhere
        ("company_doctor_b", "company_doctor"),
        ("hr", "manager"),  # a role the referrer does not hold
        ("org_admin", "hr"),
        ("works_council", "hr"),
        ("care_coordinator", "company_doctor"),
    ],
)
def test_only_referrers_of_the_person_may_refer(world, user, role, english):
    cast = world.cast
    with refused(match="cannot refer this employee"):
        workflow.referral_create(
            referrer=cast.user(user),
            person=cast.a.people["employee"],
            intervention=world.coaching,
            referrer_role=role,
        )
    assert not Referral.objects.exists()


def test_a_manager_does_not_refer_outside_their_unit(world, english):
    cast = world.cast
    with refused(match="cannot refer this employee"):
        workflow.referral_create(
            referrer=cast.user("manager"),
            person=cast.a.colleague,
            intervention=world.coaching,
            referrer_role="manager",
        )

"""The workflow books the ledger itself, in the same transaction as each transition:
commitment when the provider accepts, actual cost per session, release when a request
ends; a refusal books nothing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vitaal.care import finance, workflow
from vitaal.care.models import LedgerEntry, LedgerKind, RequestStatus

from .test_workflow import in_progress, register, submit

S = RequestStatus
YEAR = timezone.localdate().year


def entries(request) -> list[tuple[str, D]]:
    return list(LedgerEntry.objects.filter(care_request=request).values_list("kind", "amount"))


def test_nothing_is_committed_before_the_provider_accepts(world):
    request = submit(world)
    request = workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )
    assert entries(request) == []


def test_acceptance_commits_tariff_times_planned_sessions(world):
    request = in_progress(world)  # 3 × 95
    assert entries(request) == [(LedgerKind.COMMITMENT, D("285.00"))]


def test_sessions_book_actual_costs_and_completion_releases_the_rest(world):
    request = in_progress(world)
    register(world, request, cost=D("95.00"))
    request = workflow.care_request_complete(
        user=world.cast.user("provider"), request=request, outcome=workflow.Outcome.GOAL_REACHED
    )
    assert request.closed_reason == "goal_reached"
    assert sorted(entries(request)) == sorted(
        [
            (LedgerKind.COMMITMENT, D("285.00")),
            (LedgerKind.ACTUAL, D("95.00")),
            (LedgerKind.RELEASE, D("95.00")),
            (LedgerKind.RELEASE, D("190.00")),
        ]
    )
    balance = finance.organisation_balance(world.cast.a.organisation, YEAR)
    assert (balance.committed, balance.actual) == (D("0.00"), D("95.00"))


def test_withdrawal_releases_the_whole_commitment(world):
    request = in_progress(world)
    workflow.care_request_withdraw(user=world.cast.user("employee"), request=request, reason="Beter.")
    balance = finance.organisation_balance(world.cast.a.organisation, YEAR)
    assert balance.committed == D("0.00")
    assert (LedgerKind.RELEASE, D("285.00")) in entries(request)


def test_rejection_books_nothing(world):
    request = submit(world, world.budget)
    workflow.care_request_reject(user=world.cast.user("care_coordinator"), request=request, reason="Nee.")
    assert entries(request) == []


def test_an_unknown_outcome_is_refused_and_nothing_changes(world):
    request = in_progress(world)
    with pytest.raises(ValidationError):
        workflow.care_request_complete(user=world.cast.user("provider"), request=request, outcome="magic")
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS
    assert len(entries(request)) == 1


def test_a_second_request_gets_only_what_is_left_of_the_ceiling(world):
    first = in_progress(world)  # 285 committed of the 475 ceiling
    register(world, first, cost=D("95.00"))
    second = in_progress(world)  # 3 × 95 = 285 asked, 475 − 285 = 190 left
    commitment = LedgerEntry.objects.get(care_request=second, kind=LedgerKind.COMMITMENT)
    assert commitment.amount == D("190.00")


def test_a_used_up_ceiling_refuses_approval_and_acceptance(world):
    first = in_progress(world)
    workflow.care_request_withdraw(user=world.cast.user("employee"), request=first)
    full = in_progress(world)
    # Five sessions at 95 spend the whole ceiling of 475.
    for _i in range(5):
        register(world, full, cost=D("95.00"))
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="already been used up"):
        submit(world)
    assert LedgerEntry.objects.count() == before
    assert workflow.CareRequest.objects.filter(person=world.cast.a.people["employee"]).count() == 2


def test_a_refused_session_books_nothing(world):
    request = in_progress(world)
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="ceiling"):
        register(world, request, cost=D("500.00"))
    assert LedgerEntry.objects.count() == before

"""Financing: the ledger, the company-bound budget, the balance and the forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vitaal.care import finance, workflow
from vitaal.care.forecast import (
    FinancingTerms,
    ForecastInput,
    UptakeAssumption,
    compare,
    forecast,
    standard_models,
)
from vitaal.care.models import ApplicationStatus, BudgetApplication, LedgerEntry, LedgerKind

from .conftest import CareWorld
from .test_workflow import in_progress, register

YEAR = timezone.localdate().year
D = Decimal


def refused(match: str | None = None):
    return pytest.raises(ValidationError, match=match)


def set_budget(world: CareWorld, per_employee: str = "100", contribution: str | None = None):
    return finance.financing_model_set(
        user=world.cast.user("sector_admin"),
        package=world.package,
        contribution_per_employee=D(contribution) if contribution else None,
        company_budget_per_employee=D(per_employee),
    )


def apply(world: CareWorld, amount: str, user: str = "hr", org: str = "a") -> BudgetApplication:
    return finance.budget_application_submit(
        user=world.cast.user(user),
        organisation=getattr(world.cast, org).organisation,
        year=YEAR,
        purpose="Workshop werkdruk voor alle teams",
        amount=D(amount),
        period_start=date(YEAR, 1, 1),
        period_end=date(YEAR, 12, 31),
    )


# --- Financing model --------------------------------------------------------------------


def test_financing_model_defaults_to_the_sector_contribution(world):
    model = set_budget(world)
    assert model.contribution == D("55.00")
    model = set_budget(world, contribution="60")
    assert model.contribution == D("60")


def test_only_the_sector_admin_sets_the_financing_model(world):
    with refused("not allowed"):
        finance.financing_model_set(user=world.cast.user("org_admin"), package=world.package)


def test_co_payment_share_must_lie_between_0_and_1(world):
    with refused("between 0 and 1"):
        finance.financing_model_set(
            user=world.cast.user("sector_admin"), package=world.package, co_payment_share=D("1.5")
        )


# --- Company-bound budget ---------------------------------------------------------------


def test_budget_application_by_org_admin_or_hr_only(world):
    assert apply(world, "50", user="org_admin").status == ApplicationStatus.SUBMITTED
    assert apply(world, "50", user="hr").status == ApplicationStatus.SUBMITTED
    for user in ("manager", "employee", "sector_admin", "hr_b"):
        with refused("not allowed"):
            apply(world, "50", user=user)


def test_approval_commits_the_amount_and_only_the_sector_admin_decides(world):
    set_budget(world, "100")
    application = apply(world, "150")
    for user in ("org_admin", "hr", "org_admin_b", "care_coordinator"):
        with refused("not allowed"):
            finance.budget_application_decide(
                user=world.cast.user(user), application=application, approve=True
            )
    decided = finance.budget_application_decide(
        user=world.cast.user("sector_admin"), application=application, approve=True
    )
    assert decided.status == ApplicationStatus.APPROVED
    assert decided.decided_by == world.cast.user("sector_admin")
    entry = LedgerEntry.objects.get(budget_application=application)
    assert (entry.kind, entry.amount, entry.year) == (LedgerKind.COMMITMENT, D("150.00"), YEAR)
    with refused("already been decided"):
        finance.budget_application_decide(
            user=world.cast.user("sector_admin"), application=application, approve=False, note="x"
        )


def test_approval_above_the_remaining_budget_is_refused(world):
    set_budget(world, "100")
    headcount = finance.headcount(world.cast.a.organisation)
    budget = D(100 * headcount)  # EUR 100 × current headcount
    admin = world.cast.user("sector_admin")
    first = apply(world, str(budget - 50))
    finance.budget_application_decide(user=admin, application=first, approve=True)
    second = apply(world, "60")  # 10 more than the 50 left
    with refused(r"only EUR 50\.00 of the company-bound budget"):
        finance.budget_application_decide(user=admin, application=second, approve=True)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    assert not LedgerEntry.objects.filter(budget_application=second).exists()
    exact = apply(world, "50")
    finance.budget_application_decide(user=admin, application=exact, approve=True)
    assert finance.company_budget(world.cast.a.organisation, YEAR).remaining == 0


def test_rejection_needs_a_note_and_books_nothing(world):
    application = apply(world, "10")
    admin = world.cast.user("sector_admin")
    with refused("decision note"):
        finance.budget_application_decide(user=admin, application=application, approve=False)
    decided = finance.budget_application_decide(
        user=admin, application=application, approve=False, note="Past niet in de regeling."
    )
    assert decided.status == ApplicationStatus.REJECTED
    assert not LedgerEntry.objects.exists()


def test_no_company_budget_means_approval_is_refused(world):
    application = apply(world, "10")
    with refused("only EUR 0.00"):
        finance.budget_application_decide(
            user=world.cast.user("sector_admin"), application=application, approve=True
        )


# --- Ledger -----------------------------------------------------------------------------


def test_commitment_is_tariff_times_sessions(world):
    request = in_progress(world)  # coaching: EUR 95 per session, 3 planned, ceiling 475
    entry = finance.ledger_commit_for_request(request=request)
    assert (entry.kind, entry.amount, entry.organisation) == (
        LedgerKind.COMMITMENT,
        D("285.00"),
        world.cast.a.organisation,
    )
    assert finance.ledger_commit_for_request(request=request) == entry  # booked once


def test_commitment_is_capped_at_the_ceiling(world):
    request = workflow.care_request_submit(
        user=world.cast.user("employee"), person=world.cast.a.people["employee"], intervention=world.coaching
    )
    request.sessions_planned = 10  # 10 × 95 = 950, ceiling 475
    assert finance.commitment_amount(request) == D("475.00")


def test_commitment_without_planned_sessions_uses_the_maximum(world):
    request = workflow.care_request_submit(
        user=world.cast.user("employee"), person=world.cast.a.people["employee"], intervention=world.coaching
    )
    assert finance.commitment_amount(request) == D("475.00")  # 5 sessions × 95


def test_commitment_needs_planned_sessions_without_a_maximum(world):
    request = workflow.care_request_submit(
        user=world.cast.user("employee"), person=world.cast.a.people["employee"], intervention=world.budget
    )
    with refused("Plan the number of sessions"):
        finance.ledger_commit_for_request(request=request)


def test_actual_cost_releases_the_commitment(world):
    request = in_progress(world)
    finance.ledger_commit_for_request(request=request)  # 285
    first = register(world, request, cost=D("95.00"))
    actual, release = finance.ledger_actual_for_session(session=first)
    assert (actual.kind, actual.amount, actual.session) == (LedgerKind.ACTUAL, D("95.00"), first)
    assert release is not None and release.amount == D("95.00")
    assert finance.ledger_actual_for_session(session=first) == (actual, release)  # booked once
    for _i in range(2):
        finance.ledger_actual_for_session(session=register(world, request, cost=D("120.00")))
    # released 95 + 120 + 70 (only what was still committed)
    releases = LedgerEntry.objects.filter(kind=LedgerKind.RELEASE).values_list("amount", flat=True)
    assert sorted(releases) == [D("70.00"), D("95.00"), D("120.00")]


def test_the_ledger_is_append_only(world):
    request = in_progress(world)
    entry = finance.ledger_commit_for_request(request=request)
    entry.amount = D("1")
    with refused("cannot be changed"):
        entry.save()
    with refused("cannot be changed"):
        entry.delete()
    with refused("cannot be changed"):
        LedgerEntry.objects.update(amount=D("1"))


def test_organisation_balance(world):
    set_budget(world, "10")
    org = world.cast.a.organisation
    headcount = finance.headcount(org)
    request = in_progress(world)
    finance.ledger_commit_for_request(request=request)  # 285 committed
    finance.ledger_actual_for_session(session=register(world, request, cost=D("95.00")))  # 95 spent
    application = apply(world, "20")
    finance.budget_application_decide(
        user=world.cast.user("sector_admin"), application=application, approve=True
    )
    balance = finance.organisation_balance(org, YEAR)
    contributions = D("55.00") * headcount
    assert balance.headcount == headcount
    assert balance.contributions == contributions
    assert balance.committed == D("285.00") - D("95.00") + D("20.00")
    assert balance.actual == D("95.00")
    assert balance.remaining == contributions - D("210.00") - D("95.00")
    other = finance.organisation_balance(world.cast.b.organisation, YEAR)
    assert (other.committed, other.actual) == (D("0.00"), D("0.00"))


# --- Forecast ---------------------------------------------------------------------------

COACHING = UptakeAssumption("coaching", uptake_per_1000=D("20"), sessions=D("5"), tariff=D("95"))
PHYSIO = UptakeAssumption("physio", uptake_per_1000=D("100"), sessions=D("3"), tariff=D("150"))


def base(**changes) -> ForecastInput:
    values = {
        "start_year": 2026,
        "headcount": 1000,
        "terms": FinancingTerms(D("55")),
        "interventions": (COACHING, PHYSIO),
        "years": 3,
    }
    values.update(changes)
    return ForecastInput(**values)


def test_forecast_against_a_hand_computed_case():
    # 1,000 employees × EUR 55                       = 55,000 contributions
    # coaching: 1000/1000 × 20 uses × 5 × EUR 95     =  9,500
    # physio:   1000/1000 × 100 uses × 3 × EUR 150   = 45,000
    # care cost                                      = 54,500 → balance 500 a year
    # with 10% more employees a year: 1000, 1100, 1210 employees
    #   2027: 60,500 − 59,950 = 550;  2028: 66,550 − 65,945 = 605; cumulative 1,655
    result = forecast(base(headcount_growth=D("0.10")))
    first, second, third = result.years
    assert (first.year, first.contributions, first.care_cost, first.balance) == (
        2026,
        D("55000.00"),
        D("54500.00"),
        D("500.00"),
    )
    assert (second.headcount, second.contributions, second.care_cost, second.balance) == (
        1100,
        D("60500.00"),
        D("59950.00"),
        D("550.00"),
    )
    assert (third.headcount, third.balance, third.cumulative_balance) == (1210, D("605.00"), D("1655.00"))
    assert result.first_loss_year is None


def test_co_payment_halves_the_arrangement_cost():
    # 50% co-payment: the arrangement pays 27,250, the employer 27,250; balance 27,750
    year = forecast(base(terms=FinancingTerms(D("55"), co_payment_share=D("0.5")))).years[0]
    assert (year.arrangement_cost, year.employer_co_payments, year.balance) == (
        D("27250.00"),
        D("27250.00"),
        D("27750.00"),
    )


def test_first_loss_year_with_tariff_indexation():
    # tariffs +1% a year: 2026 54,500; 2027 55,045 > 55,000 → loss of 45 in 2027
    result = forecast(base(tariff_indexation=D("0.01")))
    assert [y.balance for y in result.years] == [D("500.00"), D("-45.00"), D("-595.45")]
    assert result.first_loss_year == 2027
    assert result.cumulative_balance == D("-140.45")


def test_compare_financing_models_side_by_side():
    # company-bound budget of EUR 5 × 1,000 = 5,000 reserved: 55,000 − 54,500 − 5,000 = −4,500
    results = compare(base(), standard_models(D("55")))
    assert list(results) == ["contribution", "contribution_co_payment", "contribution_company_budget"]
    assert results["contribution"].years[0].balance == D("500.00")
    assert results["contribution_co_payment"].years[0].balance == D("27750.00")
    assert results["contribution_company_budget"].years[0].balance == D("-4500.00")
    assert results["contribution_company_budget"].first_loss_year == 2026


def test_invalid_forecast_input_is_refused():
    with pytest.raises(ValueError):
        base(terms=FinancingTerms(D("55"), co_payment_share=D("2")))

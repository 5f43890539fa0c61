"""The sustainability forecast: does the arrangement pay for itself in the years ahead?

The old package ran at a loss for the insurer (Bartels 2020: "verliesgevend"), because
uptake × tariff outgrew the fixed EUR 55 per employee. These pure functions put the
contributions next to the expected costs, year by year.

How the money flows (the decision this module documents):
- income: contribution per employee × headcount;
- cost of care: per intervention, headcount / 1,000 × uptake per 1,000 employees ×
  average sessions × tariff. The arrangement pays ``1 − co_payment_share`` of it; the
  employer pays the co-payment share of each use directly (reported, never in the balance);
- the company-bound budget is reserved out of the contributions (per employee ×
  headcount) and assumed to be spent in full, so it lowers the balance;
- balance = contributions − arrangement's share of care − company-bound budget. A year
  runs at a loss when its own balance is negative; ``first_loss_year`` is the first.

Headcount grows by ``headcount_growth`` a year (rounded to whole employees), tariffs by
``tariff_indexation`` and uptake by ``uptake_growth``; the contribution stays as agreed.
Money is rounded to cents per year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

ZERO = Decimal("0")
CENT = Decimal("0.01")
THOUSAND = Decimal("1000")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class UptakeAssumption:
    """Expected use of one intervention: uses (requests) per 1,000 employees per year,
    average sessions per use and the tariff per session (for a per-trajectory tariff:
    sessions = 1 and the trajectory's tariff)."""

    label: str
    uptake_per_1000: Decimal
    sessions: Decimal
    tariff: Decimal

    def cost_per_employee(self) -> Decimal:
        return self.uptake_per_1000 / THOUSAND * self.sessions * self.tariff


@dataclass(frozen=True)
class FinancingTerms:
    contribution_per_employee: Decimal = Decimal("55.00")
    co_payment_share: Decimal = ZERO  # the employer's share of each use, 0..1
    company_budget_per_employee: Decimal = ZERO


@dataclass(frozen=True)
class ForecastInput:
    start_year: int
    headcount: int
    terms: FinancingTerms
    interventions: tuple[UptakeAssumption, ...]
    years: int = 5
    headcount_growth: Decimal = ZERO  # 0.02 = 2% more employees a year
    tariff_indexation: Decimal = ZERO
    uptake_growth: Decimal = ZERO

    def __post_init__(self) -> None:
        if not ZERO <= self.terms.co_payment_share <= 1:
            raise ValueError("co_payment_share must lie between 0 and 1")
        if self.years < 1 or self.headcount < 0:
            raise ValueError("years must be at least 1 and headcount not negative")


@dataclass(frozen=True)
class ForecastYear:
    year: int
    headcount: int
    contributions: Decimal
    care_cost: Decimal  # the full cost of expected use
    arrangement_cost: Decimal  # the arrangement's share of it
    employer_co_payments: Decimal  # the employer's share, paid per use
    company_budget: Decimal
    balance: Decimal
    cumulative_balance: Decimal

    @property
    def at_loss(self) -> bool:
        return self.balance < 0


@dataclass(frozen=True)
class Forecast:
    years: tuple[ForecastYear, ...]

    @property
    def first_loss_year(self) -> int | None:
        return next((y.year for y in self.years if y.at_loss), None)

    @property
    def cumulative_balance(self) -> Decimal:
        return self.years[-1].cumulative_balance if self.years else ZERO


def forecast(data: ForecastInput) -> Forecast:
    rows: list[ForecastYear] = []
    cumulative = ZERO
    terms = data.terms
    for i in range(data.years):
        count = int(
            (Decimal(data.headcount) * (1 + data.headcount_growth) ** i).to_integral_value(ROUND_HALF_UP)
        )
        tariff_factor = (1 + data.tariff_indexation) ** i
        uptake_factor = (1 + data.uptake_growth) ** i
        per_employee = sum((a.cost_per_employee() for a in data.interventions), ZERO)
        care = _money(per_employee * count * tariff_factor * uptake_factor)
        co_payments = _money(care * terms.co_payment_share)
        arrangement = care - co_payments
        contributions = _money(terms.contribution_per_employee * count)
        budget = _money(terms.company_budget_per_employee * count)
        balance = contributions - arrangement - budget
        cumulative += balance
        rows.append(
            ForecastYear(
                year=data.start_year + i,
                headcount=count,
                contributions=contributions,
                care_cost=care,
                arrangement_cost=arrangement,
                employer_co_payments=co_payments,
                company_budget=budget,
                balance=balance,
                cumulative_balance=cumulative,
            )
        )
    return Forecast(years=tuple(rows))


def standard_models(
    contribution: Decimal = Decimal("55.00"),
    *,
    co_payment_share: Decimal = Decimal("0.5"),
    company_budget_per_employee: Decimal = Decimal("5.00"),
) -> dict[str, FinancingTerms]:
    """The three models of Bartels' recommendation 10, by a stable key."""
    return {
        "contribution": FinancingTerms(contribution),
        "contribution_co_payment": FinancingTerms(contribution, co_payment_share=co_payment_share),
        "contribution_company_budget": FinancingTerms(
            contribution, company_budget_per_employee=company_budget_per_employee
        ),
    }


def compare(data: ForecastInput, models: Mapping[str, FinancingTerms]) -> dict[str, Forecast]:
    """The same assumptions under each financing model, side by side (same keys)."""
    return {key: forecast(replace(data, terms=terms)) for key, terms in models.items()}


# --- Assumptions from history ------------------------------------------------------------


@dataclass(frozen=True)
class HistoricalUptake:
    intervention_id: int
    completed: int
    uptake_per_1000: Decimal  # completed requests per year per 1,000 current employees
    average_sessions: Decimal


def uptake_from_history(
    organisations: Iterable[Any], *, years: int = 3, today: date | None = None
) -> dict[int, HistoricalUptake]:
    """Per intervention: the requests completed in the last ``years`` years (by the date
    of completion) in these organisations, per year per 1,000 of their current employees,
    and the average number of delivered sessions of those requests."""
    from vitaal.care.models import CareRequest, RequestEvent, RequestStatus
    from vitaal.core.models import Person

    today = today or timezone.localdate()
    org_ids = [o.pk for o in organisations]
    start = date(today.year - years, today.month, min(today.day, 28))
    employees = Person.objects.filter(organisation_id__in=org_ids).employed_on(today).count()
    completed_ids = RequestEvent.objects.filter(
        to_status=RequestStatus.COMPLETED,
        at__date__gt=start,
        at__date__lte=today,
        request__organisation_id__in=org_ids,
    ).values("request_id")
    rows = (
        CareRequest.objects.filter(pk__in=completed_ids)
        .values("intervention_id")
        .annotate(requests=Count("pk", distinct=True), session_count=Count("sessions"))
    )
    result: dict[int, HistoricalUptake] = {}
    for row in rows:
        requests = int(row["requests"])
        uptake = (Decimal(requests) / years / employees * THOUSAND if employees else ZERO).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        average = (Decimal(row["session_count"]) / requests).quantize(CENT, rounding=ROUND_HALF_UP)
        result[row["intervention_id"]] = HistoricalUptake(
            intervention_id=row["intervention_id"],
            completed=requests,
            uptake_per_1000=uptake,
            average_sessions=average,
        )
    return result

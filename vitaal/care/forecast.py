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

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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
class ReleasedYear:
    """One closed calendar year of the sector as its care release shows it: employees at
    the year's end, employees who used care, and the cost of the care delivered. ``None``
    where the release hides the figure."""

    year: int
    headcount: int
    users: int | None
    cost: Decimal | None

    @property
    def shown(self) -> bool:
        return self.users is not None and self.cost is not None and self.headcount > 0

    @property
    def users_per_1000(self) -> Decimal | None:
        if not self.shown:
            return None
        return Decimal(self.users or 0) / self.headcount * THOUSAND


@dataclass(frozen=True)
class ReleasedHistory:
    """The last ``window`` closed calendar years of the sector, oldest first."""

    years: tuple[ReleasedYear, ...]
    window: int

    @property
    def shown(self) -> tuple[ReleasedYear, ...]:
        return tuple(y for y in self.years if y.shown)

    @property
    def users(self) -> int:
        return sum(y.users or 0 for y in self.shown)

    @property
    def uptake_per_1000(self) -> Decimal:
        """Users per 1,000 employees per year: each shown year's rate, added up and divided
        by the length of the window (a hidden year counts as none, like a year without
        use)."""
        total = sum((y.users_per_1000 or ZERO for y in self.shown), ZERO)
        return (total / self.window).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_per_user(self) -> Decimal:
        """The cost of care delivered per user in the shown years."""
        if not self.users:
            return ZERO
        cost = sum((y.cost or ZERO for y in self.shown), ZERO)
        return (cost / self.users).quantize(CENT, rounding=ROUND_HALF_UP)


def history_from_releases(sector: Any, *, years: int = 3, today: date | None = None) -> ReleasedHistory:
    """The sector's care in the last ``years`` closed calendar years, from each year's care
    release (DESIGN rule 2): the forecast is shown to the sector admin, so it reads the
    figures every other output reads, with the same cells hidden, and nothing of the
    running year, where one request would move it. The release has no figures per
    intervention, so history is one figure for all care: users per 1,000 employees and
    the cost per user."""
    from vitaal.care.release import care_release
    from vitaal.core.releases import ReleasePeriod

    today = today or timezone.localdate()
    out = []
    for year in range(today.year - years, today.year):
        report = care_release(sector, ReleasePeriod.of_year(year), today=today)["sector_report"]
        users = report["uptake"]["total"]
        cost = report["delivered"]["cost_total"]
        out.append(
            ReleasedYear(
                year=year,
                headcount=int(report["headcount"]),
                users=None if users["suppressed"] else int(users["value"]),
                cost=None if cost is None else Decimal(cost),
            )
        )
    return ReleasedHistory(years=tuple(out), window=years)

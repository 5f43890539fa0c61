"""Services of the financing: the financing model of a package, applications for the
company-bound budget, the ledger, and an organisation's balance for a year.

Conventions as in ``vitaal.care.workflow``: keyword-only, the acting user is checked
against the ``care.*`` permissions, ``full_clean()`` before saving, one transaction, and a
refusal raises ValidationError with a translatable message and writes nothing.

Ledger amounts are the full cost of care (tariff × sessions, capped at the intervention's
ceiling; the session's cost); the employer's co-payment share is settled outside the
ledger. Commitments and releases are booked in the year of the commitment, actual costs in
the year of the session. ``ledger_commit_for_request`` and ``ledger_actual_for_session``
do not check a user: the workflow calls them from inside its own checked services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care.models import (
    ApplicationStatus,
    BudgetApplication,
    CareRequest,
    DeliverySession,
    FinancingModel,
    LedgerEntry,
    LedgerKind,
    Package,
    TariffUnit,
)
from vitaal.core.models import Organisation, Person, User

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

NOT_ALLOWED = _("You are not allowed to do this.")
ALREADY_DECIDED = _("This application has already been decided.")
NOTE_REQUIRED = _("Explain the rejection in the decision note.")
NO_SESSIONS_PLANNED = _(
    "Plan the number of sessions first: the commitment is the tariff per session times the sessions."
)
CEILING_REACHED = _(
    "The ceiling of EUR %(ceiling)s for this intervention has already been used up for this "
    "employee in %(year)d, so no more can be committed."
)
OVER_BUDGET = _(
    "This application asks for EUR %(amount)s, but only EUR %(remaining)s of the company-bound "
    "budget for %(year)d is left (budget EUR %(budget)s, already approved EUR %(approved)s)."
)


def _refuse(message: Any, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _require(user: User, perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise _refuse(NOT_ALLOWED, "not_allowed")


def _sum(entries: Any) -> Decimal:
    total = entries.aggregate(total=Sum("amount"))["total"]
    return Decimal(total or ZERO).quantize(CENT)


def headcount(organisation: Organisation) -> int:
    """The organisation's current employees (employed today)."""
    return Person.objects.filter(organisation=organisation).current().count()


def financing_model_for(organisation: Organisation, year: int) -> FinancingModel | None:
    """The financing model of the sector's package for the year, if there is one."""
    package = Package.objects.filter(sector_id=organisation.sector_id, year=year).first()
    if package is None:
        return None
    return FinancingModel.objects.filter(package=package).select_related("package__sector").first()


def contribution_for(organisation: Organisation, year: int) -> Decimal:
    model = financing_model_for(organisation, year)
    if model is not None:
        return model.contribution
    return Decimal(organisation.sector.contribution_per_employee)


# --- Financing model --------------------------------------------------------------------


@transaction.atomic
def financing_model_set(
    *,
    user: User,
    package: Package,
    contribution_per_employee: Decimal | None = None,
    co_payment_share: Decimal = Decimal("0"),
    company_budget_per_employee: Decimal = Decimal("0"),
) -> FinancingModel:
    """The sector admin sets how a package is paid for (creates or replaces the model)."""
    _require(user, "care.change_package", package)
    model = FinancingModel.objects.filter(package=package).first() or FinancingModel(package=package)
    model.contribution_per_employee = contribution_per_employee
    model.co_payment_share = co_payment_share
    model.company_budget_per_employee = company_budget_per_employee
    model.full_clean()
    model.save()
    return model


# --- Company-bound budget ---------------------------------------------------------------


@dataclass(frozen=True)
class CompanyBudget:
    year: int
    budget: Decimal  # budget per employee × current headcount
    approved: Decimal  # approved applications of the year
    remaining: Decimal


def company_budget(organisation: Organisation, year: int) -> CompanyBudget:
    model = financing_model_for(organisation, year)
    per_employee = model.company_budget_per_employee if model is not None else ZERO
    budget = (Decimal(per_employee) * headcount(organisation)).quantize(CENT)
    approved = _sum(
        LedgerEntry.objects.filter(
            organisation=organisation,
            year=year,
            kind=LedgerKind.COMMITMENT,
            budget_application__isnull=False,
        )
    )
    return CompanyBudget(year=year, budget=budget, approved=approved, remaining=budget - approved)


@transaction.atomic
def budget_application_submit(
    *,
    user: User,
    organisation: Organisation,
    year: int,
    purpose: str,
    amount: Decimal,
    period_start: date,
    period_end: date,
) -> BudgetApplication:
    """The organisation's admin or HR advisor applies for part of the company-bound budget."""
    _require(user, "care.apply_company_budget", organisation)
    application = BudgetApplication(
        organisation=organisation,
        year=year,
        purpose=purpose,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        submitted_by=user,
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def budget_application_decide(
    *, user: User, application: BudgetApplication, approve: bool, note: str = ""
) -> BudgetApplication:
    """The sector admin approves or rejects. Approval books a commitment, and is refused
    when the amount is more than what is left of the organisation's company-bound budget."""
    locked = (
        BudgetApplication.objects.select_for_update().select_related("organisation").get(pk=application.pk)
    )
    _require(user, "care.decide_budget_application", locked)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise _refuse(ALREADY_DECIDED, "decided")
    if not approve and not note.strip():
        raise _refuse(NOTE_REQUIRED, "note_required")
    if approve:
        # Serialise decisions for one organisation, so two approvals cannot both fit.
        Organisation.objects.select_for_update().filter(pk=locked.organisation_id).first()
        budget = company_budget(locked.organisation, locked.year)
        if locked.amount > budget.remaining:
            raise _refuse(
                OVER_BUDGET
                % {
                    "amount": locked.amount,
                    "remaining": budget.remaining,
                    "year": locked.year,
                    "budget": budget.budget,
                    "approved": budget.approved,
                },
                "over_budget",
            )
    locked.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.full_clean()
    locked.save()
    if approve:
        _book(
            organisation=locked.organisation,
            year=locked.year,
            kind=LedgerKind.COMMITMENT,
            amount=locked.amount,
            budget_application=locked,
        )
    return locked


# --- Ledger -----------------------------------------------------------------------------


def _book(**fields: Any) -> LedgerEntry:
    entry = LedgerEntry(**fields)
    entry.full_clean()
    entry.save()
    return entry


def _outstanding(request_id: int) -> Decimal:
    """What is still committed for one request: its commitment minus its releases."""
    entries = LedgerEntry.objects.filter(care_request_id=request_id)
    committed = _sum(entries.filter(kind=LedgerKind.COMMITMENT))
    released = _sum(entries.filter(kind=LedgerKind.RELEASE))
    return max(committed - released, ZERO)


def ceiling_used(
    *, person_id: int, intervention_id: int, year: int, exclude_request_id: int | None = None
) -> Decimal:
    """What the package already paid or promised for this person and intervention in a
    year: actual costs plus commitments still outstanding (of other requests)."""
    entries = LedgerEntry.objects.filter(
        care_request__person_id=person_id, care_request__intervention_id=intervention_id
    )
    actual = _sum(entries.filter(kind=LedgerKind.ACTUAL, year=year))
    open_entries = entries.filter(year=year).exclude(kind=LedgerKind.ACTUAL)
    if exclude_request_id is not None:
        open_entries = open_entries.exclude(care_request_id=exclude_request_id)
    committed = _sum(open_entries.filter(kind=LedgerKind.COMMITMENT))
    released = _sum(open_entries.filter(kind=LedgerKind.RELEASE))
    return actual + max(committed - released, ZERO)


def ceiling_room(request: CareRequest, year: int) -> Decimal | None:
    """How much is left under the intervention's yearly ceiling for this person (None:
    the intervention has no ceiling)."""
    ceiling = request.intervention.ceiling
    if ceiling is None:
        return None
    used = ceiling_used(
        person_id=request.person_id,
        intervention_id=request.intervention_id,
        year=year,
        exclude_request_id=request.pk,
    )
    return max(Decimal(ceiling) - used, ZERO).quantize(CENT)


def check_ceiling_not_reached(request: CareRequest, year: int) -> None:
    """Refuse when the person's ceiling for this intervention is used up for the year."""
    room = ceiling_room(request, year)
    if room is not None and room <= 0:
        raise _refuse(
            CEILING_REACHED % {"ceiling": request.intervention.ceiling, "year": year},
            "ceiling",
        )


def commitment_amount(request: CareRequest, *, year: int | None = None) -> Decimal:
    """Tariff × planned sessions (the maximum sessions when none are planned yet; one
    trajectory for a per-trajectory tariff), capped at what is left of the intervention's
    yearly ceiling for this person."""
    intervention = request.intervention
    if intervention.tariff_unit == TariffUnit.TRAJECTORY:
        amount = Decimal(intervention.tariff)
    else:
        sessions = request.sessions_planned or intervention.max_sessions
        if not sessions:
            raise _refuse(NO_SESSIONS_PLANNED, "no_sessions_planned")
        amount = Decimal(intervention.tariff) * sessions
    room = ceiling_room(request, year or timezone.localdate().year) if request.pk else None
    if room is None and intervention.ceiling is not None:
        room = Decimal(intervention.ceiling)
    if room is not None:
        amount = min(amount, room)
    return amount.quantize(CENT)


@transaction.atomic
def ledger_commit_for_request(*, request: CareRequest, year: int | None = None) -> LedgerEntry:
    """Book the commitment of a care request (once: a second call returns the first).
    Refused when the person's ceiling for the intervention is used up for the year."""
    locked = CareRequest.objects.select_for_update().select_related("intervention").get(pk=request.pk)
    existing = LedgerEntry.objects.filter(care_request=locked, kind=LedgerKind.COMMITMENT).first()
    if existing is not None:
        return existing
    book_year = year or timezone.localdate().year
    check_ceiling_not_reached(locked, book_year)
    return _book(
        organisation_id=locked.organisation_id,
        year=book_year,
        kind=LedgerKind.COMMITMENT,
        amount=commitment_amount(locked, year=book_year),
        care_request=locked,
    )


@transaction.atomic
def ledger_release_for_request(*, request: CareRequest, note: str = "") -> LedgerEntry | None:
    """Release what is still committed for a request that ends (completed, withdrawn or
    rejected): the unused part of the commitment goes back to the organisation."""
    locked = CareRequest.objects.select_for_update().get(pk=request.pk)
    commitment = LedgerEntry.objects.filter(care_request=locked, kind=LedgerKind.COMMITMENT).first()
    if commitment is None:
        return None
    amount = _outstanding(locked.pk)
    if amount <= 0:
        return None
    return _book(
        organisation_id=locked.organisation_id,
        year=commitment.year,
        kind=LedgerKind.RELEASE,
        amount=amount,
        care_request=locked,
        note=note,
    )


@transaction.atomic
def ledger_actual_for_session(*, session: DeliverySession) -> tuple[LedgerEntry, LedgerEntry | None]:
    """Book a delivered session's actual cost, and release as much of the request's
    commitment as the cost (at most what is still committed). Booking a session twice
    returns the first booking."""
    request = CareRequest.objects.select_for_update().get(pk=session.request_id)
    actual = LedgerEntry.objects.filter(session=session, kind=LedgerKind.ACTUAL).first()
    if actual is not None:
        return actual, LedgerEntry.objects.filter(session=session, kind=LedgerKind.RELEASE).first()
    actual = _book(
        organisation_id=request.organisation_id,
        year=session.date.year,
        kind=LedgerKind.ACTUAL,
        amount=Decimal(session.cost).quantize(CENT),
        care_request=request,
        session=session,
    )
    commitment = LedgerEntry.objects.filter(care_request=request, kind=LedgerKind.COMMITMENT).first()
    if commitment is None:
        return actual, None
    released = _sum(LedgerEntry.objects.filter(care_request=request, kind=LedgerKind.RELEASE))
    outstanding = commitment.amount - released
    amount = min(outstanding, actual.amount)
    if amount <= 0:
        return actual, None
    release = _book(
        organisation_id=request.organisation_id,
        year=commitment.year,
        kind=LedgerKind.RELEASE,
        amount=amount,
        care_request=request,
        session=session,
    )
    return actual, release


# --- Balance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    year: int
    headcount: int
    contribution_per_employee: Decimal
    contributions: Decimal  # contribution × current headcount
    committed: Decimal  # commitments not yet released
    actual: Decimal
    remaining: Decimal  # contributions − committed − actual


def organisation_contributions(organisation: Organisation, year: int) -> Decimal:
    """What the organisation pays in for the year: the contribution times its headcount.
    A fact about the organisation, not about anyone's care, so it is shown at any time."""
    return (contribution_for(organisation, year) * headcount(organisation)).quantize(CENT)


def organisation_balance(organisation: Organisation, year: int) -> Balance:
    """What the organisation pays in for the year, what is committed and spent, and what
    is left. The company-bound budget is part of the contributions: its approved
    applications count as commitments."""
    count = headcount(organisation)
    contribution = contribution_for(organisation, year)
    entries = LedgerEntry.objects.filter(organisation=organisation, year=year)
    commitments = _sum(entries.filter(kind=LedgerKind.COMMITMENT))
    releases = _sum(entries.filter(kind=LedgerKind.RELEASE))
    actual = _sum(entries.filter(kind=LedgerKind.ACTUAL))
    contributions = (contribution * count).quantize(CENT)
    committed = commitments - releases
    return Balance(
        year=year,
        headcount=count,
        contribution_per_employee=contribution,
        contributions=contributions,
        committed=committed,
        actual=actual,
        remaining=contributions - committed - actual,
    )

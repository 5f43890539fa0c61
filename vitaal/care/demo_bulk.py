"""Bulk writing for the care demo (``vitaal.care.demo``): a simulated year of requests,
referrals, events, sessions, evaluations and ledger bookings in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from vitaal.care import finance
from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    Intervention,
    LedgerEntry,
    LedgerKind,
    Provider,
    Referral,
    RequestEvent,
    RequestStatus,
)
from vitaal.core.models import Person, User

S = RequestStatus
CENT = Decimal("0.01")
BATCH = 1000


@dataclass
class Plan:
    """One simulated request, before it is written."""

    person: Person
    intervention: Intervention
    provider: Provider | None
    created: datetime
    route: str
    referrer: tuple[User, str] | None
    events: list[tuple[datetime, str, str]] = field(default_factory=list)
    sessions: list[tuple[date, Decimal]] = field(default_factory=list)
    status: str = S.SUBMITTED
    planned: int | None = None
    reason: str = ""
    evaluation: tuple[str, int] | None = None
    evaluated_at: datetime | None = None  # written by the history build (demo_rows)


@dataclass
class Written:
    requests: int = 0
    referrals: int = 0
    sessions: int = 0
    evaluations: int = 0
    cost: Decimal = Decimal("0")


def write_year(
    plans: list[Plan], extra_referrals: list[Referral], coordinator: User | None, registrar: User | None
) -> Written:
    """Write the simulated year in bulk, and book commitments and costs in the ledger."""
    written = Written()
    referrals = []
    for plan in plans:
        if plan.referrer is not None:
            user, role = plan.referrer
            referred = plan.created - timedelta(days=2)
            referrals.append(
                Referral(
                    person=plan.person,
                    intervention=plan.intervention,
                    referred_by=user,
                    referrer_role=role,
                    created_at=referred,
                    answer="accepted",
                    answered_at=plan.created,
                )
            )
    created_referrals = iter(Referral.objects.bulk_create(referrals, batch_size=BATCH))
    Referral.objects.bulk_create(extra_referrals, batch_size=BATCH)
    written.referrals = len(referrals) + len(extra_referrals)
    requests = []
    for plan in plans:
        requests.append(
            CareRequest(
                person=plan.person,
                organisation_id=plan.person.organisation_id,
                intervention=plan.intervention,
                route=plan.route,
                referral=next(created_referrals) if plan.referrer is not None else None,
                status=plan.status,
                provider=plan.provider,
                sessions_planned=plan.planned,
                closed_reason=plan.reason,
                created_at=plan.created,
            )
        )
    # Commitments are computed before the requests are saved: with no primary key yet the
    # ceiling is the intervention's own (no query per request). The simulation gives a
    # person at most one request per intervention and year, so that is the room left.
    commitments = [
        finance.commitment_amount(request) if plan.status in (S.IN_PROGRESS, S.COMPLETED) else None
        for plan, request in zip(plans, requests, strict=True)
    ]
    requests = CareRequest.objects.bulk_create(requests, batch_size=BATCH)
    written.requests = len(requests)
    events, sessions, evaluations = [], [], []
    for plan, request in zip(plans, requests, strict=True):
        previous = ""
        for when, to, reason in plan.events:
            actor = plan.person.user if to in (S.SUBMITTED, S.WITHDRAWN) else coordinator
            events.append(
                RequestEvent(
                    request=request, at=when, actor=actor, from_status=previous, to_status=to, reason=reason
                )
            )
            previous = to
        for day, cost in plan.sessions if registrar is not None else []:
            sessions.append(
                DeliverySession(
                    request=request,
                    provider=plan.provider,
                    date=day,
                    duration_minutes=60,
                    cost=cost,
                    registered_by=registrar,
                )
            )
        if plan.evaluation is not None:
            evaluations.append(
                Evaluation(request=request, helped=plan.evaluation[0], grade=plan.evaluation[1])
            )
    RequestEvent.objects.bulk_create(events, batch_size=BATCH)
    DeliverySession.objects.bulk_create(sessions, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    written.sessions = len(sessions)
    written.evaluations = len(evaluations)
    written.cost = sum((s.cost for s in sessions), Decimal("0"))
    LedgerEntry.objects.bulk_create(_ledger(plans, requests, sessions, commitments), batch_size=BATCH)
    return written


def _ledger(
    plans: list[Plan],
    requests: list[CareRequest],
    sessions: list[DeliverySession],
    commitments: list[Decimal | None],
) -> list[LedgerEntry]:
    """The bookings ``finance.ledger_commit_for_request`` and
    ``finance.ledger_actual_for_session`` would make, computed with the same rules
    (``finance.commitment_amount``) and written in one go."""
    entries: list[LedgerEntry] = []
    outstanding: dict[int, tuple[Decimal, int]] = {}
    for plan, request, amount in zip(plans, requests, commitments, strict=True):
        if amount is not None:
            year = plan.created.year
            outstanding[request.pk] = (amount, year)
            entries.append(
                LedgerEntry(
                    organisation_id=request.organisation_id,
                    year=year,
                    kind=LedgerKind.COMMITMENT,
                    amount=amount,
                    care_request=request,
                )
            )
    for session in sessions:
        request = session.request
        cost = Decimal(session.cost).quantize(CENT)
        entries.append(
            LedgerEntry(
                organisation_id=request.organisation_id,
                year=session.date.year,
                kind=LedgerKind.ACTUAL,
                amount=cost,
                care_request=request,
                session=session,
            )
        )
        left, year = outstanding.get(request.pk, (Decimal("0"), session.date.year))
        release = min(left, cost)
        if release > 0:
            outstanding[request.pk] = (left - release, year)
            entries.append(
                LedgerEntry(
                    organisation_id=request.organisation_id,
                    year=year,
                    kind=LedgerKind.RELEASE,
                    amount=release,
                    care_request=request,
                    session=session,
                )
            )
    return entries

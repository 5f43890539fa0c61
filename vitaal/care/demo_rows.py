"""Fast row writing for the history build (``vitaal.care.demo_history``).

Five years of care use at 50,000 staff are millions of rows (requests, their events,
sessions, ledger bookings). ``bulk_create`` spends most of its time building model
instances and compiling each row's values; here rows are plain tuples written with one
``executemany`` per batch, and primary keys are handed out by the writer so that
dependent rows (a session's ledger entries, a request's events) can point at them before
anything is written. The sequences are set past the written keys at the end (PostgreSQL;
SQLite follows the highest key by itself).

Only the history build uses this; the everyday demo writes through ``bulk_create``
(``vitaal.care.demo_bulk.write_year``), and ``write_history_year`` writes exactly the rows
that ``write_year`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from vitaal.care import finance
from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    LedgerEntry,
    LedgerKind,
    Referral,
    RequestEvent,
    RequestStatus,
)
from vitaal.core.models import User

from .demo_bulk import Plan, Written

S = RequestStatus
CENT = Decimal("0.01")
BATCH = 5000
SESSION_TIME = time(17, 0)
CONVERTED = (models.DateTimeField, models.DateField, models.DecimalField, models.JSONField)


def _converter(field: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


class Rows:
    """Rows of one model: ``add`` takes the values of ``names`` (foreign keys as ids) and
    returns the new row's primary key; every other column gets its default."""

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        self.model = model
        given: list[Any] = [meta.get_field(name) for name in names]
        rest = [f for f in meta.concrete_fields if f is not pk and f not in given]
        now = timezone.now()

        def default(f: Any) -> Any:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                return f.get_db_prep_save(now, connection)
            return f.get_db_prep_save(f.get_default(), connection)

        self.fixed = tuple(default(f) for f in rest)
        self.converters: list[Callable[[Any], Any] | None] = [
            _converter(f) if isinstance(f, CONVERTED) else None for f in given
        ]
        quote = connection.ops.quote_name
        columns = [str(f.column) for f in (pk, *given, *rest)]
        # Table and column names come from the model (quoted), values are parameters.
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
        self.next = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, *values: Any) -> int:
        key = self.next
        self.next += 1
        self.rows.append((key, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return key

    def flush(self) -> None:
        if not self.rows:
            return
        converters = [(i + 1, c) for i, c in enumerate(self.converters) if c is not None]
        prepared = []
        for row in self.rows:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            prepared.append((*values, *self.fixed))
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)
        self.count += len(self.rows)
        self.rows = []


class HistoryWriter:
    """The row writers of a history build, shared by all its organisation-years."""

    def __init__(self) -> None:
        self.referrals = Rows(
            Referral,
            ["person", "intervention", "referred_by", "referrer_role", "created_at", "answer", "answered_at"],
        )
        self.requests = Rows(
            CareRequest,
            [
                "person",
                "organisation",
                "intervention",
                "route",
                "referral",
                "status",
                "provider",
                "sessions_planned",
                "closed_reason",
                "created_at",
                "updated_at",
            ],
        )
        self.events = Rows(RequestEvent, ["request", "at", "actor", "from_status", "to_status", "reason"])
        self.sessions = Rows(
            DeliverySession,
            ["request", "provider", "date", "duration_minutes", "cost", "registered_by", "created_at"],
        )
        self.evaluations = Rows(Evaluation, ["request", "helped", "grade", "created_at"])
        self.ledger = Rows(LedgerEntry, ["organisation", "year", "kind", "amount", "care_request", "session"])
        self.all = [self.referrals, self.requests, self.events, self.sessions, self.evaluations, self.ledger]

    def finish(self) -> None:
        """Write what is left and move the sequences past the keys handed out."""
        for rows in self.all:
            rows.flush()
        self.reset_sequences([rows.model for rows in self.all])

    @staticmethod
    def reset_sequences(models_: list[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), models_)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def referral(self, r: Referral) -> None:
        self.referrals.add(
            r.person_id,
            r.intervention_id,
            r.referred_by_id,
            r.referrer_role,
            r.created_at,
            r.answer,
            r.answered_at,
        )

    def year(
        self, plans: list[Plan], loose: list[Referral], coordinator: User | None, registrar: User | None
    ) -> Written:
        """Write one simulated organisation-year: the rows ``demo_bulk.write_year`` writes."""
        written = Written(referrals=len(loose), requests=len(plans))
        for r in loose:
            self.referral(r)
        now = timezone.now()
        for plan in plans:
            self._plan(plan, coordinator, registrar, written, now)
        return written

    def _plan(
        self, plan: Plan, coordinator: User | None, registrar: User | None, written: Written, now: datetime
    ) -> None:
        person = plan.person
        referral = None
        if plan.referrer is not None:
            user, role = plan.referrer
            referral = self.referrals.add(
                person.pk,
                plan.intervention.pk,
                user.pk,
                role,
                plan.created - timedelta(days=2),
                "accepted",
                plan.created,
            )
            written.referrals += 1
        provider = plan.provider.pk if plan.provider is not None else None
        commitment = None
        if plan.status in (S.IN_PROGRESS, S.COMPLETED):
            # Same rule as finance.ledger_commit_for_request; the simulation gives a person
            # one request per intervention and year, so the ceiling is the room left.
            commitment = finance.commitment_amount(
                CareRequest(intervention=plan.intervention, sessions_planned=plan.planned)
            )
        request = self.requests.add(
            person.pk,
            person.organisation_id,
            plan.intervention.pk,
            plan.route,
            referral,
            plan.status,
            provider,
            plan.planned,
            plan.reason,
            plan.created,
            plan.events[-1][0] if plan.events else plan.created,
        )
        previous = ""
        for when, to, reason in plan.events:
            actor = (
                person.user_id
                if to in (S.SUBMITTED, S.WITHDRAWN)
                else (coordinator.pk if coordinator else None)
            )
            self.events.add(request, when, actor, previous, to, reason)
            previous = to
        org = person.organisation_id
        if commitment is not None:
            self.ledger.add(org, plan.created.year, LedgerKind.COMMITMENT, commitment, request, None)
        left = commitment or Decimal("0")
        for day, cost in plan.sessions if registrar is not None else []:
            assert registrar is not None
            session = self.sessions.add(
                request,
                provider,
                day,
                60,
                cost,
                registrar.pk,
                timezone.make_aware(datetime.combine(day, SESSION_TIME)),
            )
            cost = Decimal(cost).quantize(CENT)
            self.ledger.add(org, day.year, LedgerKind.ACTUAL, cost, request, session)
            release = min(left, cost)
            if release > 0:
                left -= release
                self.ledger.add(org, plan.created.year, LedgerKind.RELEASE, release, request, session)
            written.sessions += 1
            written.cost += cost
        if plan.evaluation is not None:
            self.evaluations.add(request, plan.evaluation[0], plan.evaluation[1], plan.evaluated_at or now)
            written.evaluations += 1

"""The right to erasure (AVG art. 17) within legal retention.

An employee files a request; the privacy handler (the sector's privacy officer) sees the plan —
what will be erased, anonymised and kept, with the retention class, ground and end date of
what is kept — and carries it out in one transaction, or refuses with a reason.

What an erasure does, and why (docs/retention.md has the full story):
* the employee's own data with no duty to keep it goes: health checks, closed care
  requests that no ledger entry points at (with history, sessions and evaluation),
  referrals without a request, enrolments, survey invitations to their address;
* closed requests the ledger still needs keep only their skeleton (texts, notes and the
  evaluation go) until the financial period ends;
* the access log stays (accountability), as does the organisation's work record;
* the employee record and login of someone still employed stay: the employer's HR system
  supplies them and the contract is their ground; a leaver's are anonymised at once.
While a care request is open nothing is executed: erasing would end support halfway and
leave the provider with an assignment for nobody.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.audit import log_access
from vitaal.core.models import AccessLogEntry, Person, User
from vitaal.core.models.audit import AccessAction
from vitaal.core.personal_data import rows_linked_to_user
from vitaal.privacy import purge
from vitaal.privacy.models import ErasureRequest, ErasureStatus
from vitaal.privacy.retention import retention_class

ERASE = "erase"
ANONYMISE = "anonymise"
KEEP = "keep"
NOT_LINKED = "not_linked"

OUTCOME_LABELS = {
    ERASE: _("erased"),
    ANONYMISE: _("anonymised"),
    KEEP: _("kept"),
    NOT_LINKED: _("not linked to you"),
}

WHAT_LABELS = {
    "health_checks": _("Your health checks"),
    "care_requests": _("Closed requests for support, with their history, sessions and evaluation"),
    "care_request_texts": _("Texts, notes and evaluations of closed requests that have costs booked"),
    "ledger": _("Booked costs of those requests (amounts only, without texts)"),
    "referrals": _("Referrals that did not lead to a request"),
    "enrolments": _("Enrolments in group activities"),
    "invitations": _("Survey invitations sent to your e-mail address"),
    "survey_answers": _("Survey answers"),
    "access_log": _("The log of who looked at your data"),
    "person_record": _("Your employee record and login"),
    "organisation_work": _("Work for your organisation (plans, meter sessions, measurements)"),
    "erasure_request": _("This erasure request"),
}


@dataclass
class PlanLine:
    what: str
    outcome: str
    count: int
    retention: str  # the retention class key
    until: str | None = None  # ISO date when what is kept goes at the latest

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    lines: list[PlanLine]
    blocked: list[Any]  # reasons (lazy strings) that stop execution

    @property
    def can_execute(self) -> bool:
        return not self.blocked


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _querysets(person: Person) -> dict[str, Any]:
    from vitaal.care.models import CareRequest, Enrolment, HealthCheck, Referral
    from vitaal.care.models.requests import CLOSED_STATUSES
    from vitaal.surveys.models import Invitation

    closed = CareRequest.objects.filter(person=person, status__in=CLOSED_STATUSES)
    addresses = {a.lower() for a in (person.email, person.user.email if person.user else "") if a}
    return {
        "health_checks": HealthCheck.objects.filter(person=person),
        "care_free": purge.care_requests_with_ledger(closed, linked=False),
        "care_linked": purge.care_requests_with_ledger(closed, linked=True),
        "open_requests": CareRequest.objects.filter(person=person).open(),
        "referrals": Referral.objects.filter(person=person, care_request__isnull=True),
        "enrolments": Enrolment.objects.filter(person=person),
        "invitations": Invitation.objects.filter(email__in=addresses),
    }


def is_leaver(person: Person, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return person.employment_end is not None and person.employment_end < today


def plan_for(person: Person, request: ErasureRequest | None = None) -> Plan:
    from vitaal.care.models import LedgerEntry

    qs = _querysets(person)
    lines = [
        PlanLine("health_checks", ERASE, qs["health_checks"].count(), "health_checks"),
        PlanLine("care_requests", ERASE, qs["care_free"].count(), "care_records"),
        PlanLine("referrals", ERASE, qs["referrals"].count(), "care_records"),
        PlanLine("enrolments", ERASE, qs["enrolments"].count(), "care_records"),
        PlanLine("invitations", ERASE, qs["invitations"].count(), "survey_invitations"),
    ]
    linked = qs["care_linked"]
    n_linked = linked.count()
    if n_linked:
        ledger = purge.plain(LedgerEntry).filter(care_request__in=linked.values("pk"))
        last_year = ledger.aggregate(y=Max("year"))["y"]
        lines.append(PlanLine("care_request_texts", ANONYMISE, n_linked, "care_records"))
        lines.append(PlanLine("ledger", KEEP, ledger.count(), "financial", _iso(date(last_year + 8, 1, 1))))
    lines.append(PlanLine("survey_answers", NOT_LINKED, 0, "survey_responses"))
    log = AccessLogEntry.objects.filter(subject=person)
    newest = log.aggregate(t=Max("timestamp"))["t"]
    access = retention_class("access_log")
    lines.append(
        PlanLine(
            "access_log", KEEP, log.count(), "access_log", _iso(access.until(newest)) if newest else None
        )
    )
    if is_leaver(person):
        lines.append(PlanLine("person_record", ANONYMISE, 1, "leavers"))
    else:
        lines.append(PlanLine("person_record", KEEP, 1, "leavers"))
    work = len(rows_linked_to_user(person.user, "igm")) + len(rows_linked_to_user(person.user, "indicators"))
    lines.append(PlanLine("organisation_work", KEEP, work, "organisation_work"))
    decided = (request.decided_at if request and request.decided_at else timezone.now()).date()
    lines.append(
        PlanLine(
            "erasure_request",
            KEEP,
            1,
            "erasure_requests",
            _iso(retention_class("erasure_requests").until(decided)),
        )
    )
    blocked = []
    n_open = qs["open_requests"].count()
    if n_open:
        blocked.append(_("There is still a request for support in progress. Close or withdraw it first."))
    return Plan(lines=lines, blocked=blocked)


def erasure_file(*, person: Person, reason: str) -> ErasureRequest:
    if ErasureRequest.objects.filter(person=person, status=ErasureStatus.REQUESTED).exists():
        raise ValidationError(_("You already have a request waiting for a decision."))
    erasure = ErasureRequest(person=person, organisation_id=person.organisation_id, reason=reason.strip())
    erasure.full_clean()
    erasure.save()
    return erasure


def _lock(erasure: ErasureRequest) -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().select_related("person").get(pk=erasure.pk)
    if locked.status != ErasureStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    return locked


@transaction.atomic
def erasure_execute(*, erasure: ErasureRequest, handler: User, note: str = "") -> ErasureRequest:
    """Carry out the plan in one transaction; any failure leaves everything as it was."""
    erasure = _lock(erasure)
    person = erasure.person
    plan = plan_for(person)
    if not plan.can_execute:
        raise ValidationError([str(b) for b in plan.blocked])
    qs = _querysets(person)
    qs["health_checks"].delete()
    purge.delete_care_requests(list(qs["care_free"].values_list("pk", flat=True)))
    purge.strip_care_requests(list(qs["care_linked"].values_list("pk", flat=True)))
    qs["referrals"].delete()
    qs["enrolments"].delete()
    qs["invitations"].delete()
    now = timezone.now()
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        status=ErasureStatus.DONE,
        decided_by=handler,
        decided_at=now,
        decision_note=note.strip(),
        outcome=[line.as_dict() for line in plan.lines],
    )
    log_access(
        subject=person,
        action=AccessAction.DELETE,
        object_type="erasure_request",
        object_id=erasure.pk,
        description="erasure request carried out",
        user=handler,
    )
    if is_leaver(person):
        purge.anonymise_people([person.pk])
    erasure.refresh_from_db()
    return erasure


@transaction.atomic
def erasure_refuse(*, erasure: ErasureRequest, handler: User, note: str) -> ErasureRequest:
    if not note.strip():
        raise ValidationError({"decision_note": _("Explain why the request is refused.")})
    erasure = _lock(erasure)
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        status=ErasureStatus.REFUSED,
        decided_by=handler,
        decided_at=timezone.now(),
        decision_note=note.strip(),
    )
    log_access(
        subject=erasure.person,
        action=AccessAction.CHANGE,
        object_type="erasure_request",
        object_id=erasure.pk,
        description="erasure request refused",
        user=handler,
    )
    erasure.refresh_from_db()
    return erasure


def log_preview(*, erasure: ErasureRequest, handler: User) -> None:
    log_access(
        subject=erasure.person,
        action=AccessAction.VIEW,
        object_type="erasure_request",
        object_id=erasure.pk,
        description="erasure request previewed",
        user=handler,
    )


@dataclass
class ShownLine:
    """A plan line with its labels, for the pages."""

    what: Any
    outcome: str
    outcome_label: Any
    count: int
    retention_title: Any
    ground: Any
    until: date | None


def shown(lines: list[dict[str, Any]] | list[PlanLine]) -> list[ShownLine]:
    out = []
    for raw in lines:
        line = raw if isinstance(raw, dict) else raw.as_dict()
        rc = retention_class(line["retention"])
        out.append(
            ShownLine(
                what=WHAT_LABELS.get(line["what"], line["what"]),
                outcome=line["outcome"],
                outcome_label=OUTCOME_LABELS.get(line["outcome"], line["outcome"]),
                count=line["count"],
                retention_title=rc.title,
                ground=rc.ground,
                until=date.fromisoformat(line["until"]) if line.get("until") else None,
            )
        )
    return out

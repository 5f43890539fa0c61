"""Writes of the request workflow: referrals, care requests, delivery and evaluation.

Every status change goes through ``_transition``, which checks ``TRANSITIONS`` (the one
table of allowed moves), writes a RequestEvent and an access-log entry, and queues the
notification. Each service is keyword-only, checks who acts (the ``care.*`` permissions of
``vitaal.care.rules``), validates with ``full_clean()`` and runs in one transaction: a
refusal raises ValidationError with a translatable message and writes nothing.

Access-log descriptions are stable English codes (evidence; see ``LOG_*``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care import finance
from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    Intervention,
    Package,
    PackageItem,
    Provider,
    Referral,
    ReferralAnswer,
    RequestEvent,
    RequestRoute,
    RequestStatus,
    Verdict,
)
from vitaal.care.models.catalog import ROUTE_FIELDS
from vitaal.care.models.package import package_year
from vitaal.care.notifications import notify_referral, notify_request_event
from vitaal.care.rules import referrer_roles_for
from vitaal.core.audit import log_access
from vitaal.core.models import Person, User
from vitaal.core.models.audit import AccessAction

S = RequestStatus

# The status machine: from -> the statuses it may move to. "" is a request not yet saved.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.AWAITING_APPROVAL, S.APPROVED, S.WITHDRAWN}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.ASSIGNED, S.WITHDRAWN}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.DECLINED_BY_PROVIDER, S.WITHDRAWN}),
    S.DECLINED_BY_PROVIDER: frozenset({S.APPROVED, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

OBJECT_TYPE = "care_request"
LOG_CODES: dict[str, str] = {
    S.SUBMITTED: "care request submitted",
    S.AWAITING_APPROVAL: "care request awaiting approval",
    S.APPROVED: "care request approved",
    S.ASSIGNED: "care request assigned to a provider",
    S.IN_PROGRESS: "care request accepted by the provider",
    S.DECLINED_BY_PROVIDER: "care request declined by the provider",
    S.COMPLETED: "care request completed",
    S.REJECTED: "care request rejected",
    S.WITHDRAWN: "care request withdrawn",
}

NOT_ALLOWED = _("You are not allowed to do this.")
FORBIDDEN_TRANSITION = _("A request that is “%(from)s” cannot become “%(to)s”.")
NO_PACKAGE = _(
    "There is no published care package for %(year)s yet, so nothing can be requested or "
    "referred. Please try again once the sector has published it."
)
NOT_IN_PACKAGE = _("This intervention is not part of this year's care package.")
ROUTE_NOT_ALLOWED = _("This intervention cannot be reached through this route.")
NOT_A_REFERRER = _("You cannot refer this employee in this role.")
REASON_REQUIRED = _("Give a reason.")


class Outcome(models.TextChoices):
    """How a provider closes a request: what became of the support, in a word."""

    GOAL_REACHED = "goal_reached", _("Goal reached")
    PARTLY_REACHED = "partly_reached", _("Goal partly reached")
    REFERRED_ON = "referred_on", _("Referred on to other care")
    STOPPED_EARLY = "stopped_early", _("Stopped early")


def outcome_label(code: str) -> str:
    """The readable outcome of a completed request (its ``closed_reason`` holds the code)."""
    return str(dict(Outcome.choices).get(code, code))


def _refuse(message: Any, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _require(user: User, perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise _refuse(NOT_ALLOWED, "not_allowed")


def _lock(request: CareRequest) -> CareRequest:
    return CareRequest.objects.select_for_update().select_related("person", "intervention").get(pk=request.pk)


def package_item_for(intervention: Intervention, *, day: date | None = None) -> PackageItem:
    """The intervention's entry in its sector's published package of the current year;
    refused when there is no such package or the verdict is "out"."""
    year = package_year(day or timezone.localdate())
    package = Package.objects.published().filter(sector_id=intervention.sector_id, year=year).first()
    if package is None:
        raise _refuse(NO_PACKAGE % {"year": year}, "no_package")
    item = package.items.filter(intervention=intervention).first()
    if item is None or item.verdict not in (Verdict.IN, Verdict.DISCUSS) or not intervention.is_active:
        raise _refuse(NOT_IN_PACKAGE, "not_in_package")
    return item


def _check_person_and_intervention(person: Person, intervention: Intervention) -> None:
    if intervention.sector_id != person.organisation.sector_id:
        raise _refuse(NOT_IN_PACKAGE, "not_in_package")
    if not person.is_current:
        raise _refuse(_("Only current employees can request care."), "not_current")
    package_item_for(intervention)


def _transition(
    request: CareRequest,
    *,
    to: str,
    actor: User | None,
    reason: str = "",
    notify: bool = True,
) -> RequestEvent:
    """Move the request to ``to`` if the table allows it; record, log and notify."""
    current = "" if request._state.adding else request.status
    if to not in TRANSITIONS.get(current, frozenset()):
        labels = dict(RequestStatus.choices)
        raise _refuse(
            FORBIDDEN_TRANSITION % {"from": labels.get(current, "—"), "to": labels[to]},
            "forbidden_transition",
        )
    request.status = to
    request.full_clean()
    adding = request._state.adding
    request.save()
    event = RequestEvent(request=request, actor=actor, from_status=current, to_status=to, reason=reason)
    event.full_clean()
    event.save()
    log_access(
        subject=request.person,
        action=AccessAction.CREATE if adding else AccessAction.CHANGE,
        object_type=OBJECT_TYPE,
        object_id=request.pk,
        description=LOG_CODES[to],
        user=actor,
    )
    if notify:
        notify_request_event(request, event)
    return event


def _start(
    *,
    person: Person,
    intervention: Intervention,
    route: str,
    referral: Referral | None,
    description: str,
    actor: User,
) -> CareRequest:
    """Create a request and move it on: to approval when the intervention needs it,
    otherwise straight to approved."""
    _check_person_and_intervention(person, intervention)
    request = CareRequest(
        person=person,
        organisation_id=person.organisation_id,
        intervention=intervention,
        route=route,
        referral=referral,
        description=description,
    )
    _transition(request, to=S.SUBMITTED, actor=actor, notify=False)
    next_status = S.AWAITING_APPROVAL if intervention.approval_required else S.APPROVED
    if next_status == S.APPROVED:
        finance.check_ceiling_not_reached(request, timezone.localdate().year)
    _transition(request, to=next_status, actor=None)
    return request


# --- Referrals --------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    referrer: User,
    person: Person,
    intervention: Intervention,
    referrer_role: str,
    note: str = "",
) -> Referral:
    """A manager, HR advisor or company doctor refers an employee to an intervention."""
    if person.user_id is not None and person.user_id == referrer.pk:
        raise _refuse(_("You cannot refer yourself."), "self_referral")
    if referrer_role not in referrer_roles_for(referrer, person):
        raise _refuse(NOT_A_REFERRER, "not_allowed")
    if not getattr(intervention, ROUTE_FIELDS[referrer_role]):
        raise _refuse(ROUTE_NOT_ALLOWED, "route")
    _check_person_and_intervention(person, intervention)
    referral = Referral(
        person=person, intervention=intervention, referred_by=referrer, referrer_role=referrer_role, note=note
    )
    referral.full_clean()
    referral.save()
    log_access(
        subject=person,
        action=AccessAction.CREATE,
        object_type="referral",
        object_id=referral.pk,
        description="referral created",
        user=referrer,
    )
    notify_referral(referral)
    return referral


@transaction.atomic
def referral_answer(
    *, user: User, referral: Referral, accept: bool, description: str = ""
) -> CareRequest | None:
    """The employee accepts (a care request starts) or declines a referral made to them."""
    _require(user, "care.answer_referral", referral)
    locked = Referral.objects.select_for_update().select_related("person", "intervention").get(pk=referral.pk)
    if locked.answer != ReferralAnswer.OPEN:
        raise _refuse(_("This referral has already been answered."), "answered")
    locked.answer = ReferralAnswer.ACCEPTED if accept else ReferralAnswer.DECLINED
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save()
    referral.answer, referral.answered_at = locked.answer, locked.answered_at
    log_access(
        subject=locked.person,
        action=AccessAction.CHANGE,
        object_type="referral",
        object_id=locked.pk,
        description="referral answered",
        user=user,
    )
    if not accept:
        return None
    return _start(
        person=locked.person,
        intervention=locked.intervention,
        route=RequestRoute.REFERRAL,
        referral=locked,
        description=description,
        actor=user,
    )


# --- Care requests ----------------------------------------------------------------------


@transaction.atomic
def care_request_submit(
    *, user: User, person: Person, intervention: Intervention, description: str = ""
) -> CareRequest:
    """The employee asks for an intervention directly (the route must allow it)."""
    _require(user, "care.request_care", person)
    if not intervention.route_direct:
        raise _refuse(
            _("This intervention is available only after a referral, not by a direct request."), "route"
        )
    return _start(
        person=person,
        intervention=intervention,
        route=RequestRoute.DIRECT,
        referral=None,
        description=description,
        actor=user,
    )


@transaction.atomic
def care_request_approve(*, user: User, request: CareRequest) -> CareRequest:
    locked = _lock(request)
    _require(user, "care.approve_carerequest", locked)
    finance.check_ceiling_not_reached(locked, timezone.localdate().year)
    _transition(locked, to=S.APPROVED, actor=user)
    return locked


@transaction.atomic
def care_request_reject(*, user: User, request: CareRequest, reason: str) -> CareRequest:
    locked = _lock(request)
    _require(user, "care.approve_carerequest", locked)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    locked.closed_reason = reason.strip()
    _transition(locked, to=S.REJECTED, actor=user, reason=locked.closed_reason)
    finance.ledger_release_for_request(request=locked, note="rejected")
    return locked


def _person_region(person: Person) -> str | None:
    """The province code where the employee works, when the records say so (not yet:
    neither Person nor Organisation has a location, so the region check is skipped)."""
    for holder in (person, person.organisation):
        region = getattr(holder, "region_code", None)
        if region:
            return str(region)
    return None


@transaction.atomic
def care_request_assign(*, user: User, request: CareRequest, provider: Provider) -> CareRequest:
    """The care coordinator assigns an approved request to a provider."""
    locked = _lock(request)
    _require(user, "care.assign_carerequest", locked)
    if (
        not provider.is_active
        or provider.sector_id != locked.organisation.sector_id
        or provider.added_by_organisation_id not in (None, locked.organisation_id)
        or not provider.interventions.filter(pk=locked.intervention_id).exists()
    ):
        raise ValidationError({"provider": _("This provider does not offer this intervention.")})
    region = _person_region(locked.person)
    if region is not None and not provider.regions.filter(code=region).exists():
        raise ValidationError({"provider": _("This provider does not work in the employee's region.")})
    locked.provider = provider
    _transition(locked, to=S.ASSIGNED, actor=user)
    return locked


@transaction.atomic
def care_request_provider_accept(
    *, user: User, request: CareRequest, sessions_planned: int | None = None
) -> CareRequest:
    locked = _lock(request)
    _require(user, "care.deliver_carerequest", locked)
    locked.sessions_planned = sessions_planned
    _transition(locked, to=S.IN_PROGRESS, actor=user)
    # The plan is firm once the provider accepts: commit tariff × sessions, capped at
    # what is left of the ceiling (refused, and nothing written, when none is left).
    finance.ledger_commit_for_request(request=locked)
    return locked


@transaction.atomic
def care_request_provider_decline(*, user: User, request: CareRequest, reason: str = "") -> CareRequest:
    """The provider cannot take the request: it goes back to the coordinator to reassign."""
    locked = _lock(request)
    _require(user, "care.deliver_carerequest", locked)
    if locked.status != S.ASSIGNED:
        raise _refuse(
            FORBIDDEN_TRANSITION % {"from": locked.get_status_display(), "to": S.DECLINED_BY_PROVIDER.label},
            "forbidden_transition",
        )
    _transition(locked, to=S.DECLINED_BY_PROVIDER, actor=user, reason=reason, notify=False)
    locked.provider = None
    locked.sessions_planned = None
    _transition(locked, to=S.APPROVED, actor=None)
    return locked


@transaction.atomic
def care_request_withdraw(*, user: User, request: CareRequest, reason: str = "") -> CareRequest:
    """The employee withdraws their request, at any time before it is completed."""
    locked = _lock(request)
    _require(user, "care.withdraw_carerequest", locked)
    locked.closed_reason = reason.strip()
    _transition(locked, to=S.WITHDRAWN, actor=user, reason=locked.closed_reason)
    finance.ledger_release_for_request(request=locked, note="withdrawn")
    return locked


@transaction.atomic
def care_request_complete(*, user: User, request: CareRequest, outcome: str = "") -> CareRequest:
    """Close a request in progress, with an outcome (one of ``Outcome``); what is still
    committed and not spent is released."""
    locked = _lock(request)
    _require(user, "care.complete_carerequest", locked)
    if outcome and outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    locked.closed_reason = outcome
    _transition(locked, to=S.COMPLETED, actor=user, reason=outcome)
    finance.ledger_release_for_request(request=locked, note="completed")
    return locked


# --- Delivery and evaluation ------------------------------------------------------------


def year_cost(*, person: Person, intervention: Intervention, year: int) -> Decimal:
    """What the package paid for this intervention for this person in a calendar year."""
    total = DeliverySession.objects.filter(
        request__person=person, request__intervention=intervention, date__year=year
    ).aggregate(total=Sum("cost"))["total"]
    return total or Decimal("0")


@transaction.atomic
def delivery_session_register(
    *,
    user: User,
    request: CareRequest,
    date: date,
    duration_minutes: int,
    cost: Decimal,
    note: str = "",
) -> DeliverySession:
    """The assigned provider records one delivered session and its cost."""
    locked = _lock(request)
    _require(user, "care.deliver_carerequest", locked)
    if locked.status != S.IN_PROGRESS:
        raise _refuse(_("Sessions can be registered only while the request is in progress."), "status")
    # Lock every request of this person for this intervention, so that two providers
    # registering at once cannot both pass the ceiling check.
    list(
        CareRequest.objects.select_for_update()
        .filter(person_id=locked.person_id, intervention_id=locked.intervention_id)
        .values_list("pk", flat=True)
    )
    intervention = locked.intervention
    if intervention.max_sessions is not None and locked.sessions.count() >= intervention.max_sessions:
        raise _refuse(
            _("The maximum of %(max)d sessions for this intervention has been reached.")
            % {"max": intervention.max_sessions},
            "max_sessions",
        )
    if intervention.ceiling is not None:
        spent = year_cost(person=locked.person, intervention=intervention, year=date.year)
        if spent + cost > intervention.ceiling:
            raise _refuse(
                _(
                    "This session would bring the cost for this employee in %(year)d to more than "
                    "the ceiling of EUR %(ceiling)s (already spent: EUR %(spent)s)."
                )
                % {"year": date.year, "ceiling": intervention.ceiling, "spent": spent},
                "ceiling",
            )
    assert locked.provider is not None  # an in-progress request always has one
    session = DeliverySession(
        request=locked,
        provider=locked.provider,
        date=date,
        duration_minutes=duration_minutes,
        cost=cost,
        note=note,
        registered_by=user,
    )
    session.full_clean()
    session.save()
    finance.ledger_actual_for_session(session=session)
    log_access(
        subject=locked.person,
        action=AccessAction.CREATE,
        object_type="delivery_session",
        object_id=session.pk,
        description="delivery session registered",
        user=user,
    )
    return session


@transaction.atomic
def evaluation_submit(
    *, user: User, request: CareRequest, helped: str, grade: int, comment: str = ""
) -> Evaluation:
    """The employee evaluates their own completed request, once."""
    locked = _lock(request)
    _require(user, "care.evaluate_carerequest", locked)
    if locked.status != S.COMPLETED:
        raise _refuse(_("A request can be evaluated only after it has been completed."), "status")
    if Evaluation.objects.filter(request=locked).exists():
        raise _refuse(_("This request has already been evaluated."), "evaluated")
    evaluation = Evaluation(request=locked, helped=helped, grade=grade, comment=comment)
    evaluation.full_clean()
    evaluation.save()
    return evaluation

"""Services and scoping of collective activities (workshops, group sessions).

- Created by the care coordinator (any organisation of their sector, or the sector) or by
  a provider's staff (the activity is then run by their provider).
- Employees of the organisation (or of the sector, for a sector-wide activity) enrol and
  unenrol until the deadline, while places are left.
- ``decide_collective_activities()`` runs periodically: after the deadline, an activity
  with enough participants goes ahead, otherwise it is cancelled; participants get an
  e-mail without details (see ``notifications``).

Conventions as in ``vitaal.care.workflow``: keyword-only, checked, atomic, and a refusal
raises ValidationError with a translatable message and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care.models import ActivityStatus, CollectiveActivity, Enrolment, Intervention, Provider
from vitaal.care.notifications import notify_activity_decided
from vitaal.core.access import get_actor
from vitaal.core.audit import log_access_many
from vitaal.core.models import Organisation, Person, Sector, User
from vitaal.core.models.audit import AccessAction
from vitaal.core.roles import Role

QS = TypeVar("QS", bound=models.QuerySet[Any])

NOT_ALLOWED = _("You are not allowed to do this.")
CLOSED = _("Enrolment for this activity has closed.")
FULL = _("This activity is full.")
NOT_ENROLLED = _("You are not enrolled for this activity.")


def _refuse(message: Any, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


PROVIDER_IDS_CACHE = "_vitaal_provider_ids"


def provider_ids_of(user: Any) -> set[int]:
    """The providers this user works for (with the provider role in their sector).
    Kept with the user's cached Actor (and dropped with it by ``forget_actor``): a page
    asks for it several times (the view and the navigation)."""
    from vitaal.care.models import ProviderMember

    actor = get_actor(user)
    cached: frozenset[int] | None = getattr(actor, PROVIDER_IDS_CACHE, None)
    if cached is not None:
        return set(cached)
    sectors = actor.sectors_for([Role.PROVIDER])
    ids: set[int] = set()
    if sectors:
        ids = set(
            ProviderMember.objects.filter(user_id=user.pk, provider__sector_id__in=sectors).values_list(
                "provider_id", flat=True
            )
        )
    if actor.is_authenticated:
        setattr(actor, PROVIDER_IDS_CACHE, frozenset(ids))
    return ids


def scope_activities(qs: QS, user: Any) -> QS:
    """Employees: activities of their organisation and their sector's open ones. The care
    coordinator: the sector's. Provider staff: those their provider runs."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    person = actor.person
    if person is not None and person.is_current:
        q |= Q(sector_id=person.organisation.sector_id) & (
            Q(organisation__isnull=True) | Q(organisation_id=person.organisation_id)
        )
    coordinator_of = actor.sectors_for([Role.CARE_COORDINATOR])
    if coordinator_of:
        q |= Q(sector_id__in=coordinator_of)
    providers = provider_ids_of(user)
    if providers:
        q |= Q(provider_id__in=providers)
    return qs.filter(q)


def can_manage(user: Any, activity: CollectiveActivity) -> bool:
    """The care coordinator of the sector, or staff of the provider running it."""
    actor = get_actor(user)
    if activity.sector_id in actor.sectors_for([Role.CARE_COORDINATOR]):
        return True
    return activity.provider_id is not None and activity.provider_id in provider_ids_of(user)


def can_create(user: Any) -> bool:
    actor = get_actor(user)
    return bool(actor.sectors_for([Role.CARE_COORDINATOR])) or bool(provider_ids_of(user))


def enrolling_person(user: Any, activity: CollectiveActivity) -> Person | None:
    """The user's own employee record, when they may enrol for this activity."""
    person = get_actor(user).person
    if person is None or not person.is_current:
        return None
    if person.organisation.sector_id != activity.sector_id:
        return None
    if activity.organisation_id not in (None, person.organisation_id):
        return None
    return person


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    starts_at: datetime
    enrolment_deadline: datetime
    capacity: int
    min_participants: int
    description: str = ""
    location: str = ""
    organisation: Organisation | None = None
    intervention: Intervention | None = None
    provider: Provider | None = None


@transaction.atomic
def activity_create(*, user: User, sector: Sector, spec: ActivitySpec) -> CollectiveActivity:
    """The care coordinator or a provider's staff plans an activity. A provider's staff
    always plan for their own provider."""
    actor = get_actor(user)
    provider = spec.provider
    is_coordinator = sector.pk in actor.sectors_for([Role.CARE_COORDINATOR])
    own_providers = provider_ids_of(user)
    if not is_coordinator:
        if provider is None and len(own_providers) == 1:
            provider = Provider.objects.get(pk=next(iter(own_providers)))
        if provider is None or provider.pk not in own_providers:
            raise _refuse(NOT_ALLOWED, "not_allowed")
    if spec.intervention is not None and not spec.intervention.collective:
        raise ValidationError({"intervention": _("Choose an intervention for groups.")})
    if spec.enrolment_deadline <= timezone.now():
        raise ValidationError({"enrolment_deadline": _("The enrolment deadline must lie in the future.")})
    activity = CollectiveActivity(
        sector=sector,
        organisation=spec.organisation,
        intervention=spec.intervention,
        provider=provider,
        title=spec.title,
        description=spec.description,
        location=spec.location,
        starts_at=spec.starts_at,
        enrolment_deadline=spec.enrolment_deadline,
        capacity=spec.capacity,
        min_participants=spec.min_participants,
        created_by=user,
    )
    activity.full_clean()
    activity.save()
    return activity


def _lock(activity: CollectiveActivity) -> CollectiveActivity:
    return CollectiveActivity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def enrol(*, user: User, activity: CollectiveActivity) -> Enrolment:
    """The employee takes a place, while enrolment is open and places are left."""
    locked = _lock(activity)
    person = enrolling_person(user, locked)
    if person is None:
        raise _refuse(NOT_ALLOWED, "not_allowed")
    if not locked.is_open:
        raise _refuse(CLOSED, "closed")
    if Enrolment.objects.filter(activity=locked, person=person).exists():
        raise _refuse(_("You are already enrolled."), "enrolled")
    if locked.enrolments.count() >= locked.capacity:
        raise _refuse(FULL, "full")
    enrolment = Enrolment(activity=locked, person=person)
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def unenrol(*, user: User, activity: CollectiveActivity) -> None:
    """The employee gives their place back, until the deadline."""
    locked = _lock(activity)
    person = enrolling_person(user, locked)
    if person is None:
        raise _refuse(NOT_ALLOWED, "not_allowed")
    if not locked.is_open:
        raise _refuse(CLOSED, "closed")
    deleted, _rows = Enrolment.objects.filter(activity=locked, person=person).delete()
    if not deleted:
        raise _refuse(NOT_ENROLLED, "not_enrolled")


def participants(user: Any, activity: CollectiveActivity) -> list[Person]:
    """Who enrolled, for the coordinator or the provider running it; each read logged."""
    if not can_manage(user, activity):
        raise _refuse(NOT_ALLOWED, "not_allowed")
    people = [e.person for e in activity.enrolments.select_related("person", "person__organisation")]
    log_access_many(
        subjects=people,
        action=AccessAction.VIEW,
        object_type="collective_enrolment",
        description="collective activity participants",
        user=user,
    )
    return people


def with_counts(qs: models.QuerySet[CollectiveActivity]) -> models.QuerySet[CollectiveActivity]:
    return qs.annotate(enrolled=Count("enrolments", distinct=True))


@dataclass(frozen=True)
class Decision:
    activity_id: int
    status: str
    participants: int


def decide_collective_activities(*, now: datetime | None = None) -> list[Decision]:
    """Background task: decide go/no-go for every open activity whose enrolment deadline
    has passed, and tell the participants. Each activity in its own transaction, so one
    failure does not undo the others; running it twice decides nothing twice."""
    moment = now or timezone.now()
    due = list(
        CollectiveActivity.objects.filter(status=ActivityStatus.OPEN, enrolment_deadline__lt=moment)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    decisions: list[Decision] = []
    for pk in due:
        with transaction.atomic():
            activity = CollectiveActivity.objects.select_for_update().get(pk=pk)
            if activity.status != ActivityStatus.OPEN:
                continue
            people = [e.person for e in activity.enrolments.select_related("person", "person__user")]
            go = len(people) >= activity.min_participants
            activity.status = ActivityStatus.GO if go else ActivityStatus.CANCELLED
            activity.decided_at = moment
            activity.full_clean()
            activity.save(update_fields=["status", "decided_at"])
            notify_activity_decided(activity, people)
            decisions.append(Decision(activity_id=pk, status=activity.status, participants=len(people)))
    return decisions

"""Reads of the employee portal. Everything here is the employee's own: requests,
referrals and health checks are read through ``visible_to`` and then narrowed to the
employee's own person, so a care coordinator or company doctor who also has a person
record still sees only their own things in the portal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from vitaal.care.models import (
    CareRequest,
    HealthCheck,
    Intervention,
    Package,
    PackageItem,
    Referral,
    ReferralAnswer,
    RequestStatus,
    Verdict,
)
from vitaal.care.models.package import package_year
from vitaal.core.access import get_actor
from vitaal.core.models import Person


def portal_person(user: Any) -> Person:
    """The user's current person record; 403 for anyone who is not a current employee."""
    actor = get_actor(user)
    person = actor.person
    if person is None or not person.is_current:
        raise PermissionDenied
    return person


def owner_person(user: Any) -> Person:
    """For pages about one own object (a request, a referral, a health check): anyone who
    is not a current employee gets 404 like everybody else who does not own it, because
    whether such an object exists is health data too."""
    person = get_actor(user).person
    if person is None or not person.is_current:
        raise Http404
    return person


def current_package(person: Person) -> Package | None:
    """The published package of the person's sector for the current package (academic)
    year, the one the request workflow checks against."""
    return (
        Package.objects.published()
        .filter(sector_id=person.organisation.sector_id, year=package_year(timezone.localdate()))
        .first()
    )


def package_items(package: Package | None) -> list[PackageItem]:
    """All items of the package with their interventions, in one query."""
    if package is None:
        return []
    return list(
        package.items.select_related("intervention")
        .filter(intervention__is_active=True)
        .order_by("intervention__theme", "intervention__name_nl")
    )


def offered_items(package: Package | None) -> list[PackageItem]:
    """What employees can get this year: items in (+) or under discussion (+/−)."""
    return [i for i in package_items(package) if i.verdict in (Verdict.IN, Verdict.DISCUSS)]


def portal_intervention(user: Any, person: Person, pk: int) -> Intervention:
    """An active catalog entry of the employee's sector, else 404."""
    intervention = (
        Intervention.objects.visible_to(user)
        .filter(pk=pk, sector_id=person.organisation.sector_id, is_active=True)
        .first()
    )
    if intervention is None:
        raise Http404
    return intervention


def package_item_of(package: Package | None, intervention: Intervention) -> PackageItem | None:
    if package is None:
        return None
    return package.items.filter(intervention=intervention).first()


# --- Own requests, referrals and checks --------------------------------------------------


def own_requests(user: Any, person: Person) -> QuerySet[CareRequest]:
    return (
        CareRequest.objects.visible_to(user)
        .filter(person=person)
        .select_related("intervention", "referral", "evaluation")
        .order_by("-created_at", "-pk")
    )


def own_request(user: Any, person: Person, pk: int) -> CareRequest:
    """One of the employee's own requests with its timeline; 404 for anything else
    (whether a request exists is health data too)."""
    request = (
        own_requests(user, person)
        .select_related("provider")
        .prefetch_related(Prefetch("events"), Prefetch("sessions"))
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def own_referrals(user: Any, person: Person) -> QuerySet[Referral]:
    return (
        Referral.objects.visible_to(user)
        .filter(person=person)
        .select_related("intervention")
        .order_by("-created_at", "-pk")
    )


def own_referral(user: Any, person: Person, pk: int) -> Referral:
    referral = own_referrals(user, person).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def own_health_checks(user: Any, person: Person) -> QuerySet[HealthCheck]:
    return HealthCheck.objects.visible_to(user).filter(person=person)


def own_health_check(user: Any, person: Person, pk: int) -> HealthCheck:
    check = own_health_checks(user, person).filter(pk=pk).first()
    if check is None:
        raise Http404
    return check


@dataclass
class PortalSummary:
    """What the portal home and the start-page section show."""

    open_referrals: list[Referral] = field(default_factory=list)
    requests: list[CareRequest] = field(default_factory=list)
    evaluations_due: list[CareRequest] = field(default_factory=list)

    @property
    def open_requests(self) -> list[CareRequest]:
        return [r for r in self.requests if not r.is_closed]


def portal_summary(user: Any, person: Person) -> PortalSummary:
    """Open referrals, own requests and evaluations due, in a fixed number of queries."""
    requests = list(own_requests(user, person))
    due = [r for r in requests if r.status == RequestStatus.COMPLETED and not hasattr_evaluation(r)]
    referrals = list(own_referrals(user, person).filter(answer=ReferralAnswer.OPEN))
    return PortalSummary(open_referrals=referrals, requests=requests, evaluations_due=due)


def hasattr_evaluation(request: CareRequest) -> bool:
    """Whether the request has an evaluation (the reverse one-to-one raises when absent)."""
    try:
        return request.evaluation is not None
    except CareRequest.evaluation.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False

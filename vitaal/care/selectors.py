"""Reads of the request workflow. Every read of someone else's request or referral is
written to the access log (DESIGN rule 4); what a referrer gets back is a whitelist of
fields, never the answer or anything after it (DESIGN rule 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404

from vitaal.care.models import CareRequest, Referral
from vitaal.core.audit import log_access, log_access_many
from vitaal.core.models.audit import AccessAction
from vitaal.core.roles import Role


@dataclass(frozen=True)
class ReferralMade:
    """What a referrer may know about a referral they made: who, what, when, their note.
    Deliberately no answer, no request, no status."""

    id: int
    person_id: int
    person_name: str
    intervention_id: int
    intervention_name: str
    referrer_role: str
    created_at: datetime
    note: str


# The only Referral fields a referrer's query reads; the answer is not among them.
REFERRAL_MADE_FIELDS = (
    "pk",
    "person_id",
    "person__first_name",
    "person__last_name",
    "intervention_id",
    "intervention__name_nl",
    "intervention__name_en",
    "referrer_role",
    "created_at",
    "note",
)


def referrals_made_by(user: Any) -> list[ReferralMade]:
    """The referrals this user made, newest first, without what became of them."""
    from vitaal.care.models.bilingual import pick

    if not getattr(user, "is_authenticated", False):
        return []
    rows = Referral.objects.filter(referred_by_id=user.pk).order_by("-created_at", "-pk")
    return [
        ReferralMade(
            id=r["pk"],
            person_id=r["person_id"],
            person_name=f"{r['person__first_name']} {r['person__last_name']}".strip(),
            intervention_id=r["intervention_id"],
            intervention_name=pick(r["intervention__name_nl"], r["intervention__name_en"]),
            referrer_role=r["referrer_role"],
            created_at=r["created_at"],
            note=r["note"],
        )
        for r in rows.values(*REFERRAL_MADE_FIELDS)
    ]


def referrals_for(user: Any) -> list[Referral]:
    """Referrals this user may read with their answer (their own; the care coordinator's
    sector), logged when they concern someone else."""
    referrals = list(Referral.objects.visible_to(user).select_related("person", "intervention"))
    log_access_many(
        subjects=[r.person for r in referrals],
        action=AccessAction.VIEW,
        object_type="referral",
        description="referral list",
        user=user,
    )
    return referrals


def care_request_list(user: Any) -> list[CareRequest]:
    """The requests this user may see, each read written to the log."""
    requests = list(
        CareRequest.objects.visible_to(user).select_related("person", "intervention", "provider", "referral")
    )
    log_access_many(
        subjects=[r.person for r in requests],
        action=AccessAction.VIEW,
        object_type="care_request",
        description="care request list",
        user=user,
    )
    return requests


def care_request_get(user: Any, pk: int) -> CareRequest:
    """One request, or 404 when it is outside the user's view (existence is health data
    too, so never 403)."""
    request = (
        CareRequest.objects.visible_to(user)
        .select_related("person", "intervention", "provider", "referral")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    log_access(
        subject=request.person,
        action=AccessAction.VIEW,
        object_type="care_request",
        object_id=request.pk,
        description="care request opened",
        user=user,
    )
    return request


@dataclass(frozen=True)
class ReferredRequestStatus:
    """For the company doctor: where a request that followed their referral stands."""

    referral_id: int
    request_id: int
    person_id: int
    status: str


def referred_request_statuses(user: Any) -> list[ReferredRequestStatus]:
    """The status of requests that followed this company doctor's own referrals. Other
    referrers (manager, HR) get nothing here: they know they referred, nothing after."""
    from vitaal.core.access import get_actor

    actor = get_actor(user)
    doctor_of = actor.orgs_for([Role.COMPANY_DOCTOR])
    if not doctor_of:
        return []
    rows = list(
        CareRequest.objects.visible_to(user)
        .filter(referral__referred_by_id=user.pk, organisation_id__in=doctor_of)
        .select_related("person")
    )
    log_access_many(
        subjects=[r.person for r in rows],
        action=AccessAction.VIEW,
        object_type="care_request",
        description="referred request status",
        user=user,
    )
    return [
        ReferredRequestStatus(
            referral_id=r.referral_id or 0, request_id=r.pk, person_id=r.person_id, status=r.status
        )
        for r in rows
    ]

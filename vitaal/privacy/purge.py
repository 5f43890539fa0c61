"""The removal and anonymisation steps shared by the retention job and the erasure
workflow. Append-only models (the access log, a request's history, the ledger) refuse
change through their own managers; the steps here go around those guards on purpose,
through a plain QuerySet, because a legal retention period ending is the one reason such
rows may change. Callers run them inside ``transaction.atomic()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from vitaal.core.models import AccessLogEntry, Membership, Person, User
from vitaal.core.models.people import Gender

BATCH_SIZE = 500
ANON_PREFIX = "anon-"
ANON_NAME = "[anonymised]"


def plain(model: type[models.Model]) -> models.QuerySet[Any]:
    """A queryset without the append-only guards of the model's own manager."""
    return models.QuerySet(model=model)


def id_batches(queryset: models.QuerySet[Any], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """Primary keys in ascending batches (keyset paging, so rows changed by an earlier
    batch never make a later one skip or repeat)."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


# --- care ----------------------------------------------------------------------------


def care_requests_needing_strip(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Requests that still hold text or an evaluation (so stripping again counts nothing)."""
    from vitaal.care.models import DeliverySession, Evaluation, Referral, RequestEvent

    return queryset.filter(
        Q(description__gt="")
        | Q(closed_reason__gt="")
        | Exists(Evaluation.objects.filter(request=OuterRef("pk")))
        | Exists(DeliverySession.objects.filter(request=OuterRef("pk"), note__gt=""))
        | Exists(plain(RequestEvent).filter(request=OuterRef("pk"), reason__gt=""))
        | Exists(Referral.objects.filter(care_request=OuterRef("pk"), note__gt=""))
    )


def care_requests_with_ledger(queryset: models.QuerySet[Any], linked: bool) -> models.QuerySet[Any]:
    from vitaal.care.models import LedgerEntry

    has = Exists(plain(LedgerEntry).filter(care_request=OuterRef("pk")))
    return queryset.filter(has) if linked else queryset.filter(~has)


def strip_care_requests(ids: list[int]) -> None:
    """Keep the skeleton the ledger points at; remove every text and the evaluation."""
    from vitaal.care.models import CareRequest, DeliverySession, Evaluation, Referral, RequestEvent

    CareRequest.objects.filter(pk__in=ids).update(description="", closed_reason="")
    Evaluation.objects.filter(request_id__in=ids).delete()
    DeliverySession.objects.filter(request_id__in=ids).update(note="")
    plain(RequestEvent).filter(request_id__in=ids).update(reason="")
    Referral.objects.filter(care_request__in=ids).update(note="")


def delete_care_requests(ids: list[int]) -> None:
    """Remove requests no ledger entry points at, with their history, sessions, evaluation
    and the referral that started them."""
    from vitaal.care.models import CareRequest, DeliverySession, Evaluation, Referral, RequestEvent

    referral_ids = list(
        CareRequest.objects.filter(pk__in=ids, referral__isnull=False).values_list("referral_id", flat=True)
    )
    Evaluation.objects.filter(request_id__in=ids).delete()
    DeliverySession.objects.filter(request_id__in=ids).delete()
    plain(RequestEvent).filter(request_id__in=ids).delete()
    CareRequest.objects.filter(pk__in=ids).delete()
    Referral.objects.filter(pk__in=referral_ids).delete()


def unlink_ledger(ids: list[int]) -> None:
    from vitaal.care.models import LedgerEntry

    plain(LedgerEntry).filter(pk__in=ids).update(care_request=None, session=None)


# --- people and logins -----------------------------------------------------------------


def people_not_anonymised(queryset: models.QuerySet[Person]) -> models.QuerySet[Person]:
    return queryset.exclude(employee_number__startswith=ANON_PREFIX)


def anonymise_people(ids: list[int]) -> None:
    """Blank what identifies each person, keep what the figures of the past need
    (organisation, unit, function group, employment dates), and close their logins."""
    people = list(Person.objects.filter(pk__in=ids).only("pk", "user_id", "organisation_id"))
    now = timezone.now()
    for person in people:
        Person.objects.filter(pk=person.pk).update(
            employee_number=f"{ANON_PREFIX}{person.pk}",
            first_name="",
            last_name=ANON_NAME,
            email="",
            gender=Gender.UNKNOWN,
            birth_year=None,
            weekly_hours=None,
            user=None,
            updated_at=now,
        )
    logins = {p.user_id: p.organisation_id for p in people if p.user_id}
    close_logins(logins)


def close_logins(logins: dict[int, int]) -> None:
    """Anonymise and deactivate login accounts (user id → the organisation of the person
    they belonged to). An account that still holds a role elsewhere only loses its link."""
    if not logins:
        return
    elsewhere = set(
        Membership.objects.active()
        .filter(user_id__in=logins)
        .exclude(organisation_id__isnull=False, organisation_id__in=set(logins.values()))
        .values_list("user_id", flat=True)
    )
    closing = [uid for uid in logins if uid not in elsewhere]
    if not closing:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    from vitaal.api.models import ApiToken
    from vitaal.core.models import UserSession

    keys = list(UserSession.objects.filter(user_id__in=closing).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user_id__in=closing).delete()
    Membership.objects.filter(user_id__in=closing).delete()
    ApiToken.objects.filter(user_id__in=closing).delete()
    Authenticator.objects.filter(user_id__in=closing).delete()
    EmailAddress.objects.filter(user_id__in=closing).delete()
    for uid in closing:
        User.objects.filter(pk=uid).update(
            email=f"{ANON_PREFIX}{uid}@invalid.invalid",
            first_name="",
            last_name="",
            preferred_language="",
            is_active=False,
            is_staff=False,
            is_superuser=False,
            password=make_password(None),
        )


# --- the access log --------------------------------------------------------------------


def delete_access_log(ids: list[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove access-log entries past their period, through ``using`` -- on PostgreSQL the
    purge role's connection, the only role the grants and the trigger let delete
    (vitaal.core.dbroles)."""
    plain(AccessLogEntry).using(using).filter(pk__in=ids).delete()

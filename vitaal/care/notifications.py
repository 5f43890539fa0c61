"""E-mail about referrals and care requests.

Mail leaves our hands (mail servers, shared inboxes, phones on the kitchen table), so it
carries no health data at all: no intervention, no description, no status, no name of the
employee. It only says that there is news and asks the reader to log in (DESIGN rule 1).
Messages are sent after the transaction commits, so a refused write sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vitaal.core.models import Membership, User
from vitaal.core.roles import Role

# What each recipient is told; the same words whatever happened.
FOR_EMPLOYEE = "employee"
FOR_STAFF = "staff"


def _texts(kind: str) -> tuple[str, str]:
    if kind == FOR_EMPLOYEE:
        return (
            _("News about your request"),
            _("There is news about your request. Log in to vitaal to see it."),
        )
    return (
        _("A request is waiting for you"),
        _("A request in vitaal is waiting for you. Log in to vitaal to see it."),
    )


def _send(recipients: list[tuple[str, str, str]]) -> None:
    for address, language, kind in recipients:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body = _texts(kind)
            send_mail(subject, body, None, [address], fail_silently=True)


def _queue(recipients: Iterable[tuple[str, str, str]]) -> None:
    unique = sorted({r for r in recipients if r[0]})
    if unique:
        transaction.on_commit(lambda: _send(unique))


def _address_of(user: User | None, kind: str) -> tuple[str, str, str]:
    if user is None or not user.is_active:
        return ("", "", kind)
    return (user.email, user.preferred_language, kind)


def _employee(person: Any) -> tuple[str, str, str]:
    user = person.user if person.user_id else None
    if user is not None:
        return _address_of(user, FOR_EMPLOYEE)
    return (person.email, "", FOR_EMPLOYEE)


def _role_holders(*, role: str, sector_id: int, organisation_id: int | None = None) -> list[User]:
    memberships = Membership.objects.active().filter(role=role, sector_id=sector_id)
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True))


def notify_request_event(request: Any, event: Any) -> None:
    """Tell the people who have to act, or whose request it is, that something changed."""
    from vitaal.care.models import ProviderMember, RequestStatus

    to = event.to_status
    sector_id = request.organisation.sector_id
    recipients: list[tuple[str, str, str]] = []
    if request.person.user_id is None or event.actor_id != request.person.user_id:
        recipients.append(_employee(request.person))
    if to == RequestStatus.AWAITING_APPROVAL:
        if request.intervention.approver == "company_doctor":
            approvers = _role_holders(
                role=Role.COMPANY_DOCTOR, sector_id=sector_id, organisation_id=request.organisation_id
            )
        else:
            approvers = _role_holders(role=Role.CARE_COORDINATOR, sector_id=sector_id)
        recipients += [_address_of(u, FOR_STAFF) for u in approvers]
    elif to == RequestStatus.APPROVED:
        # Waiting for the coordinator to choose a provider.
        coordinators = _role_holders(role=Role.CARE_COORDINATOR, sector_id=sector_id)
        recipients += [_address_of(u, FOR_STAFF) for u in coordinators]
    elif to in (RequestStatus.ASSIGNED, RequestStatus.WITHDRAWN) and request.provider_id:
        members = ProviderMember.objects.filter(provider_id=request.provider_id).select_related("user")
        recipients += [_address_of(m.user, FOR_STAFF) for m in members]
    _queue(recipients)


def notify_referral(referral: Any) -> None:
    """Tell the employee a referral waits for their answer (nothing about what it is)."""
    _queue([_employee(referral.person)])


def _activity_texts() -> tuple[str, str]:
    return (
        _("News about an activity you enrolled for"),
        _("There is news about a group activity you enrolled for. Log in to vitaal to see it."),
    )


def notify_activity_decided(activity: Any, people: Iterable[Any]) -> None:
    """Tell participants that the go/no-go for an activity is known (the mail does not
    say which activity: its title may say something about their health)."""
    recipients = sorted({_employee(p) for p in people if _employee(p)[0]})
    if not recipients:
        return

    def send() -> None:
        for address, language, _kind in recipients:
            with translation.override(language or settings.LANGUAGE_CODE):
                subject, body = _activity_texts()
                send_mail(subject, body, None, [address], fail_silently=True)

    transaction.on_commit(send)

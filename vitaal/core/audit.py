"""Writing the access log. Services and selectors call ``log_access``; the request
context (who, from where, on whose behalf) comes from RequestContextMiddleware."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vitaal.core.access import access_basis
from vitaal.core.models import AccessLogEntry, Person
from vitaal.core.models.audit import LOG_OBJECT_TYPE, AccessAction, data_class_for


@dataclass(frozen=True)
class RequestContext:
    user: Any
    ip_address: str | None
    channel: str = "web"
    on_behalf_of: str = ""


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "vitaal_request_context", default=None
)


def set_context(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    return _context.set(ctx)


def reset_context(token: contextvars.Token[RequestContext | None]) -> None:
    _context.reset(token)


def current_context() -> RequestContext | None:
    return _context.get()


def _actor_label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return f"{user.get_full_name() or user.email} <{user.email}>"


def _entry(
    *,
    user: Any,
    subject: Person | None,
    action: str,
    object_type: str,
    object_id: Any,
    description: str,
    basis: str | None,
    organisation_id: int | None,
    data_class: str | None = None,
) -> AccessLogEntry:
    ctx = current_context()
    if user is None and ctx is not None:
        user = ctx.user
    if organisation_id is None and subject is not None:
        organisation_id = subject.organisation_id
    real_user = user if getattr(user, "is_authenticated", False) else None
    basis = basis or (access_basis(real_user, organisation_id) if real_user else "system")
    return AccessLogEntry(
        actor=real_user,
        actor_label=_actor_label(real_user),
        on_behalf_of=ctx.on_behalf_of if ctx else "",
        subject=subject,
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        description=description[:300],
        basis=basis,
        channel=ctx.channel if ctx else "system",
        ip_address=ctx.ip_address if ctx else None,
        data_class=data_class or data_class_for(object_type, basis),
    )


def _is_self(user: Any, subject: Person | None) -> bool:
    return (
        subject is not None
        and user is not None
        and getattr(user, "is_authenticated", False)
        and subject.user_id == user.pk
    )


def log_access(
    *,
    subject: Person | None,
    action: str,
    object_type: str,
    object_id: Any = None,
    description: str = "",
    user: Any = None,
    basis: str | None = None,
    organisation_id: int | None = None,
    data_class: str | None = None,
) -> AccessLogEntry | None:
    """Record one access to personal data. A person looking at their own data is not
    logged: the log is about others reaching it. ``data_class`` (who may read the entry)
    follows from ``object_type`` and the basis unless given."""
    if user is None:
        ctx = current_context()
        user = ctx.user if ctx else None
    if _is_self(user, subject):
        return None
    entry = _entry(
        user=user,
        subject=subject,
        action=action,
        object_type=object_type,
        object_id=object_id,
        description=description,
        basis=basis,
        organisation_id=organisation_id,
        data_class=data_class,
    )
    entry.save(force_insert=True)
    return entry


def log_own_export(
    *, user: Any, person: Person, object_type: str, file_format: str, description: str
) -> AccessLogEntry:
    """Record that people exported their own data. Reading one's own data is not logged
    (see ``log_access``), but an export is: the file leaves the platform."""
    entry = _entry(
        user=user,
        subject=person,
        action=AccessAction.EXPORT,
        object_type=object_type,
        object_id=file_format,
        description=description,
        basis="self",
        organisation_id=person.organisation_id,
    )
    entry.save(force_insert=True)
    return entry


def log_access_many(
    *,
    subjects: Iterable[Person],
    action: str,
    object_type: str,
    description: str = "",
    user: Any = None,
    data_class: str | None = None,
) -> int:
    """Record that a list showing these people was read (one entry per person, one query)."""
    if user is None:
        ctx = current_context()
        user = ctx.user if ctx else None
    entries = [
        _entry(
            user=user,
            subject=s,
            action=action,
            object_type=object_type,
            object_id=s.pk,
            description=description,
            basis=None,
            organisation_id=s.organisation_id,
            data_class=data_class,
        )
        for s in subjects
        if not _is_self(user, s)
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def log_log_read(
    *, user: Any, organisation_id: int | None, filters: dict[str, Any], shown: int
) -> AccessLogEntry:
    """Record that someone read the access log (NEN 7513: reading the log is logged too),
    with the filter used and how many entries the page showed. A filter on one employee
    number names that person as the subject, so they see who searched the log for them.
    Reads of the log are readable only by the privacy officer (and that subject)."""
    used = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    subject = None
    if used.get("employee_number"):
        lookup = Person.objects.filter(employee_number=used["employee_number"].strip())
        if organisation_id is not None:
            lookup = lookup.filter(organisation_id=organisation_id)
        subject = lookup.order_by("pk").first()
    description = "; ".join(f"{k}={v}" for k, v in sorted(used.items()))
    entry = _entry(
        user=user,
        subject=subject,
        action=AccessAction.VIEW,
        object_type=LOG_OBJECT_TYPE,
        object_id=organisation_id if organisation_id is not None else "sector",
        description=f"access log read ({shown} shown){': ' + description if description else ''}",
        basis=None,
        organisation_id=organisation_id if subject is None else subject.organisation_id,
    )
    entry.save(force_insert=True)
    return entry


__all__ = [
    "AccessAction",
    "RequestContext",
    "log_access",
    "log_access_many",
    "log_log_read",
    "log_own_export",
]

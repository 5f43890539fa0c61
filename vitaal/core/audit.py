"""Writing the access log. Services and selectors call ``log_access``; the request
context (who, from where, on whose behalf) comes from RequestContextMiddleware."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vitaal.core.access import access_basis
from vitaal.core.models import AccessLogEntry, Person
from vitaal.core.models.audit import AccessAction


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
) -> AccessLogEntry:
    ctx = current_context()
    if user is None and ctx is not None:
        user = ctx.user
    if organisation_id is None and subject is not None:
        organisation_id = subject.organisation_id
    real_user = user if getattr(user, "is_authenticated", False) else None
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
        basis=basis or (access_basis(real_user, organisation_id) if real_user else "system"),
        channel=ctx.channel if ctx else "system",
        ip_address=ctx.ip_address if ctx else None,
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
) -> AccessLogEntry | None:
    """Record one access to personal data. A person looking at their own data is not
    logged: the log is about others reaching it."""
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
        )
        for s in subjects
        if not _is_self(user, s)
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


__all__ = ["AccessAction", "RequestContext", "log_access", "log_access_many", "log_own_export"]


class purge_gate:
    """Open the PostgreSQL append-only trigger for removals within one transaction.

    Only the retention job (and the test-database teardown) may use this.
    """

    def __enter__(self) -> None:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL vitaal.retention_purge = 'on'")

    def __exit__(self, *exc: object) -> None:
        return None

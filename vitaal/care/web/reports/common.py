"""Lookups shared by the views of this area: the organisation in scope, the sector of a
sector admin, and the audit entry of a report read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vitaal.core.access import get_actor, get_scoped_object_or_404
from vitaal.core.audit import log_access
from vitaal.core.models import Organisation, Sector
from vitaal.core.roles import Role


def organisation_for(request: HttpRequest, slug: str, perm: str) -> Organisation:
    """404 outside the user's organisations, 403 with the wrong role."""
    return get_scoped_object_or_404(
        request.user, Organisation.objects.select_related("sector"), perm, slug=slug
    )


def admin_sector(request: HttpRequest, perm: str) -> Sector:
    """The sector the user administers, checked against ``perm``; 403 otherwise."""
    ids = get_actor(request.user).sectors_for([Role.SECTOR_ADMIN])
    sector = Sector.objects.filter(pk__in=ids).order_by("pk").first()
    if sector is None or not request.user.has_perm(perm, sector):
        raise PermissionDenied
    return sector


def log_report_read(
    user: Any, *, organisation_id: int | None, label: str, action: str, description: str
) -> None:
    """An aggregate names nobody, but who read which report is still on record."""
    log_access(
        subject=None,
        action=action,
        object_type="care_usage_report",
        object_id=label,
        description=description,
        user=user,
        organisation_id=organisation_id,
    )

"""Who sees erasure requests: the employee their own (through their Person), the privacy
handler — the sector's privacy officer — those of their sector. Nobody else, not even the
organisation's administrator: a request lists care records, whose existence is health
data (DESIGN rule 1)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from vitaal.core.access import get_actor
from vitaal.core.roles import Role

QS = TypeVar("QS", bound=models.QuerySet[Any])

HANDLER_ROLES = frozenset({Role.PRIVACY_OFFICER})


def scope_erasure_requests(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    sectors = actor.sectors_for(HANDLER_ROLES)
    if not sectors:
        return qs.none()
    return qs.filter(organisation__sector_id__in=sectors)

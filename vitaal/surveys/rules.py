"""Object permissions of the surveys app (django-rules).

Researchers of a wave: the sector admin for a sector-wide wave, and the org admin or HR
advisor of the organisation for an organisation's own wave. A sector admin may also follow
an organisation's wave of their sector (read only: distribution status and protected
results), never change it. Respondents are anonymous and need no permission: their pages
are reached only through a secret link.

- ``surveys.add_wave``: an Organisation (own wave) or a Sector (sector wave).
- ``surveys.manage_wave``: a Wave (invitations, open link, opening and closing).
- ``surveys.view_wave``: a Wave (status and results).
"""

from __future__ import annotations

from typing import Any

import rules

from vitaal.core.access import get_actor
from vitaal.core.roles import Role

RESEARCHER_ORG_ROLES = (Role.ORG_ADMIN, Role.HR)


def _is_sector(obj: Any) -> bool:
    return obj.__class__.__name__ == "Sector"


@rules.predicate
def org_researcher(user: Any, obj: Any) -> bool:
    """Org admin or HR of the organisation (a Wave of that organisation, or the
    Organisation itself)."""
    if obj is None or _is_sector(obj):
        return False
    org_id = obj.pk if obj.__class__.__name__ == "Organisation" else obj.organisation_id
    return org_id is not None and get_actor(user).has_role_in_org(org_id, RESEARCHER_ORG_ROLES)


@rules.predicate
def sector_researcher(user: Any, obj: Any) -> bool:
    """Sector admin of the sector, for a sector-wide wave or the Sector itself."""
    if obj is None:
        return False
    if _is_sector(obj):
        return get_actor(user).has_role_in_sector(obj.pk, [Role.SECTOR_ADMIN])
    if obj.__class__.__name__ == "Wave" and obj.organisation_id is None:
        return get_actor(user).has_role_in_sector(obj.sector_id, [Role.SECTOR_ADMIN])
    return False


@rules.predicate
def sector_follower(user: Any, obj: Any) -> bool:
    """Sector admin of the sector an organisation's wave belongs to."""
    return obj is not None and get_actor(user).has_role_in_sector(obj.sector_id, [Role.SECTOR_ADMIN])


rules.add_perm("surveys.add_wave", org_researcher | sector_researcher)
rules.add_perm("surveys.manage_wave", org_researcher | sector_researcher)
rules.add_perm("surveys.view_wave", org_researcher | sector_researcher | sector_follower)

"""Who sees and does what in the learning network and the toolbox.

| what | granted to |
|---|---|
| read the toolbox | anyone running or following IGM: org admin, coordinator, advisor, management |
|   | (organisation or unit), works council; the sector admin |
| read a network, its practices | the same roles at a member organisation; the sector admin of |
|   | the network's sector |
| read a network's lessons | the same roles at a member organisation (not the sector) |
| share a practice in a network | coordinator or advisor of a member organisation |
| withdraw a shared practice | who shared it, a coordinator of that organisation, the sector admin |
| create a network, manage members | the sector admin of the sector |

Outside this, a network is answered with 404 when the user has nothing to do with it (no
member organisation of theirs, not its sector), and 403 when they do but lack the role.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from vitaal.core.access import get_actor
from vitaal.core.roles import Role
from vitaal.igm.access import IGM_READ_ORG_ROLES

QS = TypeVar("QS", bound=models.QuerySet[Any])

NETWORK_READ_ROLES = IGM_READ_ORG_ROLES
NETWORK_READ_UNIT_ROLES = frozenset({Role.MANAGEMENT})
NETWORK_SUBMIT_ROLES = frozenset({Role.COORDINATOR, Role.ADVISOR})
NETWORK_WITHDRAW_ROLES = frozenset({Role.COORDINATOR})
NETWORK_MANAGE_ROLES = frozenset({Role.SECTOR_ADMIN})


def member_org_ids(user: Any) -> set[int]:
    """Organisations through which the user takes part in networks."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return set()
    ids = actor.orgs_for(NETWORK_READ_ROLES)
    ids |= {org_id for org_id, _path in actor.units_for(NETWORK_READ_UNIT_ROLES)}
    return ids


def managed_sector_ids(user: Any) -> set[int]:
    actor = get_actor(user)
    return actor.sectors_for(NETWORK_MANAGE_ROLES) if actor.is_authenticated else set()


def may_read_toolbox(user: Any) -> bool:
    return bool(member_org_ids(user) or managed_sector_ids(user))


def may_manage_networks(user: Any) -> bool:
    return bool(managed_sector_ids(user))


def scope_networks(qs: QS, user: Any) -> QS:
    """Networks the user may read: those with a member organisation of theirs, and all of
    the sectors they administer."""
    orgs = member_org_ids(user)
    sectors = managed_sector_ids(user)
    if not orgs and not sectors:
        return qs.none()
    from vitaal.igm.models import NetworkMembership

    member_of = NetworkMembership.objects.filter(organisation_id__in=orgs).values("network_id")
    return qs.filter(Q(pk__in=member_of) | Q(sector_id__in=sectors))


def scope_practices(qs: QS, user: Any) -> QS:
    """Toolbox entries for every toolbox reader, and the practices of the networks the user
    may read."""
    from vitaal.igm.models import LearningNetwork, PracticeSource

    if not may_read_toolbox(user):
        return qs.none()
    networks = scope_networks(LearningNetwork.objects.all(), user).values("pk")
    return qs.filter(Q(source=PracticeSource.TOOLBOX) | Q(network_id__in=networks), withdrawn_at__isnull=True)


def _touches_network(user: Any, network: Any) -> bool:
    actor = get_actor(user)
    sector_ids: set[int] = set().union(*actor.sector_ids.values())
    if network.sector_id in sector_ids:
        return True
    member_ids = {m.organisation_id for m in network.memberships.all()}
    return bool(member_ids & actor.all_org_ids)


def network_member_orgs(user: Any, network: Any, roles: frozenset[str] = NETWORK_READ_ROLES) -> set[int]:
    """The user's organisations that are members of the network and where they hold one
    of ``roles`` (organisation level; unit-level management counts for reading)."""
    actor = get_actor(user)
    ids = actor.orgs_for(roles)
    if roles == NETWORK_READ_ROLES:
        ids |= {org_id for org_id, _path in actor.units_for(NETWORK_READ_UNIT_ROLES)}
    member_ids = {m.organisation_id for m in network.memberships.all()}
    return ids & member_ids


def may_read_network(user: Any, network: Any) -> bool:
    return bool(network_member_orgs(user, network)) or network.sector_id in managed_sector_ids(user)


def may_read_lessons(user: Any, network: Any) -> bool:
    return bool(network_member_orgs(user, network))


def may_manage_network(user: Any, network: Any) -> bool:
    return network.sector_id in managed_sector_ids(user)


def may_submit_practice(user: Any, network: Any) -> bool:
    return bool(network_member_orgs(user, network, NETWORK_SUBMIT_ROLES))


def may_withdraw_practice(user: Any, practice: Any) -> bool:
    if practice.is_toolbox or not getattr(user, "is_authenticated", False):
        return False
    if practice.submitted_by_id == user.pk:
        return True
    actor = get_actor(user)
    if actor.has_role_in_org(practice.organisation_id, NETWORK_WITHDRAW_ROLES):
        return True
    return practice.network.sector_id in managed_sector_ids(user)


def get_network_or_404(user: Any, pk: Any, check: Any = may_read_network) -> Any:
    """One network: 404 when the user has nothing to do with it, 403 when ``check`` fails."""
    from vitaal.igm.models import LearningNetwork

    try:
        network = LearningNetwork.objects.select_related("sector").prefetch_related("memberships").get(pk=pk)
    except (LearningNetwork.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not _touches_network(user, network):
        raise Http404
    if not check(user, network):
        raise PermissionDenied
    return network


def get_practice_or_404(user: Any, pk: Any, *, include_withdrawn: bool = False) -> Any:
    """One practice the user may read: a toolbox entry for toolbox readers (403 for other
    logged-in users), a network practice like its network. A withdrawn practice is not
    found, except for the withdraw action itself (so that repeating it is harmless)."""
    from vitaal.igm.models import Practice

    try:
        practice = (
            Practice.objects.select_related("network", "organisation", "submitted_by")
            .prefetch_related("lines")
            .get(pk=pk)
        )
    except (Practice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if practice.is_withdrawn and not include_withdrawn:
        raise Http404
    if practice.is_toolbox:
        if not may_read_toolbox(user):
            raise PermissionDenied
        return practice
    get_network_or_404(user, practice.network_id)
    return practice

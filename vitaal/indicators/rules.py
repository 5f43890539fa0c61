"""Permissions of the indicators app (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from vitaal.core.roles import Role
from vitaal.core.rules import org_role
from vitaal.indicators.access import EDIT_ROLES, ORG_READ_ROLES, readable_units


@rules.predicate
def heads_a_unit(user: Any, organisation: Any) -> bool:
    return organisation is not None and bool(readable_units(user, organisation))


@rules.predicate
def is_contract_head(user: Any, contract: Any) -> bool:
    return contract is not None and contract.head_id == user.pk


edit = org_role(*EDIT_ROLES)
rules.add_perm("indicators.view_scorecard", org_role(*ORG_READ_ROLES))
rules.add_perm(
    "indicators.view_unit_scorecards", org_role(*(ORG_READ_ROLES - {Role.WORKS_COUNCIL})) | heads_a_unit
)
rules.add_perm("indicators.change_measurement", edit)
rules.add_perm("indicators.view_contract", edit | is_contract_head)
rules.add_perm("indicators.change_contract", edit)
rules.add_perm("indicators.sign_contract_as_head", is_contract_head)
rules.add_perm("indicators.sign_contract_as_management", org_role(Role.MANAGEMENT))
rules.add_perm("indicators.view_businesscase", edit)
rules.add_perm("indicators.change_businesscase", edit)

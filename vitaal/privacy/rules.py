"""Permissions of the privacy app. The privacy handler is the sector's privacy officer:
outside the employer's line (an org admin is on the employer's side and may not learn that
someone used care) and outside the care chain, bound to two-step login, and already the one
who reads the sector's access log."""

from __future__ import annotations

from typing import Any

import rules

from vitaal.core.access import get_actor
from vitaal.core.rules import is_employee, sector_role
from vitaal.privacy.access import HANDLER_ROLES


@rules.predicate
def is_handler_anywhere(user: Any) -> bool:
    return get_actor(user).has_role(*HANDLER_ROLES)


# object = ErasureRequest
rules.add_perm("privacy.handle_erasure", sector_role(*HANDLER_ROLES))
rules.add_perm("privacy.view_retention", is_handler_anywhere)
rules.add_perm("privacy.request_erasure", is_employee)
rules.add_perm("privacy.export_own_data", is_employee)

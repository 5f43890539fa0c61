"""Permissions of usage reporting, the insurer import, the communication kit and the
forecast (django-rules; loaded with this area's hooks in ``CareConfig.ready``).

- ``care.view_usage_report``: the Organisation whose report is read: its org admin, HR
  advisor, management and works council, and the sector admin. Never managers: their
  teams are too small to report on.
- ``care.view_sector_usage``, ``care.import_insurer_usage``, ``care.view_forecast``: the
  Sector; its admin only.
- ``care.use_comm_kit``: the Organisation: org admin, HR advisor, IGM coordinator, and
  the sector admin.
"""

from __future__ import annotations

import rules

from vitaal.core.roles import Role
from vitaal.core.rules import org_role, sector_role

REPORT_READER_ROLES = (Role.ORG_ADMIN, Role.HR, Role.MANAGEMENT, Role.WORKS_COUNCIL)

_sector_admin = sector_role(Role.SECTOR_ADMIN)

rules.add_perm("care.view_usage_report", org_role(*REPORT_READER_ROLES) | _sector_admin)
rules.add_perm("care.view_sector_usage", _sector_admin)
rules.add_perm("care.import_insurer_usage", _sector_admin)
rules.add_perm("care.view_forecast", _sector_admin)
rules.add_perm("care.use_comm_kit", org_role(Role.ORG_ADMIN, Role.HR, Role.COORDINATOR) | _sector_admin)

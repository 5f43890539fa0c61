"""Start-page sections and navigation items of this area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def start_sections(user: Any) -> list[StartSection]:
    return []


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    """ "Health management" for every organisation whose cycle the user may read
    (coordinator, org admin, management, the advisor of a guided organisation, works
    council; see ``igm.view_cycle``)."""
    from vitaal.core.selectors import organisations_for_nav

    orgs = [o for o in organisations_for_nav(request.user) if request.user.has_perm("igm.view_cycle", o)]
    return [
        {
            "label": _("Health management")
            if len(orgs) == 1
            else _("Health management (%(org)s)") % {"org": o.name},
            "url": reverse("igm:overview", args=[o.slug]),
        }
        for o in orgs
    ]

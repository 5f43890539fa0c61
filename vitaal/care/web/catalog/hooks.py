"""Start-page sections and navigation items of the catalog area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection

# Staff who work with the catalog; employees find support through their own portal.
CATALOG_ROLES = frozenset(
    {
        Role.SECTOR_ADMIN,
        Role.CARE_COORDINATOR,
        Role.PROVIDER,
        Role.ORG_ADMIN,
        Role.HR,
        Role.COMPANY_DOCTOR,
        Role.MANAGER,
    }
)


def start_sections(user: Any) -> list[StartSection]:
    """For the sector admin: the packages still in draft, to review and publish."""
    from vitaal.care.models import Package, PackageStatus
    from vitaal.core.access import get_actor
    from vitaal.core.selectors import Figure, StartSection, Task

    actor = get_actor(user)
    sectors = actor.sectors_for([Role.SECTOR_ADMIN])
    if not sectors:
        return []
    drafts = list(Package.objects.filter(sector_id__in=sectors, status=PackageStatus.DRAFT).order_by("year"))
    published = Package.objects.filter(sector_id__in=sectors, status=PackageStatus.PUBLISHED).count()
    tasks = [
        Task(
            label=_("Review and publish the draft package %(period)s") % {"period": p.period_label},
            count=1,
            url=reverse("care:package_detail", args=[p.pk]),
        )
        for p in drafts
    ]
    return [
        StartSection(
            title=_("Care package"),
            figures=[
                Figure(label=_("Published packages"), value=published, url=reverse("care:package_list")),
                Figure(label=_("Draft packages"), value=len(drafts), url=reverse("care:package_list")),
            ],
            tasks=tasks,
        )
    ]


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    if not actor.has_role(*CATALOG_ROLES):
        return []
    return [
        {"label": _("Care catalog"), "url": reverse("care:catalog_list")},
        {"label": _("Care package"), "url": reverse("care:package_list")},
        {"label": _("Care providers"), "url": reverse("care:provider_list")},
    ]

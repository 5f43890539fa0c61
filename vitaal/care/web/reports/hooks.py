"""Start-page sections and navigation items of this area (registered in apps.py).

Importing this module also registers the area's permissions (``permissions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.care.web.reports import permissions
from vitaal.core.access import get_actor
from vitaal.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def _organisations(actor: Actor, roles: Any) -> list[Any]:
    from vitaal.core.models import Organisation

    ids = actor.orgs_for(roles)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def start_sections(user: Any) -> list[StartSection]:
    from vitaal.care.models import ApplicationStatus, BudgetApplication
    from vitaal.core.selectors import Figure, StartSection, Task

    actor = get_actor(user)
    sections: list[StartSection] = []
    for organisation in _organisations(actor, permissions.REPORT_READER_ROLES):
        section = StartSection(title=_("Care usage of %(org)s") % {"org": organisation.name})
        section.figures.append(
            Figure(_("Quarterly report"), _("open"), reverse("care:usage_report", args=[organisation.slug]))
        )
        if actor.has_role_in_org(organisation, [Role.ORG_ADMIN, Role.HR]):
            section.figures.append(
                Figure(_("Company-bound budget"), _("open"), reverse("care:budget", args=[organisation.slug]))
            )
        sections.append(section)
    sectors = actor.sectors_for([Role.SECTOR_ADMIN])
    if sectors:
        waiting = BudgetApplication.objects.filter(
            organisation__sector_id__in=sectors, status=ApplicationStatus.SUBMITTED
        ).count()
        section = StartSection(
            title=_("Care arrangement: reports and finance"),
            figures=[
                Figure(_("Sector benchmark"), _("open"), reverse("care:sector_usage")),
                Figure(_("Sustainability forecast"), _("open"), reverse("care:forecast")),
            ],
        )
        if waiting:
            section.tasks.append(
                Task(_("Budget applications to decide"), waiting, reverse("care:budget_decisions"))
            )
        sections.append(section)
    return sections


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if actor.sectors_for([Role.SECTOR_ADMIN]):
        items.append({"label": _("Care reports"), "url": reverse("care:sector_usage")})
        items.append({"label": _("Insurer import"), "url": reverse("care:insurer_import")})
        items.append({"label": _("Budget"), "url": reverse("care:budget_decisions")})
        items.append({"label": _("Forecast"), "url": reverse("care:forecast")})
        return items
    organisations = _organisations(actor, permissions.REPORT_READER_ROLES)
    if organisations:
        items.append(
            {"label": _("Care reports"), "url": reverse("care:usage_report", args=[organisations[0].slug])}
        )
    kit = _organisations(actor, [Role.ORG_ADMIN, Role.HR, Role.COORDINATOR])
    if kit:
        items.append({"label": _("Communication kit"), "url": reverse("care:comm_kit", args=[kit[0].slug])})
    return items

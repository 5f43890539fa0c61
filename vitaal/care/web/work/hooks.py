"""Start-page sections and navigation items of this area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def _referral_org_ids(actor: Actor) -> set[int]:
    ids = actor.orgs_for([Role.HR, Role.COMPANY_DOCTOR])
    ids |= {org_id for org_id, _path in actor.units_for([Role.MANAGER])}
    return ids


def _first_slug(org_ids: set[int]) -> str | None:
    from vitaal.core.models import Organisation

    return Organisation.objects.filter(pk__in=org_ids).order_by("name").values_list("slug", flat=True).first()


def start_sections(user: Any) -> list[StartSection]:
    """The care coordinator's and a provider's work, as counts with a link."""
    from vitaal.care.collective import provider_ids_of
    from vitaal.care.models import CareRequest, RequestStatus
    from vitaal.core.access import get_actor
    from vitaal.core.selectors import StartSection, Task

    actor = get_actor(user)
    sections: list[StartSection] = []
    sectors = actor.sectors_for([Role.CARE_COORDINATOR])
    if sectors:
        base = CareRequest.objects.filter(organisation__sector_id__in=sectors)
        waiting = base.filter(
            status=RequestStatus.AWAITING_APPROVAL, intervention__approver="care_coordinator"
        ).count()
        to_assign = base.filter(status=RequestStatus.APPROVED).count()
        url = reverse("care:queue")
        sections.append(
            StartSection(
                title=_("Care queue"),
                tasks=[
                    Task(_("Waiting for your approval"), waiting, url),
                    Task(_("Provider to assign"), to_assign, url),
                ],
            )
        )
    providers = provider_ids_of(user)
    if providers:
        new = CareRequest.objects.filter(provider_id__in=providers, status=RequestStatus.ASSIGNED).count()
        sections.append(
            StartSection(
                title=_("Assignments"),
                tasks=[Task(_("New assignments"), new, reverse("care:assignment_list"))],
            )
        )
    return sections


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    from vitaal.care.collective import provider_ids_of

    if not actor.is_authenticated:
        return []
    items: list[dict[str, Any]] = []
    path = request.path
    org_ids = _referral_org_ids(actor)
    if org_ids:
        slug = _first_slug(org_ids)
        if slug:
            url = reverse("care:referral_list", args=[slug])
            items.append({"label": _("Referrals"), "url": url, "current": path.startswith(url)})
    doctor_orgs = actor.orgs_for([Role.COMPANY_DOCTOR])
    if doctor_orgs:
        slug = _first_slug(doctor_orgs)
        if slug:
            url = reverse("care:doctor_approvals", args=[slug])
            items.append({"label": _("Approvals"), "url": url, "current": path.startswith(url)})
    if actor.sectors_for([Role.CARE_COORDINATOR]):
        url = reverse("care:queue")
        items.append({"label": _("Care queue"), "url": url, "current": path.startswith(url)})
    if provider_ids_of(actor.user):
        url = reverse("care:assignment_list")
        items.append({"label": _("Assignments"), "url": url, "current": path.startswith(url)})
    if actor.sectors_for([Role.CARE_COORDINATOR]) or provider_ids_of(actor.user):
        url = reverse("care:activity_list")
        items.append({"label": _("Group activities"), "url": url, "current": path.startswith(url)})
    return items

"""Start-page sections and navigation items of this area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.igm.web.network import access

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def start_sections(user: Any) -> list[StartSection]:
    """For everyone who follows IGM: the toolbox, and what their networks shared."""
    from vitaal.core.selectors import Figure, StartSection
    from vitaal.igm.models import LearningNetwork, Practice, PracticeSource

    if not access.may_read_toolbox(user):
        return []
    networks = LearningNetwork.objects.visible_to(user).values("pk")
    counts = Practice.objects.filter(withdrawn_at__isnull=True).aggregate(
        toolbox=Count("pk", filter=Q(source=PracticeSource.TOOLBOX)),
        shared=Count("pk", filter=Q(network_id__in=networks)),
    )
    figures = [Figure(label=_("Toolbox practices"), value=counts["toolbox"], url=reverse("igm:toolbox"))]
    if counts["shared"]:
        figures.append(
            Figure(
                label=_("Practices shared in your networks"),
                value=counts["shared"],
                url=reverse("igm:toolbox") + "?source=network",
            )
        )
    return [StartSection(title=_("Learning network and toolbox"), figures=figures)]


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    user = request.user
    if not access.may_read_toolbox(user):
        return []
    return [
        {"label": _("Toolbox"), "url": reverse("igm:toolbox")},
        {"label": _("Learning networks"), "url": reverse("igm:network_list")},
    ]

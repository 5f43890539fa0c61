"""Start-page sections and navigation items of the surveys app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.roles import Role
from vitaal.surveys.rules import RESEARCHER_ORG_ROLES

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def is_researcher(actor: Actor) -> bool:
    return bool(actor.orgs_for(RESEARCHER_ORG_ROLES) or actor.sectors_for([Role.SECTOR_ADMIN]))


def start_sections(user: Any) -> list[StartSection]:
    """Open waves the researcher follows, with their number of complete responses."""
    from vitaal.core.access import get_actor
    from vitaal.core.selectors import Figure, StartSection
    from vitaal.surveys.models import WaveStatus
    from vitaal.surveys.selectors import wave_statuses, waves_visible_to

    if not is_researcher(get_actor(user)):
        return []
    waves = list(waves_visible_to(user).filter(status=WaveStatus.OPEN).order_by("-created_at", "-pk")[:5])
    if not waves:
        return []
    statuses = wave_statuses(waves)
    figures = [
        Figure(
            label=wave.title,
            value=statuses[wave.pk]["complete"],
            url=reverse("surveys:wave_detail", args=[wave.pk]),
        )
        for wave in waves
    ]
    return [StartSection(title=_("Open surveys (complete responses)"), figures=figures)]


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    if not is_researcher(actor):
        return []
    items = [{"label": _("Surveys"), "url": reverse("surveys:wave_list")}]
    if actor.sectors_for([Role.SECTOR_ADMIN]):
        items.append({"label": _("Package recommendation"), "url": reverse("surveys:matrix_list")})
    return items

"""Start-page sections and navigation items of this area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def start_sections(user: Any) -> list[StartSection]:
    """For a participant of an open individual meter session: the sessions still waiting
    for their own ratings (the only way an employee reaches a session)."""
    from vitaal.core.selectors import StartSection, Task
    from vitaal.igm.models import MeterMode, MeterSession, SessionStatus

    if not getattr(user, "is_authenticated", False):
        return []
    sessions = list(
        MeterSession.objects.filter(
            participants__user=user, mode=MeterMode.INDIVIDUAL, status=SessionStatus.DRAFT
        )
        .select_related("organisation", "unit")
        .annotate(
            n_items=Count("instrument__items", distinct=True),
            n_rated=Count(
                "individual_ratings", filter=Q(individual_ratings__participant__user=user), distinct=True
            ),
        )
        .order_by("date", "pk")
    )
    sessions = [s for s in sessions if s.n_rated < s.n_items]
    if not sessions:
        return []
    tasks = [
        Task(
            label=_("Items of the IGM meter still to rate: %(session)s")
            % {"session": s.title or (s.unit.name if s.unit else s.organisation.name)},
            count=s.n_items - s.n_rated,
            url=reverse("igm:session_detail", args=[s.organisation.slug, s.pk]),
        )
        for s in sessions
    ]
    return [StartSection(title=str(_("IGM meter")), tasks=tasks)]


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

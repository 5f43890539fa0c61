"""Start-page section and navigation item of the employee portal (registered in apps.py).
Both appear only for a current employee, and count only the employee's own things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.access import get_actor

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def _is_current_employee(actor: Actor) -> bool:
    return actor.person is not None and actor.person.is_current


def start_sections(user: Any) -> list[StartSection]:
    from vitaal.care.web.portal.selectors import portal_summary
    from vitaal.core.selectors import Figure, StartSection, Task

    actor = get_actor(user)
    if not _is_current_employee(actor):
        return []
    assert actor.person is not None
    summary = portal_summary(user, actor.person)
    portal = reverse("care:portal")
    tasks = []
    if summary.open_referrals:
        tasks.append(Task(_("Referrals to answer"), len(summary.open_referrals), portal))
    if summary.evaluations_due:
        tasks.append(
            Task(
                _("Evaluations to fill in"), len(summary.evaluations_due), reverse("care:portal_request_list")
            )
        )
    return [
        StartSection(
            title=_("Care and support"),
            figures=[
                Figure(
                    _("My open requests"), len(summary.open_requests), reverse("care:portal_request_list")
                ),
                Figure(_("Find support"), _("3 questions"), reverse("care:portal_finder")),
            ],
            tasks=tasks,
        )
    ]


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    if not _is_current_employee(actor):
        return []
    return [{"label": _("Care and support"), "url": reverse("care:portal")}]

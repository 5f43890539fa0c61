"""Start-page sections and navigation items of this area (registered in apps.py).

* Coordinator and management: the process watch of each organisation with an active cycle
  where they hold that role (open signals, alerts, plans waiting for them), in a fixed
  number of queries however many units, plans or signals there are.
* Employees: "Our plan" once a plan for their unit (or the central plan) is signed off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.access import get_actor
from vitaal.core.models import Organisation
from vitaal.core.roles import Role
from vitaal.core.selectors import Figure, StartSection, Task
from vitaal.igm.access import CYCLE_READ_ORG_ROLES
from vitaal.igm.models import Cycle, Plan, PlanStatus, StoredSignal
from vitaal.igm.selectors import published_plan_summaries

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor

WATCH_ROLES = frozenset({Role.COORDINATOR, Role.MANAGEMENT})


def _watch_org_ids(actor: Actor) -> tuple[set[int], set[int]]:
    """(organisations with the coordinator role, with management at any level)."""
    coordinator = actor.orgs_for([Role.COORDINATOR])
    management = actor.orgs_for([Role.MANAGEMENT]) | {o for o, _p in actor.units_for([Role.MANAGEMENT])}
    return coordinator, management


def _watch_sections(user: Any, actor: Actor) -> list[StartSection]:
    coordinator, management = _watch_org_ids(actor)
    org_ids = coordinator | management
    if not org_ids:
        return []
    active = Cycle.objects.active().filter(organisation_id__in=org_ids).values("organisation_id")
    organisations = list(Organisation.objects.filter(pk__in=active).order_by("name"))
    if not organisations:
        return []
    signal_counts: dict[int, Any] = {}
    for row in (
        StoredSignal.objects.filter(cycle__organisation_id__in=org_ids, cycle__status="active")
        .values("cycle__organisation_id")
        .annotate(total=Count("pk"), alerts=Count("pk", filter=Q(severity="alert")))
    ):
        signal_counts[row["cycle__organisation_id"]] = row
    plans = Plan.objects.visible_to(user).filter(cycle__organisation_id__in=org_ids, cycle__status="active")
    plan_counts: dict[int, Any] = {}
    for plan_row in plans.values("cycle__organisation_id").annotate(
        draft=Count("pk", filter=Q(status=PlanStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=PlanStatus.SUBMITTED)),
    ):
        plan_counts[plan_row["cycle__organisation_id"]] = plan_row
    sections = []
    for org in organisations:
        signals = signal_counts.get(org.pk, {"total": 0, "alerts": 0})
        counts = plan_counts.get(org.pk, {"draft": 0, "submitted": 0})
        signal_url = reverse("igm:signal_list", args=[org.slug])
        plan_url = reverse("igm:plan_list", args=[org.slug])
        tasks = []
        if org.pk in management and counts["submitted"]:
            tasks.append(Task(_("Plans waiting for your sign-off"), counts["submitted"], plan_url))
        if org.pk in coordinator and counts["draft"]:
            tasks.append(Task(_("Plans of approach in draft"), counts["draft"], plan_url))
        sections.append(
            StartSection(
                title=_("Process watch – %(organisation)s") % {"organisation": org.name},
                figures=[
                    Figure(_("Open signals"), signals["total"], signal_url),
                    Figure(_("Alerts"), signals["alerts"], signal_url),
                ],
                tasks=tasks,
            )
        )
    return sections


def _our_plan_section(user: Any, actor: Actor) -> list[StartSection]:
    person = actor.person
    if person is None or not person.is_current:
        return []
    count = published_plan_summaries(user).count()
    if not count:
        return []
    url = reverse("igm:our_plan", args=[person.organisation.slug])
    return [StartSection(title=_("Our plan"), figures=[Figure(_("Agreed plans for your work"), count, url)])]


def start_sections(user: Any) -> list[StartSection]:
    actor = get_actor(user)
    if not actor.is_authenticated:
        return []
    return _watch_sections(user, actor) + _our_plan_section(user, actor)


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    """One entry to the plans of the first organisation the user reads cycles of."""
    org_ids = actor.orgs_for(CYCLE_READ_ORG_ROLES)
    if not org_ids:
        return []
    org = Organisation.objects.filter(pk__in=org_ids).order_by("name").first()
    if org is None:
        return []
    url = reverse("igm:plan_list", args=[org.slug])
    return [{"label": _("Plans of approach"), "url": url, "current": request.path.startswith(url)}]

"""Navigation of the indicators app (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation, Unit
from vitaal.indicators.access import ORG_READ_ROLES, UNIT_HEAD_ROLES

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    readers = actor.orgs_for(ORG_READ_ROLES)
    heads: dict[int, str] = {}
    for org_id, path in sorted(actor.units_for(UNIT_HEAD_ROLES), key=lambda pair: pair[1]):
        heads.setdefault(org_id, path)
    org_ids = readers | set(heads)
    if not org_ids:
        return []
    units = {
        u.organisation_id: u
        for u in Unit.objects.filter(path__in=[heads[o] for o in heads if o not in readers]).order_by("-path")
    }
    many = len(org_ids) > 1
    items = []
    for org in Organisation.objects.filter(pk__in=org_ids).order_by("name"):
        if org.pk in readers:
            url = reverse("indicators:scorecard", args=[org.slug])
        elif org.pk in units:
            url = reverse("indicators:unit_scorecard", args=[org.slug, units[org.pk].pk])
        else:
            continue
        label = _("Indicators (%(org)s)") % {"org": org.name} if many else _("Indicators")
        items.append({"label": label, "url": url})
    return items

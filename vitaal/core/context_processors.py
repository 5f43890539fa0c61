"""Navigation per role, built from the same access rules the views enforce."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.access import get_actor


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    if user is not None and user.is_authenticated:
        from vitaal.core.selectors import organisations_for_nav

        actor = get_actor(user)
        items.append({"label": _("Start"), "url": reverse("core:home")})
        for org in organisations_for_nav(user):
            if user.has_perm("core.view_organisation", org):
                items.append({"label": org.name, "url": reverse("core:organisation_detail", args=[org.slug])})
            if user.has_perm("core.list_people", org):
                items.append(
                    {
                        "label": _("People (%(org)s)") % {"org": org.name},
                        "url": reverse("core:person_list", args=[org.slug]),
                    }
                )
            if user.has_perm("core.view_accesslog", org) and actor.has_role_in_org(org, ["org_admin"]):
                items.append(
                    {
                        "label": _("Access log"),
                        "url": reverse("core:accesslog_list", args=[org.slug]),
                    }
                )
        if actor.sectors_for(["privacy_officer"]):
            items.append(
                {"label": _("Access log of the sector"), "url": reverse("core:sector_accesslog_list")}
            )
        from vitaal.core.hooks import nav_items

        items.extend(nav_items(request, actor))
        if actor.person is not None:
            items.append({"label": _("My data"), "url": reverse("core:me")})
            items.append({"label": _("Who looked at my data"), "url": reverse("core:me_access_log")})
        path = request.path
        for item in items:
            item["current"] = path == item["url"]
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}

"""The privacy app's menu items: the handler's pages for the sector's privacy officer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from vitaal.core.access import Actor
from vitaal.privacy.access import HANDLER_ROLES


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    if not actor.sectors_for(HANDLER_ROLES):
        return []
    return [
        {"label": _("Erasure requests"), "url": reverse("privacy:erasure_list")},
        {"label": _("Retention"), "url": reverse("privacy:retention")},
    ]

"""Start-page sections and navigation items of this area (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.selectors import StartSection


def start_sections(user: Any) -> list[StartSection]:
    return []


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    return []

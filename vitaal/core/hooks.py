"""Extension points the pillar apps plug into, so core never imports them directly.

Each app registers its providers in ``AppConfig.ready()``:

* start sections: ``fn(user) -> list[StartSection]`` – cards on the start page;
* navigation: ``fn(request, actor) -> list[dict]`` – items with ``label`` and ``url``;
* demo builders: ``fn(context: DemoContext) -> None`` – run by ``vitaal demo`` after the
  organisations, people, accounts and the pillars' default content exist.

Providers must scope through the access layer themselves, exactly like a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import random

    from django.http import HttpRequest

    from vitaal.core.access import Actor
    from vitaal.core.models import Organisation, Sector, Unit
    from vitaal.core.selectors import StartSection


@dataclass
class DemoContext:
    """What a demo builder gets: the sector, its organisations (in build order, smallest
    first) with their units, and a seeded random generator so demo data is repeatable."""

    sector: Sector
    organisations: list[tuple[Organisation, list[Unit]]]
    rng: random.Random
    lines: list[str] = field(default_factory=list)  # summary lines printed by `vitaal demo`
    seed: int = 2026

    def rng_for(self, name: str) -> random.Random:
        """A generator of the builder's own, so one builder's draws do not shift another's
        when builders are added or reordered."""
        import random as _random

        return _random.Random(f"{name}-{self.seed}")


StartProvider = Callable[[Any], "list[StartSection]"]
NavProvider = Callable[["HttpRequest", "Actor"], list[dict[str, Any]]]
DemoBuilder = Callable[[DemoContext], None]

_start: list[tuple[int, StartProvider]] = []
_nav: list[tuple[int, NavProvider]] = []
_demo: list[tuple[int, DemoBuilder]] = []


def _add(registry: list[tuple[int, Any]], fn: Any, order: int) -> None:
    if all(existing is not fn for _o, existing in registry):
        registry.append((order, fn))
        registry.sort(key=lambda pair: pair[0])


def register_start_sections(fn: StartProvider, *, order: int = 100) -> None:
    _add(_start, fn, order)


def register_nav(fn: NavProvider, *, order: int = 100) -> None:
    _add(_nav, fn, order)


def register_demo(fn: DemoBuilder, *, order: int = 100) -> None:
    _add(_demo, fn, order)


def start_sections(user: Any) -> list[StartSection]:
    sections: list[StartSection] = []
    for _o, fn in _start:
        sections.extend(fn(user))
    return sections


def nav_items(request: HttpRequest, actor: Actor) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for _o, fn in _nav:
        items.extend(fn(request, actor))
    return items


def run_demo_builders(context: DemoContext) -> None:
    for _o, fn in _demo:
        fn(context)

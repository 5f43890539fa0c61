"""Extension points the pillar apps plug into, so core never imports them directly.

Each app registers its providers in ``AppConfig.ready()``:

* start sections: ``fn(user) -> list[StartSection]`` – cards on the start page;
* navigation: ``fn(request, actor) -> list[dict]`` – items with ``label`` and ``url``;
* demo builders: ``fn(context: DemoContext) -> None`` – run by ``vitaal demo`` after the
  organisations, people, accounts and the pillars' default content exist;
* personal data: ``fn(person) -> list[PersonalDataSection]`` – the app's part of an
  employee's full data export (AVG art. 15 and 20; see vitaal.privacy).

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
    # How many years of history to build, ending today. 1 is the everyday demo; more is a
    # history build (`vitaal demo --years 5`), which models sector-scale volumes for the
    # benchmarks (see docs/operations.md, "Sector-scale data").
    years: int = 1
    # Seconds each builder took, in run order (printed by `vitaal demo`).
    timings: list[tuple[str, float]] = field(default_factory=list)

    @property
    def history(self) -> bool:
        """True for a multi-year build: builders then generate benchmark-scale volumes."""
        return self.years > 1

    def rng_for(self, name: str) -> random.Random:
        """A generator of the builder's own, so one builder's draws do not shift another's
        when builders are added or reordered."""
        import random as _random

        return _random.Random(f"{name}-{self.seed}")


@dataclass
class PersonalDataSection:
    """One part of an employee's data export: a title, rows of plain values (English keys,
    stable codes) and an optional note, e.g. why something cannot be included."""

    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


StartProvider = Callable[[Any], "list[StartSection]"]
NavProvider = Callable[["HttpRequest", "Actor"], list[dict[str, Any]]]
DemoBuilder = Callable[[DemoContext], None]
PersonalDataProvider = Callable[[Any], list[PersonalDataSection]]

_start: list[tuple[int, StartProvider]] = []
_nav: list[tuple[int, NavProvider]] = []
_demo: list[tuple[int, DemoBuilder]] = []
_personal: list[tuple[int, PersonalDataProvider]] = []


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


def register_personal_data(fn: PersonalDataProvider, *, order: int = 100) -> None:
    _add(_personal, fn, order)


def personal_data(person: Any) -> list[PersonalDataSection]:
    """Every app's part of this person's data export, in registration order."""
    sections: list[PersonalDataSection] = []
    for _o, fn in _personal:
        sections.extend(fn(person))
    return sections


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
    import time

    for _o, fn in _demo:
        started = time.perf_counter()
        fn(context)
        context.timings.append((f"{fn.__module__}.{fn.__name__}", time.perf_counter() - started))

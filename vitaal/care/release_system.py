"""The counts of a care release and the relations between them, as they are collected:
the system ``vitaal.core.disclosure.linked`` protects as one (see ``vitaal.care.release``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

from vitaal.core.disclosure import TOTAL, protect_table
from vitaal.core.disclosure.linked import LinkedCounts, LinkedResult, Relation, protect_linked
from vitaal.core.models import Unit

SECTOR = "S"


class _System:
    """Counts, relations and the cells withheld or never published, as they are added."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.relations: list[Relation] = []
        self.unpublished: set[Hashable] = set()
        self.known_empty: set[Hashable] = set()
        self.seed: set[Hashable] = set()
        self.fixed_hidden: set[Hashable] = set()
        self.fixed_shown: set[Hashable] = set()

    def add(self, key: Hashable, value: int) -> None:
        self.values[key] = int(value)

    def relate(self, total: Hashable, parts: Iterable[Hashable], *, cover: bool = False) -> None:
        self.relations.append(Relation(total, tuple(parts), cover=cover))

    def protect(self, k: int, ceiling: int) -> LinkedResult:
        counts = LinkedCounts(
            values=self.values,
            relations=self.relations,
            ceiling=max(ceiling, 1),
            unpublished=frozenset(self.unpublished),
            known_empty=frozenset(self.known_empty),
            seed=frozenset(self.seed),
            fixed_hidden=frozenset(self.fixed_hidden),
            fixed_shown=frozenset(self.fixed_shown),
        )
        return protect_linked(counts, k)


def _add_table(
    system: _System,
    measure: str,
    by_org: dict[int, dict[str, dict[str, int]]],
    org_ids: list[int],
    dimensions: dict[str, list[str]],
    k: int | None = None,
) -> None:
    """One measure broken down by several dimensions, for each organisation and the
    sector: ``(measure, population)`` is the total, ``(measure, population, dimension,
    category)`` a cell. The sector's cells are the sums of the organisations' cells."""
    populations: list[tuple[int | str, list[int]]] = [(o, [o]) for o in org_ids]
    for pop, members in [*populations, (SECTOR, org_ids)]:
        for name, categories in dimensions.items():
            for category in categories:
                value = sum(by_org.get(o, {}).get(name, {}).get(category, 0) for o in members)
                system.add((measure, pop, name, category), value)
        first = next(iter(dimensions))
        system.add((measure, pop), sum(system.values[(measure, pop, first, c)] for c in dimensions[first]))
        for name, categories in dimensions.items():
            parts = [(measure, pop, name, c) for c in categories]
            system.relate((measure, pop), parts)
            if withholds([system.values[part] for part in parts]):
                system.unpublished.update(parts)
    for name, categories in dimensions.items():
        for category in categories:
            system.relate((measure, SECTOR, name, category), [(measure, o, name, category) for o in org_ids])
    system.relate((measure, SECTOR), [(measure, o) for o in org_ids])
    if k is not None and org_ids:
        _seed_tables(system, measure, org_ids, dimensions, k)


def _seed_tables(
    system: _System, measure: str, org_ids: list[int], dimensions: dict[str, list[str]], k: int
) -> None:
    """Each dimension as a two-way table of organisations × categories, protected exactly
    on its own; the union is where the joint protection starts."""
    for name, categories in dimensions.items():
        grid = {o: {c: system.values[(measure, o, name, c)] for c in categories} for o in org_ids}
        table = protect_table(grid, k, columns=categories)
        for o in org_ids:
            if table.row_total(o).suppressed:
                system.seed.add((measure, o))
            for c in categories:
                if table[o, c].suppressed:
                    system.seed.add((measure, o, name, c))
        for c in categories:
            if table[TOTAL, c].suppressed:
                system.seed.add((measure, SECTOR, name, c))
        if table.grand_total.suppressed:
            system.seed.add((measure, SECTOR))


def withholds(counts: list[int]) -> bool:
    """One category holding everybody tells every member's attribute (the zeros beside it
    are exact): such a breakdown is withheld as a whole."""
    return len(counts) > 1 and sum(1 for n in counts if n > 0) == 1


def _add_tree(
    system: _System,
    measure: str,
    org_ids: list[int],
    units: list[Unit],
    per_unit: Counter[tuple[int, int | None]],
    has_own_members: set[tuple[int, int | None]],
    *,
    prefix: tuple[str, ...] = (),
) -> None:
    """Units as part of the organisation: ``(measure, org)`` must already be a cell. A
    unit is its sub-units plus its own members; the own members are a group the reader
    cannot see but knows of (or knows is empty, when nobody works directly there)."""
    children: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for unit in units:
        children[(unit.organisation_id, unit.parent_id)].append(unit.pk)
    subtotal: dict[int, int] = {}
    for unit in sorted(units, key=lambda u: -u.depth):
        subtotal[unit.pk] = per_unit[(unit.organisation_id, unit.pk)] + sum(
            subtotal[c] for c in children[(unit.organisation_id, unit.pk)]
        )
        system.add((*prefix, measure, "unit", unit.pk), subtotal[unit.pk])
    places: list[tuple[tuple[int, int | None], Hashable, Hashable]] = [
        ((u.organisation_id, u.pk), (*prefix, measure, "unit", u.pk), (*prefix, measure, "own", u.pk))
        for u in units
    ]
    places += [
        ((org, None), (*prefix, measure, org), (*prefix, measure, "own", f"org{org}")) for org in org_ids
    ]
    for place, total, own in places:
        system.add(own, per_unit[place])
        system.unpublished.add(own)
        if place not in has_own_members:
            system.known_empty.add(own)
        parts = [(*prefix, measure, "unit", c) for c in children[place]]
        system.relate(total, [*parts, own])

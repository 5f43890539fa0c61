"""Linked tables protected as one release.

Protecting each table on its own leaks in combination: the sector's total minus the
organisations it shows is a hidden organisation, an organisation's total minus its units
is the people of the hidden unit, one breakdown's total hidden and another's shown gives
it back. So a release declares *all* its counts at once, with every sum a reader knows
between them (a total equals the sum of its parts) and the groups a reader cannot see but
knows exist (the members a unit has outside its sub-units), and receives one suppression
pattern for all of them.

The test of a pattern is the attack itself: a reader who knows every shown count and
every relation, that a hidden published count is at least 1 (zero counts are always
shown) and that no count exceeds the headcount, solves for the largest value each hidden
count can take, with integer programming (scipy's HiGHS). A small count (``0 < n < k``)
is safe only when that largest value is at least ``k``: the reader cannot tell it from a
group that could be shown. Cells are hidden, smallest partner first, until every small
count is safe. Hiding a further cell only widens what the reader must allow, so a count
that is safe stays safe and only the unsafe ones are solved again.

Hand-written because no maintained Python library does cell suppression (tau-Argus and
sdcTable are Java and R); the solving itself is scipy's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from vitaal.core.disclosure.checks import _check_threshold
from vitaal.core.disclosure.results import COMPLEMENTARY, PRIMARY, ProtectedCell, Reason

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` equals the sum of ``parts``; a reader knows this."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class LinkedCounts:
    """Every count of a release with the relations between them.

    ``values`` holds every cell, published or not. ``unpublished`` cells are never shown
    but take part in relations (a unit's own members: the unit minus its sub-units); a
    reader knows only that they are at least 0, or exactly 0 when listed in
    ``known_empty`` (a unit with no members of its own is public knowledge). ``ceiling``
    bounds every cell from above: the reader knows the headcount.
    """

    values: dict[Key, int]
    relations: list[Relation]
    ceiling: int
    unpublished: frozenset[Key] = frozenset()
    known_empty: frozenset[Key] = frozenset()
    order: dict[Key, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for relation in self.relations:
            total = sum(self.values[part] for part in relation.parts)
            if total != self.values[relation.total]:
                raise ValueError(f"Relation {relation.total!r} does not add up ({total}).")
        for key, value in self.values.items():
            if value < 0 or int(value) != value:
                raise ValueError(f"Count {key!r} must be a whole number of at least 0.")
        if not self.order:
            self.order = {key: i for i, key in enumerate(self.values)}


@dataclass(frozen=True)
class LinkedResult:
    """The pattern of a release: one protected cell per published key."""

    cells: dict[Key, ProtectedCell]
    threshold: int

    def cell(self, key: Key) -> ProtectedCell:
        return self.cells[key]

    def hidden(self) -> set[Key]:
        return {key for key, cell in self.cells.items() if cell.suppressed}


# --------------------------------------------------------------------------------------
# The reader's side: how far can a hidden count move?
# --------------------------------------------------------------------------------------


def reader_bounds(
    shown: Mapping[Key, int | None],
    relations: Sequence[Relation],
    *,
    ceiling: int,
    unpublished: Iterable[Key] = (),
    known_empty: Iterable[Key] = (),
    targets: Iterable[Key] | None = None,
    sense: str = "max",
) -> dict[Key, int]:
    """For each target (default: every unknown), the largest (``sense="max"``) or smallest
    (``"min"``) whole value consistent with everything shown.

    ``shown`` maps each published key to its value, or None where it is hidden; keys in
    relations that are neither shown nor ``unpublished`` are not allowed (a typo would
    otherwise become an unknown and weaken the attack).
    """
    unpublished = set(unpublished)
    empty = set(known_empty)
    unknown = [key for key, value in shown.items() if value is None]
    unknown += [key for key in unpublished if key not in shown]
    index = {key: i for i, key in enumerate(unknown)}
    for relation in relations:
        for key in (relation.total, *relation.parts):
            if key not in shown and key not in unpublished:
                raise KeyError(f"{key!r} is in a relation but neither published nor unpublished.")
    if not unknown:
        return {}
    # Union the unknowns that share a relation: each group is solved on its own.
    parent = list(range(len(unknown)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows: list[tuple[dict[int, float], float]] = []
    for relation in relations:
        coefs: dict[int, float] = defaultdict(float)
        known: float = 0.0
        for key, coef in ((relation.total, -1.0), *((part, 1.0) for part in relation.parts)):
            if key in index:
                coefs[index[key]] += coef
            else:
                known += coef * float(shown[key] or 0)
        coefs = {i: c for i, c in coefs.items() if c}
        if not coefs:
            continue
        rows.append((coefs, -known))
        first, *rest = coefs
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(unknown)):
        groups[find(i)].append(i)
    group_rows: dict[int, list[tuple[dict[int, float], float]]] = defaultdict(list)
    for coefs, rhs in rows:
        group_rows[find(next(iter(coefs)))].append((coefs, rhs))

    wanted = unknown if targets is None else [key for key in targets if key in index]
    out: dict[Key, int] = {}
    for key in wanted:
        i = index[key]
        root = find(i)
        members = groups[root]
        local = {j: n for n, j in enumerate(members)}
        upper = np.array([0.0 if unknown[j] in empty else float(ceiling) for j in members])
        lower = np.minimum(np.array([0.0 if unknown[j] in unpublished else 1.0 for j in members]), upper)
        objective = np.zeros(len(members))
        objective[local[i]] = -1.0 if sense == "max" else 1.0
        constraints = []
        if group_rows[root]:
            matrix = np.zeros((len(group_rows[root]), len(members)))
            bound = np.array([value for _coefs, value in group_rows[root]])
            for r, (row_coefs, _value) in enumerate(group_rows[root]):
                for j, c in row_coefs.items():
                    matrix[r, local[j]] = c
            constraints.append(LinearConstraint(matrix, bound, bound))
        result = milp(
            objective,
            integrality=np.ones(len(members)),
            bounds=Bounds(lower, upper),
            constraints=constraints,
        )
        if result.status != 0 or result.x is None:
            raise RuntimeError(f"The reader's problem for {key!r} has no solution: {result.message}")
        out[key] = round(float(result.x[local[i]]))
    return out


# --------------------------------------------------------------------------------------
# The publisher's side: one pattern for the whole release
# --------------------------------------------------------------------------------------


def protect_linked(counts: LinkedCounts, k: int) -> LinkedResult:
    """One suppression pattern for every published cell of ``counts``: no small count is
    shown, and no hidden small count can be shown to be small by solving all relations at
    once."""
    _check_threshold(k)
    values = counts.values
    published = [key for key in values if key not in counts.unpublished]
    reasons: dict[Key, Reason] = {key: PRIMARY for key in published if 0 < values[key] < k}
    sensitive = sorted(
        (key for key, value in values.items() if 0 < value < k and key not in counts.known_empty),
        key=counts.order.__getitem__,
    )
    members: dict[Key, list[Relation]] = defaultdict(list)
    for relation in counts.relations:
        for key in (relation.total, *relation.parts):
            members[key].append(relation)

    def shown_now() -> dict[Key, int | None]:
        return {key: (None if key in reasons else values[key]) for key in published}

    unsafe = list(sensitive)
    while unsafe:
        highest = reader_bounds(
            shown_now(),
            counts.relations,
            ceiling=counts.ceiling,
            unpublished=counts.unpublished,
            known_empty=counts.known_empty,
            targets=unsafe,
        )
        unsafe = [key for key in unsafe if highest.get(key, counts.ceiling) < min(k, counts.ceiling)]
        if not unsafe:
            break
        partner = _partner(unsafe[0], values, reasons, members, counts)
        if partner is None:
            # Every cell tied to it is hidden already: what still bounds it is public
            # knowledge (the headcount, units without members of their own), not the
            # release.
            unsafe = unsafe[1:]
            continue
        reasons[partner] = COMPLEMENTARY
    _show_what_is_not_needed(counts, k, reasons, sensitive, shown_now, members)
    cells = {
        key: ProtectedCell.hidden(reasons[key]) if key in reasons else ProtectedCell.shown(values[key])
        for key in published
    }
    return LinkedResult(cells=cells, threshold=k)


def _show_what_is_not_needed(
    counts: LinkedCounts,
    k: int,
    reasons: dict[Key, Reason],
    sensitive: list[Key],
    shown_now: Callable[[], dict[Key, int | None]],
    members: Mapping[Key, list[Relation]],
) -> None:
    """Greedy choices made early can become superfluous once later ones are made (an
    organisation's total hidden for the sector's sake protects what a category hidden
    before it did). Try to show each complementary cell again, largest first, and keep it
    shown when every small count stays safe."""
    for key in sorted(
        (key for key, reason in reasons.items() if reason == COMPLEMENTARY),
        key=lambda c: (-counts.values[c], counts.order[c]),
    ):
        del reasons[key]
        near = _tied_to(key, reasons, members, counts)
        targets = [s for s in sensitive if s in near]
        highest = reader_bounds(
            shown_now(),
            counts.relations,
            ceiling=counts.ceiling,
            unpublished=counts.unpublished,
            known_empty=counts.known_empty,
            targets=targets,
        )
        if any(highest.get(s, counts.ceiling) < min(k, counts.ceiling) for s in targets):
            reasons[key] = COMPLEMENTARY


def _tied_to(
    key: Key, reasons: Mapping[Key, Reason], members: Mapping[Key, list[Relation]], counts: LinkedCounts
) -> set[Key]:
    """The unknown cells whose room to move can depend on ``key``: those reached from its
    relations through other unknowns."""
    seen: set[Key] = set()
    frontier = [key]
    while frontier:
        following = []
        for current in frontier:
            for relation in members.get(current, ()):
                for other in (relation.total, *relation.parts):
                    if other not in seen and (other in reasons or other in counts.unpublished):
                        seen.add(other)
                        following.append(other)
        frontier = following
    return seen


def _partner(
    key: Key,
    values: Mapping[Key, int],
    reasons: Mapping[Key, Reason],
    members: Mapping[Key, list[Relation]],
    counts: LinkedCounts,
) -> Key | None:
    """The cell to hide next for an unsafe ``key``: the smallest shown positive count in a
    relation with it, or, when its relations have none left, with the unknowns it is tied
    to (breadth first, so the partner is as close as possible)."""
    seen = {key}
    frontier = [key]
    while frontier:
        candidates: list[Key] = []
        following: list[Key] = []
        for current in frontier:
            for relation in members.get(current, ()):
                for other in (relation.total, *relation.parts):
                    if other in seen:
                        continue
                    seen.add(other)
                    if other in reasons or other in counts.unpublished:
                        following.append(other)
                    elif values[other] > 0:
                        candidates.append(other)
        if candidates:
            return min(candidates, key=lambda c: (values[c], counts.order[c]))
        frontier = following
    return None

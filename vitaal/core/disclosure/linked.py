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
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from vitaal.core.disclosure.checks import _check_threshold
from vitaal.core.disclosure.results import COMPLEMENTARY, PRIMARY, ProtectedCell, Reason

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` equals the sum of ``parts``; a reader knows this. A *cover* is looser:
    the total is at most the sum and at least each part — the employees who used care in
    a year against those of its quarters, each counted once however often they came."""

    total: Key
    parts: tuple[Key, ...]
    cover: bool = False


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
    #: Cells to hide from the start: a pattern found table by table with the exact
    #: two-way algorithm, which leaves the integer programs mostly checking.
    seed: frozenset[Key] = frozenset()
    #: Cells published before, by an earlier release this one overlaps: their state is
    #: final. Those hidden are unknowns the reader must still not pin down; none of them
    #: is shown or hidden anew.
    fixed_hidden: frozenset[Key] = frozenset()
    fixed_shown: frozenset[Key] = frozenset()

    def __post_init__(self) -> None:
        for relation in self.relations:
            total = sum(self.values[part] for part in relation.parts)
            if total != self.values[relation.total] and not relation.cover:
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


class _ReaderProblem:
    """What a reader knows, as integer programs: one per group of unknowns tied together
    by relations (groups are solved on their own)."""

    def __init__(
        self,
        shown: Mapping[Key, int | None],
        relations: Sequence[Relation],
        *,
        ceiling: int,
        unpublished: Iterable[Key],
        known_empty: Iterable[Key],
    ) -> None:
        unpublished = set(unpublished)
        empty = set(known_empty)
        unknown = [key for key, value in shown.items() if value is None]
        unknown += [key for key in unpublished if key not in shown]
        self.index = index = {key: i for i, key in enumerate(unknown)}
        for relation in relations:
            for key in (relation.total, *relation.parts):
                if key not in shown and key not in unpublished:
                    raise KeyError(f"{key!r} is in a relation but neither published nor unpublished.")
        parent = list(range(len(unknown)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        # Each row: lower <= sum(coef * unknown) <= upper.
        rows: list[tuple[dict[int, float], float, float]] = []

        def add_row(terms: Sequence[tuple[Key, float]], lower: float, upper: float) -> None:
            coefs: dict[int, float] = defaultdict(float)
            known: float = 0.0
            for key, coef in terms:
                if key in index:
                    coefs[index[key]] += coef
                else:
                    known += coef * float(shown[key] or 0)
            coefs = {i: c for i, c in coefs.items() if c}
            if not coefs:
                return
            rows.append((coefs, lower - known, upper - known))
            first, *rest = coefs
            for other in rest:
                parent[find(other)] = find(first)

        for relation in relations:
            terms = [(relation.total, -1.0), *((part, 1.0) for part in relation.parts)]
            if not relation.cover:
                add_row(terms, 0.0, 0.0)
                continue
            add_row(terms, 0.0, np.inf)  # the total is at most the sum of the parts
            for part in relation.parts:  # and at least each part
                add_row([(relation.total, 1.0), (part, -1.0)], 0.0, np.inf)
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(unknown)):
            groups[find(i)].append(i)
        group_rows: dict[int, list[tuple[dict[int, float], float, float]]] = defaultdict(list)
        for coefs, low, high in rows:
            group_rows[find(next(iter(coefs)))].append((coefs, low, high))
        self.group_of = {i: find(i) for i in range(len(unknown))}
        self.members = groups
        self.unknown = unknown
        self.upper = {i: 0.0 if key in empty else float(ceiling) for i, key in enumerate(unknown)}
        self.lower = {
            i: min(0.0 if key in unpublished else 1.0, self.upper[i]) for i, key in enumerate(unknown)
        }
        self.rows = group_rows

    def _solve(self, root: int, objective: dict[int, float]) -> np.ndarray:
        """Minimise ``objective`` over the group ``root``, in whole numbers; returns one
        optimal solution (all unknowns of the group)."""
        members = self.members[root]
        local = {j: n for n, j in enumerate(members)}
        cost = np.zeros(len(members))
        for j, c in objective.items():
            cost[local[j]] = c
        lower = np.array([self.lower[j] for j in members])
        upper = np.array([self.upper[j] for j in members])
        rows = self.rows[root]
        matrix = np.zeros((len(rows), len(members)))
        low: Any = np.zeros(len(rows))
        high: Any = np.zeros(len(rows))
        for r, (coefs, lo, hi) in enumerate(rows):
            for j, c in coefs.items():
                matrix[r, local[j]] = c
            low[r], high[r] = lo, hi
        constraints = [LinearConstraint(matrix, low, high)] if len(rows) else []
        # No optimality gap: a near-optimal maximum could fall just short of k and flip a
        # verdict from one build to the next.
        result = milp(
            cost,
            integrality=np.ones(len(members)),
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"mip_rel_gap": 0.0},
        )
        if result.status != 0 or result.x is None:
            raise RuntimeError(f"The reader's problem has no solution: {result.message}")
        return np.asarray(result.x)

    def extreme(self, key: Key, sense: str) -> int:
        i = self.index[key]
        root = self.group_of[i]
        x = self._solve(root, {i: -1.0 if sense == "max" else 1.0})
        return round(float(x[self.members[root].index(i)]))

    def below(self, targets: Iterable[Key], k: int, *, first_only: bool = False) -> list[Key]:
        """The targets a reader can prove smaller than ``k``.

        A target is safe once some solution consistent with everything shown has it at
        ``k`` or more. One program pushes all targets of a group up at once; then each
        target not yet settled is maximised on its own, and every other target its
        solution happens to lift to ``k`` is settled with it. ``first_only`` stops at the
        first small target."""
        by_group: dict[int, list[int]] = defaultdict(list)
        for key in targets:
            if key in self.index:
                i = self.index[key]
                by_group[self.group_of[i]].append(i)
        unsafe: list[Key] = []
        for root, wanted in by_group.items():
            position = {j: n for n, j in enumerate(self.members[root])}
            left = list(wanted)
            # A cheap round first: push all of them up at once, without counting how many
            # reach k. In a large group most have room and are settled here.
            x = self._solve(root, dict.fromkeys(left, -1.0))
            left = [i for i in left if x[position[i]] < k - 1e-6]
            while left and not (unsafe and first_only):
                # One at a time, the rest riding along: the solution that lifts the first
                # as high as it goes also settles every other it happens to lift to k.
                x = self._solve(root, {left[0]: -1.0})
                if x[position[left[0]]] < k - 1e-6:
                    unsafe.append(self.unknown[left[0]])
                    if first_only:
                        break
                lifted = {left[0]} | {i for i in left if x[position[i]] >= k - 1e-6}
                left = [i for i in left if i not in lifted]
            if unsafe and first_only:
                break
        return unsafe


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
    problem = _ReaderProblem(
        shown, relations, ceiling=ceiling, unpublished=unpublished, known_empty=known_empty
    )
    wanted = problem.unknown if targets is None else [key for key in targets if key in problem.index]
    return {key: problem.extreme(key, sense) for key in wanted}


def provably_small(
    shown: Mapping[Key, int | None],
    relations: Sequence[Relation],
    *,
    ceiling: int,
    unpublished: Iterable[Key] = (),
    known_empty: Iterable[Key] = (),
    targets: Iterable[Key],
    k: int,
    first_only: bool = False,
) -> list[Key]:
    """The targets a reader can prove to be smaller than ``k`` (with ``first_only``,
    at least those of one group, or none)."""
    problem = _ReaderProblem(
        shown, relations, ceiling=ceiling, unpublished=unpublished, known_empty=known_empty
    )
    return problem.below(targets, k, first_only=first_only)


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
    fixed = counts.fixed_hidden | counts.fixed_shown
    reasons: dict[Key, Reason] = {
        key: PRIMARY for key in published if 0 < values[key] < k and key not in counts.fixed_shown
    }
    reasons.update(dict.fromkeys(counts.fixed_hidden - reasons.keys(), COMPLEMENTARY))
    seeded = {key for key in counts.seed if key not in reasons and key in values and values[key] > 0}
    seeded -= counts.unpublished | fixed
    reasons.update(dict.fromkeys(seeded, COMPLEMENTARY))
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
        small = set(
            provably_small(
                shown_now(),
                counts.relations,
                ceiling=counts.ceiling,
                unpublished=counts.unpublished,
                known_empty=counts.known_empty,
                targets=unsafe,
                k=min(k, counts.ceiling),
            )
        )
        unsafe = [key for key in unsafe if key in small]
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
    if not counts.seed:
        # With a seed, what the joint step adds is what the tables alone could not see;
        # trying to show each of those again costs many programs and, measured on the
        # demo sector, showed none.
        _show_what_is_not_needed(counts, k, reasons, sensitive, shown_now, members)
    cells = {
        key: ProtectedCell.hidden(reasons[key]) if key in reasons else ProtectedCell.shown(values[key])
        for key in published
        if key not in fixed
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
        (
            key
            for key, reason in reasons.items()
            if reason == COMPLEMENTARY and key not in counts.fixed_hidden
        ),
        key=lambda c: (-counts.values[c], counts.order[c]),
    ):
        del reasons[key]
        near = _tied_to(key, reasons, members, counts)
        targets = [s for s in sensitive if s in near]
        if provably_small(
            shown_now(),
            counts.relations,
            ceiling=counts.ceiling,
            unpublished=counts.unpublished,
            known_empty=counts.known_empty,
            targets=targets,
            k=min(k, counts.ceiling),
            first_only=True,
        ):
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
                    elif values[other] > 0 and other not in counts.fixed_shown:
                        candidates.append(other)
        if candidates:
            return min(candidates, key=lambda c: (values[c], counts.order[c]))
        frontier = following
    return None

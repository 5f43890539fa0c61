"""Disclosure control: the one service every aggregate passes through (DESIGN §3 rule 2).

Employer-side users only ever see counts of groups. A count of a small group can point at
a person, so it is hidden (*primary suppression*); and because published totals allow
subtraction, more counts are hidden until no hidden count can be worked out exactly
(*complementary suppression*). ``docs/disclosure-control.md`` explains the rules and the
algorithms for newcomers; this module is the implementation.

The algorithms are plain Python so they can be tested without a database. Only
:func:`threshold_for` and :func:`freeze_period` touch Django models, and they import them
when called.

The attacker we defend against knows every published number, the shape of the table, that
zero counts are always shown (so every hidden count is at least 1) and which units have no
members of their own. Under that model a hidden count is safe when the published numbers
leave it room to move in at least one direction.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    from vitaal.core.models import ReportingPeriod, Sector

__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_THRESHOLDS",
    "OVERLAP",
    "PRIMARY",
    "TOTAL",
    "ProtectedBreakdowns",
    "ProtectedCell",
    "ProtectedNode",
    "ProtectedRow",
    "ProtectedSeries",
    "ProtectedTable",
    "ProtectedTree",
    "Reason",
    "freeze_period",
    "mask_statistics",
    "protect_breakdowns",
    "protect_counts",
    "protect_table",
    "protect_tree",
    "threshold_for",
]

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
V = TypeVar("V")

Reason = Literal["primary", "complementary", "overlap"]
PRIMARY: Reason = "primary"
COMPLEMENTARY: Reason = "complementary"
OVERLAP: Reason = "overlap"

DEFAULT_THRESHOLDS: dict[str, int] = {"care": 10, "survey": 5, "free_text": 10}


class _Total(enum.Enum):
    TOTAL = "total"

    def __repr__(self) -> str:
        return "TOTAL"


#: Key of a margin: ``series[TOTAL]``, ``table[row, TOTAL]``, ``table[TOTAL, TOTAL]``.
TOTAL = _Total.TOTAL


# --------------------------------------------------------------------------------------
# Result objects
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProtectedCell:
    """One published count. A suppressed cell has no value at all, so nothing downstream
    (templates, serialisers, logs) can leak it by accident."""

    value: int | None
    suppressed: bool
    reason: Reason | None = None

    def __post_init__(self) -> None:
        if self.suppressed and (self.value is not None or self.reason is None):
            raise ValueError("A suppressed cell carries a reason and no value.")
        if not self.suppressed and (self.value is None or self.reason is not None):
            raise ValueError("A shown cell carries a value and no reason.")

    @classmethod
    def shown(cls, value: int) -> ProtectedCell:
        return cls(value=value, suppressed=False)

    @classmethod
    def hidden(cls, reason: Reason) -> ProtectedCell:
        return cls(value=None, suppressed=True, reason=reason)

    def to_dict(self, *, include_reason: bool = False) -> dict[str, Any]:
        # The reason stays out of API output by default: "primary" would tell a reader that
        # the hidden count lies between 1 and k-1, which narrows it down.
        data: dict[str, Any] = {"value": self.value, "suppressed": self.suppressed}
        if include_reason:
            data["reason"] = self.reason
        return data

    def __str__(self) -> str:
        return "suppressed" if self.suppressed else str(self.value)


def _cell(value: int, reason: Reason | None) -> ProtectedCell:
    return ProtectedCell.shown(value) if reason is None else ProtectedCell.hidden(reason)


class ProtectedRow(NamedTuple, Generic[K, C]):
    """One row of a protected two-way table: its data cells by column, and its total."""

    key: K | _Total
    cells: dict[C, ProtectedCell]
    total: ProtectedCell


class ProtectedNode(NamedTuple, Generic[K]):
    """One group in a protected tree, in the order the groups were given."""

    key: K
    parent: K | None
    depth: int
    cell: ProtectedCell


class _Protected:
    """Behaviour shared by all protected results; subclasses say how a key finds a cell."""

    threshold: int

    def cell(self, key: Any) -> ProtectedCell:
        raise NotImplementedError

    def __getitem__(self, key: Any) -> ProtectedCell:
        return self.cell(key)

    def is_suppressed(self, key: Any) -> bool:
        return self.cell(key).suppressed

    def display(self, key: Any) -> int | None:
        return self.cell(key).value

    def __str__(self) -> str:
        return repr(self)


class ProtectedSeries(_Protected, Generic[K]):
    """A one-way table: counts per category plus their total (key :data:`TOTAL`)."""

    __slots__ = ("_cells", "threshold", "total")

    def __init__(self, cells: Mapping[K, ProtectedCell], total: ProtectedCell, threshold: int):
        self._cells: dict[K, ProtectedCell] = dict(cells)
        self.total = total
        self.threshold = threshold

    def cell(self, key: K | _Total) -> ProtectedCell:
        return self.total if key is TOTAL else self._cells[key]

    def keys(self) -> list[K]:
        return list(self._cells)

    def __iter__(self) -> Iterator[tuple[K, ProtectedCell]]:
        return iter(self._cells.items())

    def __len__(self) -> int:
        return len(self._cells)

    def to_dict(self, *, include_reasons: bool = False) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "cells": [
                {"key": key, **cell.to_dict(include_reason=include_reasons)}
                for key, cell in self._cells.items()
            ],
            "total": self.total.to_dict(include_reason=include_reasons),
        }

    def __repr__(self) -> str:
        cells = ", ".join(f"{key!r}: {cell}" for key, cell in self._cells.items())
        return f"ProtectedSeries(threshold={self.threshold}, cells={{{cells}}}, total={self.total})"


class ProtectedBreakdowns(_Protected, Generic[K]):
    """Several one-way breakdowns of one population (by gender, by age band, ...) that
    share a single total. Keys are ``(breakdown name, category)`` or :data:`TOTAL`."""

    __slots__ = ("_series", "threshold", "total")

    def __init__(self, series: Mapping[str, ProtectedSeries[K]], total: ProtectedCell, threshold: int):
        self._series: dict[str, ProtectedSeries[K]] = dict(series)
        self.total = total
        self.threshold = threshold

    def cell(self, key: tuple[str, K] | _Total) -> ProtectedCell:
        if key is TOTAL:
            return self.total
        name, category = key
        return self._series[name].cell(category)

    def names(self) -> list[str]:
        return list(self._series)

    def __getitem__(self, key: Any) -> Any:
        # A bare breakdown name returns its series, so templates can write breakdowns["gender"].
        if isinstance(key, str) and key in self._series:
            return self._series[key]
        return self.cell(key)

    def __iter__(self) -> Iterator[tuple[str, ProtectedSeries[K]]]:
        return iter(self._series.items())

    def __len__(self) -> int:
        return len(self._series)

    def to_dict(self, *, include_reasons: bool = False) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "total": self.total.to_dict(include_reason=include_reasons),
            "breakdowns": [
                {
                    "name": name,
                    "cells": series.to_dict(include_reasons=include_reasons)["cells"],
                }
                for name, series in self._series.items()
            ],
        }

    def __repr__(self) -> str:
        parts = ", ".join(f"{name!r}: {series!r}" for name, series in self._series.items())
        return f"ProtectedBreakdowns(threshold={self.threshold}, {{{parts}}}, total={self.total})"


class ProtectedTable(_Protected, Generic[R, C]):
    """A two-way table with row totals, column totals and a grand total.

    Keys are ``(row, column)``; either part may be :data:`TOTAL` for a margin. Iterating
    yields the data rows; :attr:`totals` is the row of column totals.
    """

    __slots__ = ("_cells", "columns", "rows", "threshold")

    def __init__(
        self,
        rows: Sequence[R],
        columns: Sequence[C],
        cells: Mapping[tuple[R | _Total, C | _Total], ProtectedCell],
        threshold: int,
    ):
        self.rows: list[R] = list(rows)
        self.columns: list[C] = list(columns)
        self._cells: dict[tuple[R | _Total, C | _Total], ProtectedCell] = dict(cells)
        self.threshold = threshold

    def cell(self, key: tuple[R | _Total, C | _Total]) -> ProtectedCell:
        return self._cells[key]

    @property
    def grand_total(self) -> ProtectedCell:
        return self._cells[TOTAL, TOTAL]

    def row_total(self, row: R) -> ProtectedCell:
        return self._cells[row, TOTAL]

    def column_total(self, column: C) -> ProtectedCell:
        return self._cells[TOTAL, column]

    def _row(self, row: R | _Total) -> ProtectedRow[Any, C]:
        cells = {column: self._cells[row, column] for column in self.columns}
        return ProtectedRow(row, cells, self._cells[row, TOTAL])

    @property
    def totals(self) -> ProtectedRow[Any, C]:
        return self._row(TOTAL)

    def __iter__(self) -> Iterator[ProtectedRow[R, C]]:
        for row in self.rows:
            yield self._row(row)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self, *, include_reasons: bool = False) -> dict[str, Any]:
        def row_dict(row: ProtectedRow[Any, C]) -> dict[str, Any]:
            return {
                "cells": [
                    {"key": column, **cell.to_dict(include_reason=include_reasons)}
                    for column, cell in row.cells.items()
                ],
                "total": row.total.to_dict(include_reason=include_reasons),
            }

        return {
            "threshold": self.threshold,
            "columns": list(self.columns),
            "rows": [{"key": row.key, **row_dict(row)} for row in self],
            "totals": row_dict(self.totals),
        }

    def __repr__(self) -> str:
        lines = []
        for row in [*self, self.totals]:
            cells = ", ".join(str(cell) for cell in row.cells.values())
            lines.append(f"{row.key!r}: [{cells} | {row.total}]")
        return f"ProtectedTable(threshold={self.threshold}, {{{'; '.join(lines)}}})"


class ProtectedTree(_Protected, Generic[K]):
    """Counts of nested groups (an organisation's units), each including its sub-groups."""

    __slots__ = ("_nodes", "threshold")

    def __init__(self, nodes: Sequence[ProtectedNode[K]], threshold: int):
        self._nodes: dict[K, ProtectedNode[K]] = {node.key: node for node in nodes}
        self.threshold = threshold

    def cell(self, key: K) -> ProtectedCell:
        return self._nodes[key].cell

    def node(self, key: K) -> ProtectedNode[K]:
        return self._nodes[key]

    def keys(self) -> list[K]:
        return list(self._nodes)

    def __iter__(self) -> Iterator[ProtectedNode[K]]:
        return iter(self._nodes.values())

    def __len__(self) -> int:
        return len(self._nodes)

    def to_dict(self, *, include_reasons: bool = False) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "nodes": [
                {
                    "key": node.key,
                    "parent": node.parent,
                    **node.cell.to_dict(include_reason=include_reasons),
                }
                for node in self._nodes.values()
            ],
        }

    def __repr__(self) -> str:
        nodes = ", ".join(f"{node.key!r}: {node.cell}" for node in self._nodes.values())
        return f"ProtectedTree(threshold={self.threshold}, {{{nodes}}})"


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def _check_threshold(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"The minimum cell size must be a positive integer, not {k!r}.")
    return k


def _check_count(value: object, where: object) -> int:
    # bool is an int subclass; a True slipping in as "1" would be a silent bug.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Count for {where!r} must be a non-negative integer, not {value!r}.")
    return value


def _is_small(value: int, k: int) -> bool:
    # Zero is published: an empty group points at nobody.
    return 0 < value < k


# --------------------------------------------------------------------------------------
# One-way tables and breakdowns sharing a total
# --------------------------------------------------------------------------------------


def _protect_line(
    values: Sequence[int], total: int, k: int, *, total_hidden: bool
) -> tuple[list[Reason | None], Reason | None]:
    """Protect one relation ``total = sum(values)``; returns a reason per value and for the
    total (None = shown).

    With the total shown, the hidden values add up to a published difference. That sum
    must not itself be a small group, and not all hidden values may be 1 (every hidden
    value is known to be at least 1, so all-ones would pin each of them).
    """
    reasons: list[Reason | None] = [PRIMARY if _is_small(v, k) else None for v in values]
    total_reason: Reason | None = PRIMARY if _is_small(total, k) else None
    if total_reason is None and total_hidden:
        total_reason = COMPLEMENTARY

    def cheapest_shown() -> int | None:
        # Zero cells are never used: hiding a zero protects nothing, and it would break the
        # promise that every hidden count is at least 1.
        candidates = [i for i, v in enumerate(values) if v > 0 and reasons[i] is None]
        return min(candidates, key=lambda i: (values[i], i), default=None)

    hidden = [v for v, reason in zip(values, reasons, strict=True) if reason is not None]
    if total_reason is not None:
        # The hidden total is one unknown; one hidden category is enough for it and the
        # category to move up and down together.
        if not hidden:
            pick = cheapest_shown()
            if pick is None:
                raise RuntimeError("A hidden total needs a positive category to pair with.")
            reasons[pick] = COMPLEMENTARY
    elif hidden and (len(hidden) == 1 or sum(hidden) < k or sum(hidden) == len(hidden)):
        pick = cheapest_shown()
        if pick is None:
            # Every positive category is hidden and all are 1: only the total can still hide.
            total_reason = COMPLEMENTARY
        else:
            reasons[pick] = COMPLEMENTARY
    return reasons, total_reason


def protect_breakdowns(breakdowns: Mapping[str, Mapping[K, int]], k: int) -> ProtectedBreakdowns[K]:
    """Protect several breakdowns of one population shown side by side.

    Every breakdown must add up to the same total (put "unknown" in a category of its own).
    Each breakdown is protected as a one-way table; the total is shown in all or in none,
    because a total shown anywhere is known everywhere.
    """
    _check_threshold(k)
    if not breakdowns:
        raise ValueError("At least one breakdown is needed.")
    lines: dict[str, tuple[list[K], list[int]]] = {}
    totals = set()
    for name, counts in breakdowns.items():
        if not counts:
            raise ValueError(f"Breakdown {name!r} has no categories.")
        keys = list(counts)
        values = [_check_count(counts[key], (name, key)) for key in keys]
        lines[name] = (keys, values)
        totals.add(sum(values))
    if len(totals) != 1:
        raise ValueError(f"The breakdowns do not share one total: {sorted(totals)}.")
    total = totals.pop()

    total_hidden = _is_small(total, k)
    while True:
        results = {
            name: _protect_line(values, total, k, total_hidden=total_hidden)
            for name, (_keys, values) in lines.items()
        }
        if not total_hidden and any(total_reason for _r, total_reason in results.values()):
            # One breakdown could only be protected by hiding the total: hide it everywhere
            # and redo the others, which may then need a hidden category of their own.
            total_hidden = True
            continue
        break

    total_reason = PRIMARY if _is_small(total, k) else (COMPLEMENTARY if total_hidden else None)
    total_cell = _cell(total, total_reason)
    series: dict[str, ProtectedSeries[K]] = {}
    for name, (keys, values) in lines.items():
        reasons, _ = results[name]
        cells = {key: _cell(value, reason) for key, value, reason in zip(keys, values, reasons, strict=True)}
        series[name] = ProtectedSeries(cells, total_cell, k)
    return ProtectedBreakdowns(series, total_cell, k)


def protect_counts(counts: Mapping[K, int], k: int) -> ProtectedSeries[K]:
    """Protect a one-way table (counts per category plus their total).

    Ties between equally cheap complementary cells go to the category that comes first in
    ``counts``; pass the categories in display order.
    """
    return next(iter(protect_breakdowns({"": counts}, k)))[1]


# --------------------------------------------------------------------------------------
# Flow network: the shared engine for two-way tables and trees
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edge:
    tail: int
    head: int
    value: int
    unknown: bool  # hidden from the reader: a suppressed count or an unpublished remainder
    usable: bool  # may be suppressed as a complement


class _Network:
    """Published counts as flows on a directed graph where every node balances.

    A two-way table and a tree of groups both fit this shape: each count appears in at
    most two sum relations, once on each side. Hidden counts can then only change together
    along cycles of hidden edges, so "can a hidden count be worked out?" becomes "does its
    edge lie on a cycle of hidden edges that can be walked without pushing any hidden
    count below 1?". Walking an edge forwards raises its count; backwards lowers it,
    which needs the count to be at least 2.
    """

    def __init__(self, size: int):
        self.edges: list[_Edge] = []
        self._out: list[list[int]] = [[] for _ in range(size)]
        self._in: list[list[int]] = [[] for _ in range(size)]

    def add(self, tail: int, head: int, value: int, *, unknown: bool, usable: bool = True) -> int:
        edge_id = len(self.edges)
        self.edges.append(_Edge(tail, head, value, unknown, usable))
        self._out[tail].append(edge_id)
        self._in[head].append(edge_id)
        return edge_id

    def _arcs(self, node: int, exclude: int, *, hidden_only: bool) -> Iterator[tuple[int, int, int]]:
        """Yield (next node, edge, cost) for each step out of ``node``."""
        for edge_id in self._out[node]:
            edge = self.edges[edge_id]
            if edge_id == exclude:
                continue
            if edge.unknown:
                yield edge.head, edge_id, 0
            elif not hidden_only and edge.usable and edge.value > 0:
                yield edge.head, edge_id, edge.value
        for edge_id in self._in[node]:
            edge = self.edges[edge_id]
            if edge_id == exclude or edge.value < 2:
                continue
            if edge.unknown:
                yield edge.tail, edge_id, 0
            elif not hidden_only and edge.usable:
                yield edge.tail, edge_id, edge.value

    def _path(
        self, source: int, target: int, exclude: int, *, hidden_only: bool
    ) -> tuple[tuple[int, int], list[int]] | None:
        """Cheapest walk from source to target: least total count newly hidden, then fewest
        cells. Already hidden edges are free, so existing suppressions are reused first."""
        best: dict[int, tuple[int, int]] = {source: (0, 0)}
        came_from: dict[int, tuple[int, int]] = {}
        done: set[int] = set()
        heap: list[tuple[tuple[int, int], int]] = [((0, 0), source)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            if node == target:
                break
            for nxt, edge_id, step in self._arcs(node, exclude, hidden_only=hidden_only):
                new_cost = (cost[0] + step, cost[1] + (1 if step else 0))
                if nxt not in best or new_cost < best[nxt]:
                    best[nxt] = new_cost
                    came_from[nxt] = (node, edge_id)
                    heapq.heappush(heap, (new_cost, nxt))
        if target not in done:
            return None
        path = []
        node = target
        while node != source:
            node, edge_id = came_from[node]
            path.append(edge_id)
        return best[target], path[::-1]

    def is_protected(self, edge_id: int) -> bool:
        edge = self.edges[edge_id]
        if self._path(edge.head, edge.tail, edge_id, hidden_only=True) is not None:
            return True
        return edge.value >= 2 and (self._path(edge.tail, edge.head, edge_id, hidden_only=True) is not None)

    def protect(self, edge_ids: Iterable[int]) -> list[int]:
        """Close every given hidden edge into a movable cycle; returns the edges newly
        hidden, in the order they were chosen."""
        queue = list(edge_ids)
        added: list[int] = []
        position = 0
        while position < len(queue):
            edge_id = queue[position]
            position += 1
            if self.is_protected(edge_id):
                continue
            edge = self.edges[edge_id]
            options = [self._path(edge.head, edge.tail, edge_id, hidden_only=False)]
            if edge.value >= 2:
                options.append(self._path(edge.tail, edge.head, edge_id, hidden_only=False))
            found = [option for option in options if option is not None]
            if not found:
                raise RuntimeError("No complementary suppression pattern exists.")
            _cost, path = min(found, key=lambda option: option[0])
            for step in path:
                if not self.edges[step].unknown:
                    self.edges[step].unknown = True
                    added.append(step)
                    queue.append(step)
        return added

    def protect_sums(self, k: int) -> list[int]:
        """At a node whose hidden edges all sit on one side, their sum is a published
        difference ("total minus shown parts") and so a group size of its own: it must be
        0 or at least k. Adding a shown edge of that side (each is >= k) settles it."""
        added: list[int] = []
        for node in range(len(self._out)):
            hidden_in = [e for e in self._in[node] if self.edges[e].unknown]
            hidden_out = [e for e in self._out[node] if self.edges[e].unknown]
            if bool(hidden_in) == bool(hidden_out):
                continue
            side, other = (
                (self._in[node], self._out[node]) if hidden_in else (self._out[node], self._in[node])
            )
            if not _is_small(sum(self.edges[e].value for e in side if self.edges[e].unknown), k):
                continue
            pick = self._cheapest_shown(side)
            if pick is None:
                pick = self._cheapest_shown(other)
            if pick is None:
                raise RuntimeError("No shown count left to hide beside a small difference.")
            self.edges[pick].unknown = True
            added.append(pick)
        return added

    def _cheapest_shown(self, edge_ids: Sequence[int]) -> int | None:
        candidates = [
            e
            for e in edge_ids
            if not self.edges[e].unknown and self.edges[e].usable and self.edges[e].value > 0
        ]
        return min(candidates, key=lambda e: (self.edges[e].value, e), default=None)


# --------------------------------------------------------------------------------------
# Two-way tables
# --------------------------------------------------------------------------------------


def protect_table(
    table: Mapping[R, Mapping[C, int]], k: int, *, columns: Sequence[C] | None = None
) -> ProtectedTable[R, C]:
    """Protect a two-way table; row, column and grand totals are computed and protected too.

    ``table`` maps each row key to its counts by column; a missing column counts as 0.
    ``columns`` fixes the column order (default: order of first appearance). Ties between
    equally cheap patterns go to the cell that comes first row by row.
    """
    _check_threshold(k)
    rows = list(table)
    if columns is None:
        columns = list(dict.fromkeys(column for row in rows for column in table[row]))
    columns = list(columns)
    if not rows or not columns:
        raise ValueError("A two-way table needs at least one row and one column.")
    for row in rows:
        unknown_columns = set(table[row]) - set(columns)
        if unknown_columns:
            raise ValueError(f"Row {row!r} has columns not in the column list: {unknown_columns}.")
    data = [[_check_count(table[row].get(column, 0), (row, column)) for column in columns] for row in rows]
    row_sums = [sum(line) for line in data]
    column_sums = [sum(data[i][j] for i in range(len(rows))) for j in range(len(columns))]
    grand = sum(row_sums)

    keys: list[tuple[Any, Any]] = [(row, column) for row in rows for column in columns]
    values = [data[i][j] for i in range(len(rows)) for j in range(len(columns))]
    reasons: dict[tuple[Any, Any], Reason | None]

    if len(rows) == 1 or len(columns) == 1:
        # One data row (or column): its margins repeat the data, so the table is really a
        # one-way table. Protect that and mirror each decision onto its duplicate.
        line_reasons, total_reason = _protect_line(values, grand, k, total_hidden=False)
        reasons = {}
        for (row, column), reason in zip(keys, line_reasons, strict=True):
            reasons[row, column] = reason
            reasons[(TOTAL, column) if len(rows) == 1 else (row, TOTAL)] = reason
        for row in rows:
            reasons.setdefault((row, TOTAL), total_reason)
        for column in columns:
            reasons.setdefault((TOTAL, column), total_reason)
        reasons[TOTAL, TOTAL] = total_reason
        cells: dict[tuple[Any, Any], int] = dict(zip(keys, values, strict=True))
        cells.update({(row, TOTAL): s for row, s in zip(rows, row_sums, strict=True)})
        cells.update({(TOTAL, c): s for c, s in zip(columns, column_sums, strict=True)})
        cells[TOTAL, TOTAL] = grand
        return ProtectedTable(rows, columns, _cells_in_order(rows, columns, cells, reasons), k)

    # Nodes: one per extended row (the last is the column-totals row), then one per
    # extended column (the last is the row-totals column). Edges are oriented so that
    # every node balances: data cell row->column, row total total-column->row, column
    # total column->total-row, grand total total-row->total-column.
    n_rows, n_cols = len(rows), len(columns)
    total_row, total_col = n_rows, n_rows + 1 + n_cols

    def col_node(j: int) -> int:
        return n_rows + 1 + j

    network = _Network(n_rows + n_cols + 2)
    edge_keys: list[tuple[Any, Any]] = []
    edge_values: list[int] = []
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            network.add(i, col_node(j), data[i][j], unknown=_is_small(data[i][j], k))
            edge_keys.append((row, column))
            edge_values.append(data[i][j])
        network.add(total_col, i, row_sums[i], unknown=_is_small(row_sums[i], k))
        edge_keys.append((row, TOTAL))
        edge_values.append(row_sums[i])
    for j, column in enumerate(columns):
        network.add(col_node(j), total_row, column_sums[j], unknown=_is_small(column_sums[j], k))
        edge_keys.append((TOTAL, column))
        edge_values.append(column_sums[j])
    network.add(total_row, total_col, grand, unknown=_is_small(grand, k))
    edge_keys.append((TOTAL, TOTAL))
    edge_values.append(grand)

    edge_reasons: list[Reason | None] = [PRIMARY if edge.unknown else None for edge in network.edges]
    added = network.protect_sums(k)
    added += network.protect([e for e, edge in enumerate(network.edges) if edge.unknown])
    for edge_id in added:
        edge_reasons[edge_id] = COMPLEMENTARY
    reasons = dict(zip(edge_keys, edge_reasons, strict=True))
    cells = dict(zip(edge_keys, edge_values, strict=True))
    return ProtectedTable(rows, columns, _cells_in_order(rows, columns, cells, reasons), k)


def _cells_in_order(
    rows: Sequence[Any],
    columns: Sequence[Any],
    values: Mapping[tuple[Any, Any], int],
    reasons: Mapping[tuple[Any, Any], Reason | None],
) -> dict[tuple[Any, Any], ProtectedCell]:
    keys = [(row, column) for row in [*rows, TOTAL] for column in [*columns, TOTAL]]
    return {key: _cell(values[key], reasons[key]) for key in keys}


# --------------------------------------------------------------------------------------
# Nested groups
# --------------------------------------------------------------------------------------


def protect_tree(counts: Mapping[K, int], parents: Mapping[K, K | None], k: int) -> ProtectedTree[K]:
    """Protect the counts of nested groups, each count including all its sub-groups.

    ``parents`` maps a group to the group directly above it (None or absent for a top
    group). Pass the tree as it is published: if a level is left out of the report, hang
    its children under the next shown level. Apart from the primary rule, a shown group
    minus its shown sub-groups (the members it has of its own, plus any hidden sub-groups)
    must not be a small group; that covers "parent minus child" as a special case.
    """
    _check_threshold(k)
    keys = list(counts)
    index = {key: i for i, key in enumerate(keys)}
    values = [_check_count(counts[key], key) for key in keys]
    parent: list[int | None] = []
    for key in keys:
        above = parents.get(key)
        if above is not None and above not in index:
            raise ValueError(f"The parent {above!r} of {key!r} has no count.")
        parent.append(None if above is None else index[above])
    unknown_keys = set(parents) - set(index)
    if unknown_keys:
        raise ValueError(f"Parents are given for groups without a count: {unknown_keys}.")

    size = len(keys)
    children: list[list[int]] = [[] for _ in range(size)]
    for i, p in enumerate(parent):
        if p is not None:
            children[p].append(i)
    depth = _depths(parent, keys)
    own = [values[i] - sum(values[c] for c in children[i]) for i in range(size)]
    for i in range(size):
        if own[i] < 0:
            raise ValueError(f"{keys[i]!r} counts fewer than its sub-groups together.")

    reasons: list[Reason | None] = [PRIMARY if _is_small(v, k) else None for v in values]

    def shown(i: int) -> bool:
        return reasons[i] is None

    def unexplained(x: int) -> int:
        # What a reader gets from x minus the nearest shown groups below it: x's own
        # members plus those of hidden groups in between.
        below = 0
        stack = list(children[x])
        while stack:
            c = stack.pop()
            if shown(c):
                below += values[c]
            else:
                stack.extend(children[c])
        return values[x] - below

    def cheapest_cover(x: int) -> list[int]:
        # Hide the cheapest chain of shown groups below x that ends in a group whose own
        # unexplained part is positive (hence >= k): that part then joins x's.
        best: tuple[int, int, int] | None = None
        best_path: list[int] = []
        order = 0
        stack: list[tuple[int, int, list[int]]] = [(c, 0, []) for c in reversed(children[x])]
        while stack:
            c, cost, path = stack.pop()
            order += 1
            if not shown(c):
                # Already hidden: passing through costs nothing.
                stack.extend((g, cost, path) for g in reversed(children[c]))
                continue
            if values[c] == 0:
                continue
            cost, path = cost + values[c], [*path, c]
            if unexplained(c) > 0:
                candidate = (cost, len(path), order)
                if best is None or candidate < best:
                    best, best_path = candidate, path
            else:
                # Nothing unexplained in c itself: hiding c alone gains nothing, look deeper.
                stack.extend((g, cost, path) for g in reversed(children[c]))
        if best is None:
            raise RuntimeError("No sub-group can cover a small remainder.")
        return best_path

    # Bottom-up, so that every shown group below x is already in order when x is handled.
    for x in sorted(range(size), key=lambda i: (-depth[i], i)):
        while shown(x) and _is_small(unexplained(x), k):
            for y in cheapest_cover(x):
                reasons[y] = OVERLAP

    # Exactness: each group is an edge from its own balance node (or the outside node 0
    # for a leaf) to its parent's (or the outside for a top group); each unit's own
    # members are an unpublished edge from the outside into its node.
    node_of = {i: n + 1 for n, i in enumerate(i for i in range(size) if children[i])}
    network = _Network(len(node_of) + 1)
    edge_of: dict[int, int] = {}
    for i in range(size):
        tail = node_of.get(i, 0)
        head = 0 if parent[i] is None else node_of[parent[i]]  # type: ignore[index]
        if tail == head == 0:
            continue  # a lone group: no sum involves it, so nothing can be derived
        edge_of[i] = network.add(tail, head, values[i], unknown=not shown(i))
    sensitive: list[int] = []
    for i, node in node_of.items():
        if own[i] > 0:
            edge_id = network.add(0, node, own[i], unknown=True, usable=False)
            if _is_small(own[i], k):
                sensitive.append(edge_id)
    group_of = {edge_id: i for i, edge_id in edge_of.items()}
    hidden_groups = [edge_of[i] for i in range(size) if i in edge_of and not shown(i)]
    for edge_id in network.protect([*hidden_groups, *sensitive]):
        reasons[group_of[edge_id]] = COMPLEMENTARY

    nodes = [
        ProtectedNode(
            keys[i],
            None if parent[i] is None else keys[parent[i]],  # type: ignore[index]
            depth[i],
            _cell(values[i], reasons[i]),
        )
        for i in range(size)
    ]
    return ProtectedTree(nodes, k)


def _depths(parent: Sequence[int | None], keys: Sequence[Any]) -> list[int]:
    depth: list[int | None] = [None] * len(parent)
    for start in range(len(parent)):
        chain = []
        node: int | None = start
        while node is not None and depth[node] is None:
            if node in chain:
                raise ValueError(f"The groups above {keys[node]!r} form a cycle.")
            chain.append(node)
            node = parent[node]
        base = -1 if node is None else depth[node]
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset  # type: ignore[operator]
    return [d for d in depth if d is not None]


# --------------------------------------------------------------------------------------
# Statistics riding on counts
# --------------------------------------------------------------------------------------


def mask_statistics(protected: _Protected, statistics: Mapping[Any, V]) -> dict[Any, V | None]:
    """Blank every statistic (mean, percentage, interval, ...) whose group count is hidden.

    ``statistics`` uses the same keys as ``protected``. A key without a count raises
    KeyError rather than passing through unprotected. A statistic that depends on more
    than one count (a share of a total) must be keyed by the smallest group it uses.
    """
    return {key: None if protected.is_suppressed(key) else value for key, value in statistics.items()}


# --------------------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------------------


def threshold_for(sector: Sector, data_class: str, period: ReportingPeriod | None = None) -> int:
    """The minimum cell size for a kind of data: the period's frozen value if it has one
    (a report about a closed period never reveals more after a later settings change),
    otherwise the sector's current setting, otherwise the default."""
    from vitaal.core.models.organisation import DataClass

    data_class = str(data_class)
    if data_class not in DataClass.values:
        raise ValueError(f"Unknown data class {data_class!r}.")
    if period is not None and sector is not None:
        period_sector = getattr(period, "sector_id", None)
        if period_sector is not None and sector.pk is not None and period_sector != sector.pk:
            raise ValueError("The reporting period belongs to another sector.")
    if period is not None and period.frozen_thresholds:
        frozen = period.frozen_thresholds.get(data_class)
        if frozen:
            return int(frozen)
    current = sector.thresholds().get(data_class) if sector is not None else None
    return int(current) if current else DEFAULT_THRESHOLDS[data_class]


def freeze_period(period: ReportingPeriod) -> None:
    """Record the sector's current thresholds in the period, once. A frozen period is
    never changed again, also when two processes freeze it at the same moment."""
    from django.utils import timezone

    from vitaal.core.models.organisation import ReportingPeriod

    if period.frozen_thresholds is not None:
        return
    thresholds = {str(key): int(value) for key, value in period.sector.thresholds().items()}
    now = timezone.now()
    if period.pk is None:
        period.frozen_thresholds, period.frozen_at = thresholds, now
        period.save()
        return
    # A conditional update, so a concurrent freeze that won first is never overwritten.
    ReportingPeriod.objects.filter(pk=period.pk, frozen_thresholds__isnull=True).update(
        frozen_thresholds=thresholds, frozen_at=now
    )
    period.refresh_from_db(fields=["frozen_thresholds", "frozen_at"])

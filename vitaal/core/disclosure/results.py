"""Result objects of disclosure control: protected cells, series, tables and trees, and
the statistics that ride on their counts."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
V = TypeVar("V")

Reason = Literal["primary", "complementary", "overlap"]
PRIMARY: Reason = "primary"
COMPLEMENTARY: Reason = "complementary"
OVERLAP: Reason = "overlap"


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


class _Protected(ABC):
    """Behaviour shared by all protected results; subclasses say how a key finds a cell."""

    threshold: int

    @abstractmethod
    def cell(self, key: Any) -> ProtectedCell:
        """The protected cell for a key."""

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
# Statistics riding on counts
# --------------------------------------------------------------------------------------


def mask_statistics(protected: _Protected, statistics: Mapping[Any, V]) -> dict[Any, V | None]:
    """Blank every statistic (mean, percentage, interval, ...) whose group count is hidden.

    ``statistics`` uses the same keys as ``protected``. A key without a count raises
    KeyError rather than passing through unprotected. A statistic that depends on more
    than one count (a share of a total) must be keyed by the smallest group it uses.
    """
    return {key: None if protected.is_suppressed(key) else value for key, value in statistics.items()}

"""Two-way tables with row, column and grand totals (2-D protection)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vitaal.core.disclosure.checks import _check_count, _check_threshold, _is_small
from vitaal.core.disclosure.lines import _protect_line
from vitaal.core.disclosure.network import _Network
from vitaal.core.disclosure.results import (
    COMPLEMENTARY,
    PRIMARY,
    TOTAL,
    C,
    ProtectedCell,
    ProtectedTable,
    R,
    Reason,
    _cell,
)

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

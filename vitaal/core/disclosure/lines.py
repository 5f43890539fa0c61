"""One-way tables and several breakdowns sharing a total (1-D protection)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vitaal.core.disclosure.checks import _check_count, _check_threshold, _is_small
from vitaal.core.disclosure.results import (
    COMPLEMENTARY,
    PRIMARY,
    K,
    ProtectedBreakdowns,
    ProtectedSeries,
    Reason,
    _cell,
)

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

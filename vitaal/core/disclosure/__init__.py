"""Disclosure control: the one service every aggregate passes through (DESIGN §3 rule 2).

Employer-side users only ever see counts of groups. A count of a small group can point at
a person, so it is hidden (*primary suppression*); and because published totals allow
subtraction, more counts are hidden until no hidden count can be worked out exactly
(*complementary suppression*). ``docs/disclosure-control.md`` explains the rules and the
algorithms for newcomers; this package is the implementation.

The algorithms are plain Python so they can be tested without a database. Only
:func:`threshold_for` and :func:`freeze_period` touch Django models, and they import them
when called.

The attacker we defend against knows every published number, the shape of the table, that
zero counts are always shown (so every hidden count is at least 1) and which units have no
members of their own. Under that model a hidden count is safe when the published numbers
leave it room to move in at least one direction.
"""

from vitaal.core.disclosure.lines import protect_breakdowns, protect_counts
from vitaal.core.disclosure.results import (
    COMPLEMENTARY,
    OVERLAP,
    PRIMARY,
    TOTAL,
    ProtectedBreakdowns,
    ProtectedCell,
    ProtectedNode,
    ProtectedRow,
    ProtectedSeries,
    ProtectedTable,
    ProtectedTree,
    Reason,
    mask_statistics,
)
from vitaal.core.disclosure.tables import protect_table
from vitaal.core.disclosure.thresholds import DEFAULT_THRESHOLDS, freeze_period, threshold_for
from vitaal.core.disclosure.trees import protect_tree

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

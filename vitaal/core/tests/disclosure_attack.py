"""The attacker of the disclosure-control tests: everything a reader could derive from a
protected table by linear programming, and the shared Hypothesis settings."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

ATTACK = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Many small values, so that primary and complementary suppression both get exercised.
counts_st = st.one_of(st.integers(0, 4), st.integers(0, 12), st.integers(0, 40))
k_st = st.integers(3, 11)


# --------------------------------------------------------------------------------------
# The attacker
# --------------------------------------------------------------------------------------

Equation = Mapping[Hashable, int]  # coefficients of sum(coef * value) == 0


def assert_nothing_pinned(
    values: Mapping[Hashable, int],
    hidden: Sequence[Hashable],
    equations: Sequence[Equation],
    sensitive: Sequence[Hashable] | None = None,
) -> None:
    """Every sensitive hidden value (default: every hidden value) must have another value
    that fits everything published."""
    if not hidden:
        return
    column = {key: i for i, key in enumerate(hidden)}
    rows, rhs = [], []
    for equation in equations:
        row = np.zeros(len(hidden))
        known = 0
        for key, coef in equation.items():
            if key in column:
                row[column[key]] += coef
            else:
                known += coef * values[key]
        if row.any():
            rows.append(row)
            rhs.append(-known)
        else:
            assert known == 0  # a fully published relation must hold
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    truth = np.array([values[key] for key in hidden], dtype=float)
    assert (truth >= 1).all(), "hidden counts must be positive"
    if a_eq is not None:
        assert np.allclose(a_eq @ truth, b_eq)
    bounds = [(1, None)] * len(hidden)
    for key in hidden if sensitive is None else sensitive:
        i = column[key]
        for sign in (-1.0, 1.0):  # maximise, then minimise
            objective = np.zeros(len(hidden))
            objective[i] = sign
            result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if result.status == 3:  # unbounded: the value can grow without limit
                break
            assert result.status == 0, result.message
            if abs(result.x[i] - truth[i]) > 1e-6:
                break
        else:
            pytest.fail(f"hidden value {key!r} can be worked out exactly as {truth[i]:g}")


def assert_primary_rule(values: Mapping[Hashable, int], protected: Any, k: int) -> None:
    for key, value in values.items():
        if 0 < value < k:
            assert protected.is_suppressed(key), f"{key!r}={value} is below {k} but shown"
        if protected.is_suppressed(key):
            assert value > 0, f"zero cell {key!r} was hidden"
        else:
            assert protected.display(key) == value
            assert not 0 < value < k


def assert_difference_not_small(difference: int, k: int, what: str) -> None:
    assert not 0 < difference < k, f"{what} = {difference} is a small group"


# A textbook two-way table: one small cell (r1, B) needs a 2x2 block of partners.
CLASSIC = {
    "r1": {"A": 20, "B": 3, "C": 25},
    "r2": {"A": 30, "B": 40, "C": 12},
    "r3": {"A": 15, "B": 25, "C": 30},
}

"""Disclosure control: worked examples, leak checks and linear-programming attacks.

The attack tests play the reader: they take everything a protected result publishes, add
what the reader knows for free (hidden counts are whole numbers of at least 1, because
zeros are always shown) and ask scipy for the smallest and largest value each hidden
count can take. If the two meet, the count has been worked out and the protection failed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from vitaal.core.disclosure import (
    COMPLEMENTARY,
    OVERLAP,
    PRIMARY,
    TOTAL,
    ProtectedCell,
    mask_statistics,
    protect_breakdowns,
    protect_counts,
    protect_table,
    protect_tree,
)

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


# --------------------------------------------------------------------------------------
# One-way tables and breakdowns: worked examples
# --------------------------------------------------------------------------------------


def test_one_small_cell_gets_the_smallest_positive_partner() -> None:
    result = protect_counts({"a": 3, "b": 20, "c": 15, "d": 40}, 5)

    assert result["a"].reason == PRIMARY
    assert result["c"].reason == COMPLEMENTARY
    assert not result.is_suppressed("b")
    assert not result.is_suppressed("d")
    assert result.display(TOTAL) == 78


def test_partner_ties_go_to_the_first_key() -> None:
    result = protect_counts({"a": 2, "b": 20, "c": 20}, 5)

    assert result.is_suppressed("b")
    assert not result.is_suppressed("c")


def test_small_total_is_suppressed_with_its_cells() -> None:
    result = protect_counts({"a": 2, "b": 1, "c": 0}, 5)

    assert result.total.reason == PRIMARY
    assert result.is_suppressed("a")
    assert result.is_suppressed("b")
    assert result.display("c") == 0


def test_zero_cells_are_shown_and_never_used_as_partners() -> None:
    result = protect_counts({"a": 0, "b": 12, "c": 3, "d": 0, "e": 14}, 5)

    assert result.display("a") == 0
    assert result.display("d") == 0
    assert result.is_suppressed("c")
    assert result["b"].reason == COMPLEMENTARY
    assert not result.is_suppressed("e")


def test_small_cells_that_add_up_to_a_small_group_get_a_partner() -> None:
    # Total minus the shown cells would give 1 + 2 = 3 people in "a or b".
    result = protect_counts({"a": 1, "b": 2, "c": 30, "d": 25}, 5)

    assert result["d"].reason == COMPLEMENTARY
    assert not result.is_suppressed("c")


def test_hidden_ones_are_never_left_alone() -> None:
    # Three hidden cells adding up to 3: each must be 1, since zeros are shown.
    result = protect_counts({"a": 1, "b": 1, "c": 1, "d": 0}, 3)

    assert result.total.reason == COMPLEMENTARY
    assert_nothing_pinned(
        {"a": 1, "b": 1, "c": 1, "T": 3}, ["a", "b", "c", "T"], [{"a": 1, "b": 1, "c": 1, "T": -1}]
    )


def test_breakdowns_hide_the_shared_total_everywhere() -> None:
    result = protect_breakdowns({"gender": {"f": 2, "m": 1, "x": 0}, "age": {"young": 3, "old": 0}}, 5)

    assert result.total.suppressed
    assert result["gender"].total.suppressed
    assert result["age"].total.suppressed
    assert result.is_suppressed(("age", "young"))
    assert result.display(("age", "old")) == 0


def test_breakdowns_are_protected_one_by_one_under_a_shown_total() -> None:
    result = protect_breakdowns({"gender": {"f": 3, "m": 27}, "age": {"young": 12, "old": 18}}, 5)

    assert result.display(TOTAL) == 30
    assert result.is_suppressed(("gender", "f"))
    assert result.is_suppressed(("gender", "m"))
    assert not result.is_suppressed(("age", "young"))


def test_breakdowns_must_share_their_total() -> None:
    with pytest.raises(ValueError, match="share one total"):
        protect_breakdowns({"gender": {"f": 3, "m": 27}, "age": {"young": 12}}, 5)


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3"])
def test_counts_must_be_non_negative_integers(bad: Any) -> None:
    with pytest.raises(ValueError):
        protect_counts({"a": bad, "b": 10}, 5)


@pytest.mark.parametrize("bad", [0, -3, 2.0])
def test_threshold_must_be_a_positive_integer(bad: Any) -> None:
    with pytest.raises(ValueError):
        protect_counts({"a": 1}, bad)


# --------------------------------------------------------------------------------------
# One-way tables and breakdowns: attacks
# --------------------------------------------------------------------------------------


def attack_breakdowns(breakdowns: dict[str, list[int]], k: int) -> None:
    protected = protect_breakdowns({name: dict(enumerate(values)) for name, values in breakdowns.items()}, k)
    total = sum(next(iter(breakdowns.values())))
    values: dict[Hashable, int] = {TOTAL: total}
    equations = []
    for name, line in breakdowns.items():
        values.update({(name, i): v for i, v in enumerate(line)})
        equations.append({TOTAL: -1, **{(name, i): 1 for i in range(len(line))}})
        hidden_sum = sum(v for i, v in enumerate(line) if protected.is_suppressed((name, i)))
        if not protected.total.suppressed:
            assert_difference_not_small(hidden_sum, k, f"{name}: total minus shown cells")
    assert_primary_rule(values, protected, k)
    hidden = [key for key in values if protected.is_suppressed(key)]
    assert_nothing_pinned(values, hidden, equations)


@ATTACK
@given(values=st.lists(counts_st, min_size=1, max_size=6), k=k_st)
def test_attack_one_way_table(values: list[int], k: int) -> None:
    attack_breakdowns({"only": values}, k)


@st.composite
def populations(draw: st.DrawFn) -> dict[str, list[int]]:
    """Breakdowns of one made-up population, so they share a total by construction."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    people = draw(
        st.lists(
            st.tuples(*(st.integers(0, size - 1) for size in sizes)),
            max_size=draw(st.sampled_from([6, 15, 60])),
        )
    )
    return {
        f"b{n}": [sum(1 for person in people if person[n] == c) for c in range(size)]
        for n, size in enumerate(sizes)
    }


@ATTACK
@given(breakdowns=populations(), k=k_st)
def test_attack_breakdowns_sharing_a_total(breakdowns: dict[str, list[int]], k: int) -> None:
    attack_breakdowns(breakdowns, k)


# --------------------------------------------------------------------------------------
# Two-way tables
# --------------------------------------------------------------------------------------

CLASSIC = {
    "r1": {"A": 20, "B": 3, "C": 25},
    "r2": {"A": 30, "B": 40, "C": 12},
    "r3": {"A": 15, "B": 25, "C": 30},
}


def test_classic_two_way_table_hides_a_two_by_two_block() -> None:
    result = protect_table(CLASSIC, 5)

    hidden = {(row.key, column) for row in result for column in result.columns}
    hidden = {key for key in hidden if result.is_suppressed(key)}
    assert hidden == {("r1", "A"), ("r1", "B"), ("r3", "A"), ("r3", "B")}
    assert result["r1", "B"].reason == PRIMARY
    assert result.display(("r1", TOTAL)) == 48
    assert result.display((TOTAL, "B")) == 68
    assert result.grand_total.value == 200
    assert [row.key for row in result] == ["r1", "r2", "r3"]
    assert result.totals.total.value == 200


def test_two_way_table_is_deterministic() -> None:
    first = protect_table(CLASSIC, 5).to_dict(include_reasons=True)
    assert protect_table(CLASSIC, 5).to_dict(include_reasons=True) == first


def test_small_margins_are_suppressed() -> None:
    result = protect_table({"a": {"x": 2, "y": 1}, "b": {"x": 20, "y": 30}}, 5)

    assert result["a", TOTAL].reason == PRIMARY
    assert result.is_suppressed(("a", "x"))
    assert result.is_suppressed(("a", "y"))
    assert not result.is_suppressed((TOTAL, TOTAL))


def test_one_row_table_is_a_one_way_table() -> None:
    result = protect_table({"only": {"a": 3, "b": 20, "c": 15}}, 5)

    assert result.is_suppressed(("only", "a"))
    assert result.is_suppressed((TOTAL, "a"))
    assert result["only", "c"].reason == COMPLEMENTARY
    assert result.is_suppressed((TOTAL, "c"))
    assert result.display(("only", TOTAL)) == 38


def test_one_column_table_is_a_one_way_table() -> None:
    result = protect_table({"a": {"n": 3}, "b": {"n": 20}, "c": {"n": 15}}, 5)

    assert result.is_suppressed(("a", TOTAL))
    assert result.is_suppressed(("c", "n"))
    assert not result.is_suppressed(("b", "n"))


def two_way_values(matrix: list[list[int]]) -> dict[Hashable, int]:
    values: dict[Hashable, int] = {}
    for i, line in enumerate(matrix):
        values.update({(i, j): v for j, v in enumerate(line)})
        values[i, TOTAL] = sum(line)
    for j in range(len(matrix[0])):
        values[TOTAL, j] = sum(line[j] for line in matrix)
    values[TOTAL, TOTAL] = sum(map(sum, matrix))
    return values


def two_way_lines(n_rows: int, n_cols: int) -> list[tuple[Hashable, list[Hashable]]]:
    """Each published sum relation as (its total, its parts)."""
    rows: list[Any] = [*range(n_rows), TOTAL]
    cols: list[Any] = [*range(n_cols), TOTAL]
    lines: list[tuple[Hashable, list[Hashable]]] = []
    lines += [((i, TOTAL), [(i, j) for j in range(n_cols)]) for i in rows]
    lines += [((TOTAL, j), [(i, j) for i in range(n_rows)]) for j in cols]
    return lines


@ATTACK
@given(
    shape=st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
        lambda s: st.lists(st.lists(counts_st, min_size=s[1], max_size=s[1]), min_size=s[0], max_size=s[0])
    ),
    k=k_st,
)
def test_attack_two_way_table(shape: list[list[int]], k: int) -> None:
    matrix = shape
    protected = protect_table({i: dict(enumerate(line)) for i, line in enumerate(matrix)}, k)
    values = two_way_values(matrix)
    assert_primary_rule(values, protected, k)

    equations = []
    for total, parts in two_way_lines(len(matrix), len(matrix[0])):
        equations.append({total: -1, **dict.fromkeys(parts, 1)})
        if not protected.is_suppressed(total):
            hidden_sum = sum(values[p] for p in parts if protected.is_suppressed(p))
            assert_difference_not_small(hidden_sum, k, f"{total}: total minus shown parts")
    hidden = [key for key in values if protected.is_suppressed(key)]
    assert_nothing_pinned(values, hidden, equations)


# --------------------------------------------------------------------------------------
# Nested groups
# --------------------------------------------------------------------------------------

ORG_PARENTS = {"faculty_1": "org", "faculty_2": "org", "dept_a": "faculty_1", "dept_b": "faculty_1"}


def test_parent_minus_child_small_hides_the_child() -> None:
    # faculty_1 has 3 members outside dept_a: 30 - 27 would show them.
    parents = {"faculty_1": "org", "faculty_2": "org", "dept_a": "faculty_1"}
    result = protect_tree({"org": 60, "faculty_1": 30, "faculty_2": 30, "dept_a": 27}, parents, 5)

    assert result["dept_a"].reason == OVERLAP
    assert not result.is_suppressed("faculty_1")
    assert result.display("org") == 60


def test_small_own_members_remainder_is_protected() -> None:
    # faculty_1 = 2 own members + 15 + 15: all shown would reveal the 2.
    result = protect_tree(
        {"org": 60, "faculty_1": 32, "faculty_2": 28, "dept_a": 15, "dept_b": 15}, ORG_PARENTS, 5
    )

    assert result["dept_a"].reason == OVERLAP
    assert not result.is_suppressed("dept_b")
    assert not result.is_suppressed("faculty_1")


def test_remainder_two_levels_down_is_protected_too() -> None:
    # p - c = 2 shows p's own members; hiding c alone would still leave p - d1 - d2 = 2.
    parents = {"c": "p", "d1": "c", "d2": "c"}
    result = protect_tree({"p": 22, "c": 20, "d1": 10, "d2": 10}, parents, 5)

    assert result["c"].reason == OVERLAP
    assert result["d1"].reason == OVERLAP
    assert not result.is_suppressed("d2")
    assert [node.depth for node in result] == [0, 1, 2, 2]


def test_small_group_in_a_tree_is_hidden_with_a_partner() -> None:
    parents = {"a": "top", "b": "top", "c": "top"}
    result = protect_tree({"top": 40, "a": 3, "b": 17, "c": 20}, parents, 5)

    assert result["a"].reason == PRIMARY
    assert result["b"].reason in {OVERLAP, COMPLEMENTARY}
    assert not result.is_suppressed("c")


def test_tree_rejects_a_parent_smaller_than_its_children() -> None:
    with pytest.raises(ValueError, match="fewer than its sub-groups"):
        protect_tree({"p": 5, "c": 6}, {"c": "p"}, 5)


def test_tree_rejects_cycles_and_unknown_parents() -> None:
    with pytest.raises(ValueError, match="cycle"):
        protect_tree({"a": 5, "b": 5}, {"a": "b", "b": "a"}, 5)
    with pytest.raises(ValueError, match="no count"):
        protect_tree({"a": 5}, {"a": "ghost"}, 5)


@st.composite
def trees(draw: st.DrawFn) -> tuple[list[int | None], list[int]]:
    """A random forest: parent index per node (always an earlier node) and each node's
    own members. Internal units often have no members of their own."""
    size = draw(st.integers(1, 12))
    parent: list[int | None] = [None]
    for i in range(1, size):
        parent.append(draw(st.one_of(st.integers(0, i - 1), st.integers(0, i - 1), st.none())))
    has_children = {p for p in parent if p is not None}
    own = [draw(st.one_of(st.just(0), counts_st) if i in has_children else counts_st) for i in range(size)]
    return parent, own


def tree_totals(parent: list[int | None], own: list[int]) -> list[int]:
    totals = list(own)
    for i in reversed(range(len(parent))):  # parents come before their children
        if parent[i] is not None:
            totals[parent[i]] += totals[i]  # type: ignore[index]
    return totals


@ATTACK
@given(tree=trees(), k=k_st)
def test_attack_nested_groups(tree: tuple[list[int | None], list[int]], k: int) -> None:
    parent, own = tree
    totals = tree_totals(parent, own)
    size = len(parent)
    protected = protect_tree(dict(enumerate(totals)), dict(enumerate(parent)), k)
    assert_primary_rule(dict(enumerate(totals)), protected, k)
    children = {i: [c for c in range(size) if parent[c] == i] for i in range(size)}

    # Unknowns: hidden groups and the (never published) own members of every unit with
    # sub-groups; a unit without own members is treated as known to have none.
    values: dict[Hashable, int] = dict(enumerate(totals))
    values.update({("own", i): own[i] for i in range(size) if children[i]})
    hidden: list[Hashable] = [i for i in range(size) if protected.is_suppressed(i)]
    hidden += [("own", i) for i in range(size) if children[i] and own[i] > 0]
    equations = [{i: -1, **dict.fromkeys(children[i], 1), ("own", i): 1} for i in range(size) if children[i]]
    # A large own-members remainder may be worked out: a group of k or more is fine.
    sensitive = [key for key in hidden if not isinstance(key, tuple) or values[key] < k]
    assert_nothing_pinned(values, hidden, equations, sensitive)

    # No published difference between a shown group and shown groups below it is small.
    def ancestors(i: int) -> list[int]:
        chain = []
        while parent[i] is not None:
            i = parent[i]  # type: ignore[assignment]
            chain.append(i)
        return chain

    shown = [i for i in range(size) if not protected.is_suppressed(i)]
    for d in shown:
        for a in ancestors(d):
            if a in shown:
                assert_difference_not_small(totals[a] - totals[d], k, f"group {a} minus {d}")
    for x in shown:
        below, stack = 0, list(children[x])
        while stack:
            c = stack.pop()
            if c in shown:
                below += totals[c]
            else:
                stack.extend(children[c])
        assert_difference_not_small(totals[x] - below, k, f"group {x} minus shown groups below")


# --------------------------------------------------------------------------------------
# Statistics and leaks
# --------------------------------------------------------------------------------------


def test_statistics_of_hidden_groups_are_blanked() -> None:
    counts = protect_counts({"a": 3, "b": 20, "c": 15, "d": 40}, 5)
    means = {"a": 4.5, "b": 3.2, "c": 2.9, "d": 3.8, TOTAL: 3.5}

    assert mask_statistics(counts, means) == {"a": None, "b": 3.2, "c": None, "d": 3.8, TOTAL: 3.5}


def test_statistics_of_a_two_way_table_are_blanked() -> None:
    table = protect_table(CLASSIC, 5)
    shares = {("r1", "B"): 0.06, ("r2", "B"): 0.5, ("r1", TOTAL): 0.24}

    assert mask_statistics(table, shares) == {
        ("r1", "B"): None,
        ("r2", "B"): 0.5,
        ("r1", TOTAL): 0.24,
    }


def test_statistic_without_a_count_is_refused() -> None:
    counts = protect_counts({"a": 30, "b": 20}, 5)
    with pytest.raises(KeyError):
        mask_statistics(counts, {"c": 1.0})


def test_a_suppressed_cell_cannot_carry_a_value() -> None:
    with pytest.raises(ValueError):
        ProtectedCell(value=7, suppressed=True, reason=PRIMARY)
    with pytest.raises(ValueError):
        ProtectedCell(value=None, suppressed=False)


def _renderings(protected: Any) -> list[str]:
    return [
        repr(protected),
        str(protected),
        json.dumps(protected.to_dict()),
        json.dumps(protected.to_dict(include_reasons=True)),
        *(repr(item) for item in protected),
    ]


def _assert_hidden_values_do_not_leak(protected: Any, values: Mapping[Hashable, int]) -> None:
    hidden = {v for key, v in values.items() if protected.is_suppressed(key)}
    shown = {v for key, v in values.items() if not protected.is_suppressed(key)}
    assert 7 in hidden
    assert not hidden & (shown | {protected.threshold}), "test data must keep values distinct"
    for text in _renderings(protected):
        for value in hidden:
            assert not re.search(rf"(?<![\d.]){value}(?![\d.])", text), (value, text)


def test_one_way_table_does_not_leak_hidden_values() -> None:
    values = {"alpha": 7, "beta": 121, "gamma": 230, "delta": 452}
    protected = protect_counts(values, 10)
    _assert_hidden_values_do_not_leak(protected, {**values, TOTAL: 810})


def test_two_way_table_does_not_leak_hidden_values() -> None:
    matrix = {
        "north": {"x": 7, "y": 131, "z": 240},
        "south": {"x": 152, "y": 263, "z": 314},
        "east": {"x": 165, "y": 286, "z": 349},
    }
    protected = protect_table(matrix, 10)
    values: dict[Hashable, int] = {(r, c): v for r, line in matrix.items() for c, v in line.items()}
    values.update({(r, TOTAL): sum(line.values()) for r, line in matrix.items()})
    values.update({(TOTAL, c): sum(matrix[r][c] for r in matrix) for c in "xyz"})
    values[TOTAL, TOTAL] = sum(values[r, TOTAL] for r in matrix)
    _assert_hidden_values_do_not_leak(protected, values)


def test_breakdowns_do_not_leak_hidden_values() -> None:
    protected = protect_breakdowns({"sex": {"f": 7, "m": 123, "x": 250}, "age": {"y": 180, "o": 200}}, 10)
    values: dict[Hashable, int] = {("sex", "f"): 7, ("sex", "m"): 123, ("sex", "x"): 250}
    values.update({("age", "y"): 180, ("age", "o"): 200, TOTAL: 380})
    _assert_hidden_values_do_not_leak(protected, values)


def test_tree_does_not_leak_hidden_values() -> None:
    counts = {
        "org": 610,
        "fac_a": 273,
        "dept_1": 131,
        "dept_2": 142,
        "fac_b": 337,
        "team_x": 7,
        "team_y": 150,
        "team_z": 180,
    }
    parents = {"fac_a": "org", "fac_b": "org", "dept_1": "fac_a", "dept_2": "fac_a"}
    parents |= {"team_x": "fac_b", "team_y": "fac_b", "team_z": "fac_b"}
    protected = protect_tree(counts, parents, 10)
    assert protected["team_y"].reason == OVERLAP
    _assert_hidden_values_do_not_leak(protected, counts)


# --------------------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_threshold_comes_from_the_sector_until_the_period_is_frozen() -> None:
    from vitaal.core.disclosure import threshold_for
    from vitaal.core.models import ReportingPeriod, Sector

    sector = Sector.objects.create(name="Hbo", slug="hbo", min_cell_care=12, min_cell_survey=6)
    period = ReportingPeriod.objects.create(
        sector=sector, label="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )

    assert threshold_for(sector, "care") == 12
    assert threshold_for(sector, "survey", period) == 6
    assert threshold_for(sector, "free_text", period) == 10

    period.frozen_thresholds = {"care": 15, "survey": 8, "free_text": 11}
    assert threshold_for(sector, "care", period) == 15
    assert threshold_for(sector, "survey") == 6
    with pytest.raises(ValueError):
        threshold_for(sector, "gossip")


@pytest.mark.django_db
def test_freezing_a_period_keeps_the_first_thresholds() -> None:
    from vitaal.core.disclosure import freeze_period, threshold_for
    from vitaal.core.models import ReportingPeriod, Sector

    sector = Sector.objects.create(name="Hbo", slug="hbo")
    period = ReportingPeriod.objects.create(
        sector=sector, label="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )

    freeze_period(period)
    period.refresh_from_db()
    assert period.frozen_thresholds == {"care": 10, "survey": 5, "free_text": 10}
    frozen_at = period.frozen_at
    assert frozen_at is not None

    sector.min_cell_care = 20
    sector.save()
    freeze_period(period)
    stale = ReportingPeriod.objects.get(pk=period.pk)
    stale.frozen_thresholds = None  # a copy loaded before the first freeze
    freeze_period(stale)

    period.refresh_from_db()
    assert period.frozen_thresholds["care"] == 10
    assert period.frozen_at == frozen_at
    assert threshold_for(sector, "care", period) == 10
    assert threshold_for(sector, "care") == 20

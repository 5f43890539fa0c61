"""Disclosure control: worked examples, leak checks and linear-programming attacks.

The attack tests play the reader: they take everything a protected result publishes, add
what the reader knows for free (hidden counts are whole numbers of at least 1, because
zeros are always shown) and ask scipy for the smallest and largest value each hidden
count can take. If the two meet, the count has been worked out and the protection failed.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitaal.core.disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    TOTAL,
    protect_breakdowns,
    protect_counts,
    protect_table,
)
from vitaal.core.tests.disclosure_attack import (
    ATTACK,
    CLASSIC,
    assert_difference_not_small,
    assert_nothing_pinned,
    assert_primary_rule,
    counts_st,
    k_st,
)

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

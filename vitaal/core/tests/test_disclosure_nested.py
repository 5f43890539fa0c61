"""Disclosure control of nested groups, statistics, leaks through representations, and
thresholds (one-way and two-way tables are in test_disclosure.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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

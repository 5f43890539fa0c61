"""One suppression pattern for linked tables (``vitaal.core.disclosure.linked``), attacked
the way an insider would: every shown count and every relation at once, solved with
integer programming."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vitaal.core.disclosure.linked import LinkedCounts, Relation, protect_linked, reader_bounds
from vitaal.core.tests.disclosure_attack import ATTACK, counts_st, k_st


def _sector(grid: dict[str, dict[str, int]]) -> LinkedCounts:
    """Organisations × themes with organisation totals, theme totals and a sector total:
    the benchmark and each organisation's report are the same cells."""
    themes = sorted({t for row in grid.values() for t in row})
    values: dict[object, int] = {}
    relations = []
    for org, row in grid.items():
        for theme in themes:
            values[(org, theme)] = row.get(theme, 0)
        values[(org, "all")] = sum(row.values())
        relations.append(Relation((org, "all"), tuple((org, t) for t in themes)))
    for theme in themes:
        values[("sector", theme)] = sum(values[(org, theme)] for org in grid)
        relations.append(Relation(("sector", theme), tuple((org, theme) for org in grid)))
    values[("sector", "all")] = sum(values[(org, "all")] for org in grid)
    relations.append(Relation(("sector", "all"), tuple((org, "all") for org in grid)))
    relations.append(Relation(("sector", "all"), tuple(("sector", t) for t in themes)))
    return LinkedCounts(values=values, relations=relations, ceiling=10_000)


def _assert_safe(counts: LinkedCounts, k: int) -> None:
    result = protect_linked(counts, k)
    shown = {key: (None if cell.suppressed else cell.value) for key, cell in result.cells.items()}
    for key, value in counts.values.items():
        if key in counts.unpublished:
            continue
        if 0 < value < k:
            assert shown[key] is None, f"{key!r}={value} shown below {k}"
        if shown[key] is None:
            assert value > 0, f"zero cell {key!r} hidden"
        else:
            assert shown[key] == value
    small = [key for key, value in counts.values.items() if 0 < value < k]
    highest = reader_bounds(
        shown,
        counts.relations,
        ceiling=counts.ceiling,
        unpublished=counts.unpublished,
        known_empty=counts.known_empty,
        targets=small,
    )
    for key in small:
        assert highest[key] >= k, f"the reader proves {key!r} is below {k} (at most {highest[key]})"


def test_sector_minus_shown_organisations_is_not_a_small_group() -> None:
    # Alone, each organisation's row looks safe; the sector total gives B's small theme away
    # unless the pattern is one across the sector and its organisations.
    counts = _sector(
        {
            "a": {"mental": 30, "physical": 25},
            "b": {"mental": 4, "physical": 40},
            "c": {"mental": 22, "physical": 31},
        }
    )
    _assert_safe(counts, 10)
    result = protect_linked(counts, 10)
    assert result.cell(("b", "mental")).suppressed
    assert len(result.hidden()) >= 4  # a closed loop of hidden cells, not a lone one


def test_unit_members_outside_sub_units_are_protected() -> None:
    # The organisation shows 40, its two units 20 and 17: the 3 people directly in the
    # organisation are 40 - 20 - 17. The unpublished "own" cell must be protected.
    values = {"org": 40, "u1": 20, "u2": 17, "own": 3}
    counts = LinkedCounts(
        values=values,
        relations=[Relation("org", ("u1", "u2", "own"))],
        ceiling=1000,
        unpublished=frozenset({"own"}),
    )
    _assert_safe(counts, 10)
    result = protect_linked(counts, 10)
    assert result.cell("u2").suppressed  # the smallest partner
    assert not result.cell("org").suppressed


def test_known_empty_units_do_not_count_as_room() -> None:
    values = {"org": 12, "u1": 8, "u2": 4, "own": 0}
    counts = LinkedCounts(
        values=values,
        relations=[Relation("org", ("u1", "u2", "own"))],
        ceiling=1000,
        unpublished=frozenset({"own"}),
        known_empty=frozenset({"own"}),
    )
    _assert_safe(counts, 10)


def test_reader_bounds_finds_what_subtraction_gives() -> None:
    shown = {"t": 30, "a": None, "b": 20, "c": None}
    relations = [Relation("t", ("a", "b", "c"))]
    assert reader_bounds(shown, relations, ceiling=100, targets=["a"]) == {"a": 9}
    assert reader_bounds(shown, relations, ceiling=100, targets=["a"], sense="min") == {"a": 1}


@ATTACK
@given(
    grid=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.fixed_dictionaries({"m": counts_st, "p": counts_st, "l": counts_st}),
        min_size=1,
    ),
    k=k_st,
)
def test_no_small_count_can_be_proved_small_in_linked_tables(grid: dict[str, dict[str, int]], k: int) -> None:
    _assert_safe(_sector(grid), k)

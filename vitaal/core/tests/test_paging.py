"""Paging helpers: each list keeps its own page parameter, bad numbers never fail."""

from __future__ import annotations

from django.test import RequestFactory

from vitaal.core.paging import paged, paged_uncounted

ITEMS = list(range(1, 6))  # five rows, two per page


def _get(**params: str):  # type: ignore[no-untyped-def]
    return RequestFactory().get("/", params)


def test_paged_keeps_the_other_lists_parameters() -> None:
    page = paged(_get(page="2", other="3"), ITEMS, per_page=2)
    assert list(page.object_list) == [3, 4]
    assert page.param == "page" and page.querystring == "other=3"
    assert list(paged(_get(page="x"), ITEMS, per_page=2).object_list) == [1, 2]
    assert list(paged(_get(page="99"), ITEMS, per_page=2).object_list) == [5]


def test_uncounted_page_reads_one_row_ahead_instead_of_counting() -> None:
    first = paged_uncounted(_get(closed="1", new="2"), ITEMS, param="closed", per_page=2)
    assert first.object_list == [1, 2] and first.has_next and not first.has_previous()
    assert first.querystring == "new=2" and first.paginator is None
    last = paged_uncounted(_get(closed="3"), ITEMS, param="closed", per_page=2)
    assert last.object_list == [5] and not last.has_next and last.previous_page_number() == 2
    exact = paged_uncounted(_get(), ITEMS[:4], per_page=2)
    assert exact.object_list == [1, 2] and exact.has_next
    assert not paged_uncounted(_get(page="2"), ITEMS[:4], per_page=2).has_next
    # Malformed, negative or past the end: the first page, never an error.
    for bad in ("abc", "-4", "0", "40"):
        page = paged_uncounted(_get(page=bad), ITEMS, per_page=2)
        assert page.number == 1 and page.object_list == [1, 2], bad

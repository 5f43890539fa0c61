"""Pages of a list, for pages that show several paged lists at once.

``paged`` returns a Django ``Page`` that also knows its own query parameter and the rest
of the query string, so ``includes/pagination.html`` can link to the next page of one list
while keeping the page numbers (and filters) of the others.

``paged_uncounted`` is for long histories (a provider's closed requests: tens of
thousands) where counting every row on every view costs more than the page itself: it
reads one row beyond the page to know whether there is a next one, and offers "newer" and
"older" instead of "page n of m".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def _rest_of_query(request: HttpRequest, param: str) -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def paged(request: HttpRequest, items: Any, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` named by ``request.GET[param]``; a missing, malformed or too
    high number gives the first or last page rather than an error."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.param = param  # type: ignore[attr-defined]
    page.querystring = _rest_of_query(request, param)  # type: ignore[attr-defined]
    return page


@dataclass
class UncountedPage:
    object_list: list[Any]
    number: int
    has_next: bool
    param: str
    querystring: str
    paginator: None = None

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def paged_uncounted(
    request: HttpRequest, items: Any, *, param: str = "page", per_page: int = PER_PAGE
) -> UncountedPage:
    """One page of an ordered queryset without counting it; a malformed number or one
    past the end gives the first page."""
    try:
        number = max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(items[offset : offset + per_page + 1])
    if not rows and number > 1:
        number, rows = 1, list(items[: per_page + 1])
    return UncountedPage(
        object_list=rows[:per_page],
        number=number,
        has_next=len(rows) > per_page,
        param=param,
        querystring=_rest_of_query(request, param),
    )

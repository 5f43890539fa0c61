"""Pages of a list, for pages that show several paged lists at once.

``paged`` returns a Django ``Page`` that also knows its own query parameter and the rest
of the query string, so ``includes/pagination.html`` can link to the next page of one list
while keeping the page numbers (and filters) of the others.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paged(request: HttpRequest, items: Any, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` named by ``request.GET[param]``; a missing, malformed or too
    high number gives the first or last page rather than an error."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    page.param = param  # type: ignore[attr-defined]
    page.querystring = params.urlencode()  # type: ignore[attr-defined]
    return page

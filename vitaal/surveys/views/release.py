"""The page every results view shows for a wave that is still open (the rule itself is
``selectors.require_released``, which the readers of answers call)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vitaal.surveys.selectors import ResultsNotReleased


def released_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a view that reads a wave's answers with the "results after closing" page when
    the wave is still open. The same page for the HTML report, the PDF and the XLSX, and
    the same before and after any response: it shows no count and no date."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ResultsNotReleased as exc:
            response = render(
                request, "surveys/not_released.html", {"wave": exc.wave, "message": exc.message}
            )
            response["Cache-Control"] = "no-store"
            return response

    return wrapped

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vitaal.core.access import get_actor
from vitaal.core.selectors import start_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Start page: one section per role the user holds, with true numbers and open tasks."""
    actor = get_actor(request.user)
    return render(
        request,
        "core/home.html",
        {"sections": start_page(request.user), "roles": sorted(actor.roles())},
    )

"""The product's URLs plus the benchmark floor page."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from vitaal.urls import handler400, handler403, handler404, handler500

__all__ = ["floor", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def floor(request: HttpRequest) -> HttpResponse:
    """One query, one small template: the cheapest page the stack can serve."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_organisation")
        (organisations,) = cursor.fetchone()
    return render(request, "bench/floor.html", {"organisations": organisations})


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("vitaal.urls")),
]

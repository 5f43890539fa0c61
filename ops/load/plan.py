"""Who the load test's virtual users are: real employees and staff of the database, each
logged in up front (``bench.server.session_cookie``), with the pages they may open.

Runs in a Django process configured for the database under load; writes a JSON plan that
the locustfile reads (locust itself never imports Django).
"""

from __future__ import annotations

from typing import Any

LOAD_DOMAIN = "load.vitaal.invalid"


def _employees(limit: int) -> list[Any]:
    """Current employees, those with care requests first, each with a user account (people
    without one get an account on a domain that can receive no mail)."""
    from vitaal.care.models import CareRequest
    from vitaal.core.models import Person, User

    with_requests = CareRequest.objects.values_list("person_id", flat=True).distinct().order_by("person_id")
    chosen = list(Person.objects.current().filter(pk__in=list(with_requests[:limit])).order_by("pk"))
    if len(chosen) < limit:
        others = Person.objects.current().exclude(pk__in=[p.pk for p in chosen]).order_by("pk")
        chosen += list(others[: limit - len(chosen)])
    for person in chosen:
        if person.user_id is None:
            person.user = User.objects.create_user(email=f"person-{person.pk}@{LOAD_DOMAIN}", password=None)
            person.save(update_fields=["user"])
    return chosen


def build_plan(employees: int = 200) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.server import session_cookie
    from vitaal.care.models import CareRequest
    from vitaal.core.models import Membership

    people = _employees(employees)
    requests: dict[int, list[int]] = {}
    for person_id, pk in CareRequest.objects.filter(person__in=people).values_list("person_id", "pk"):
        requests.setdefault(person_id, []).append(pk)
    employee_users = []
    for person in people:
        employee_users.append(
            {
                "cookie": session_cookie(person.user.email),
                "pages": [
                    reverse("care:portal"),
                    reverse("care:portal_health_check"),
                    reverse("care:portal_offer"),
                    reverse("care:portal_finder"),
                    reverse("care:portal_request_list"),
                ],
                "requests": [
                    reverse("care:portal_request_detail", args=[pk]) for pk in requests.get(person.pk, [])[:3]
                ],
            }
        )
    staff_users = []
    for membership in Membership.objects.filter(role__in=["hr", "care_coordinator"]).select_related(
        "user", "organisation"
    ):
        if membership.role == "hr":
            slug = membership.organisation.slug  # type: ignore[union-attr]
            pages = [
                reverse("care:referral_create", args=[slug]),
                reverse("care:referral_list", args=[slug]),
                reverse("care:usage_report", args=[slug]),
            ]
        else:
            pages = [reverse("care:queue")]
            approved = CareRequest.objects.filter(status="approved").order_by("pk")[:5]
            pages += [reverse("care:request_review", args=[r.pk]) for r in approved]
        cookie = session_cookie(membership.user.email)
        client = Client(HTTP_ACCEPT_LANGUAGE="nl", HTTP_HOST="localhost")
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        pages = [page for page in pages if client.get(page).status_code == 200]
        if pages:
            staff_users.append({"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value, "pages": pages})
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "floor": "/bench/floor/",
        "employees": employee_users,
        "staff": staff_users,
    }

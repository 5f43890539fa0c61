"""Fault test: the database connection of a request is cut in the middle of a multi-write
POST (an employee asking for support: the request, its status history, the approval).

The fault settings (``ops.faults.hooks``) cut the request's connection from a second session
right after the care request row is saved. The employee must get the clean "try again" page
(503, bilingual, no traceback) and nothing of the POST may be stored; the same POST without
the fault then works, once.

    .venv/bin/python ops/faults/dropped_connection.py     # on a private PostgreSQL cluster
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from ops.faults.common import Outcome, run_script, setup_django

PORT = 18008


def _candidates() -> list[tuple[str, list[int]]]:
    """Employees (e-mail) with the direct-route interventions of their sector."""
    from ops.load.plan import _employees
    from vitaal.care.models import Intervention

    people = _employees(10)
    interventions = list(
        Intervention.objects.filter(route_direct=True).order_by("pk").values_list("sector_id", "pk")
    )
    return [
        (p.user.email, [pk for sector, pk in interventions if sector == p.organisation.sector_id])
        for p in people
    ]


def run(database_url: str) -> Outcome:
    setup_django(database_url)
    from django.urls import reverse

    from bench.server import gunicorn, session_cookie
    from ops.faults.browser import Browser
    from vitaal.care.models import CareRequest, RequestEvent

    outcome = Outcome("database connection dropped mid-request")
    with gunicorn(database_url, PORT, workers=1, threads=2,
                  extra_env={"DJANGO_SETTINGS_MODULE": "ops.faults.settings"}) as base:  # fmt: skip
        for email, interventions in _candidates():
            browser = Browser(base, session_cookie(email))
            for pk in interventions:
                path = reverse("care:portal_request_create", args=[pk])
                status, page = browser.request(path)
                if status != 200 or CareRequest.objects.filter(person__user__email=email, intervention_id=pk):
                    continue
                form = {"csrfmiddlewaretoken": browser.csrf(page), "description": "Ik slaap slecht."}
                before = (CareRequest.objects.count(), RequestEvent.objects.count())
                status, page = browser.request(path, form, {"X-Fault-Drop-After": "care.CareRequest"})
                after = (CareRequest.objects.count(), RequestEvent.objects.count())
                if status == 400:  # the form refused it (a yearly ceiling...): try another
                    continue
                outcome.check(f"the cut POST answers 503 'try again' (got {status})", status == 503)
                outcome.check("the page is bilingual and shows no traceback",
                              "niets opgeslagen" in page and "Nothing was saved" in page
                              and "Traceback" not in page)  # fmt: skip
                outcome.check(
                    f"nothing half-written: requests and events {before} -> {after}", before == after
                )
                status, _page = browser.request(path, form)
                outcome.check(f"the same POST without the fault works (got {status})", status == 302)
                outcome.check("exactly one request was stored",
                              CareRequest.objects.count() == before[0] + 1)  # fmt: skip
                outcome.figures["employee / intervention"] = f"{email} / {pk}"
                return outcome
    outcome.check("found an employee who may ask for a direct intervention", False)
    return outcome


def main(argv: list[str] | None = None) -> int:
    return run_script(run, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

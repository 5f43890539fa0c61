"""The load test's two flows (run by ``ops/load/run.py``; see docs/fault-tests.md).

* ``Employee``: portal start, health check, catalog and finder, their requests.
* ``Staff``: HR advisors (referral form and list, usage report) and the care coordinator
  (queue, request review pages).
* ``Floor``: the bench floor page at a low weight, the yardstick the p95 is divided by.

Users are logged in up front: ``VITAAL_LOAD_PLAN`` names the JSON file with their session
cookies and pages (``ops.load.plan``). No Django import here: locust runs in its own process.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["VITAAL_LOAD_PLAN"]).read())  # noqa: SIM115
_employees = itertools.cycle(PLAN["employees"])
_staff = itertools.cycle(PLAN["staff"])
WAIT = between(
    float(os.environ.get("VITAAL_LOAD_WAIT_MIN", "1")), float(os.environ.get("VITAAL_LOAD_WAIT_MAX", "3"))
)


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = WAIT
    person: dict[str, Any]

    def start_as(self, person: dict[str, Any]) -> None:
        self.person = person
        self.client.cookies.set(PLAN["cookie_name"], person["cookie"])
        self.client.headers["Accept-Language"] = "nl"

    def open(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")


class Employee(_LoggedIn):
    weight = 6

    def on_start(self) -> None:
        self.start_as(next(_employees))

    @task(3)
    def portal(self) -> None:
        self.open(self.person["pages"][0], "employee: portal start")

    @task(2)
    def health_check(self) -> None:
        self.open(self.person["pages"][1], "employee: health check")

    @task(2)
    def catalog(self) -> None:
        self.open(self.person["pages"][2], "employee: catalog")
        self.open(self.person["pages"][3], "employee: finder")

    @task(2)
    def requests(self) -> None:
        self.open(self.person["pages"][4], "employee: my requests")
        if self.person["requests"]:
            self.open(random.choice(self.person["requests"]), "employee: request detail")


class Staff(_LoggedIn):
    weight = 3

    def on_start(self) -> None:
        self.start_as(next(_staff))

    @task
    def work(self) -> None:
        for path in self.person["pages"]:
            self.open(path, "staff: " + _page_name(path))


class Floor(HttpUser):
    weight = 1
    wait_time = WAIT

    @task
    def floor(self) -> None:
        with self.client.get(PLAN["floor"], name="floor", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on the floor page")


def _page_name(path: str) -> str:
    """Group staff pages by kind, not by organisation or request number."""
    parts = [p for p in path.strip("/").split("/") if p]
    for kind in ("referrals/new", "referrals", "usage", "queue", "review"):
        if kind in "/".join(parts):
            return kind
    return path


# --- Bounded in requests, and raw timings for exact percentiles -----------------------------
MAX_REQUESTS = int(os.environ.get("VITAAL_LOAD_MAX_REQUESTS", "0"))
_timings: dict[str, list[float]] = {}
_errors: dict[str, int] = {}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, context: Any, **kwargs: Any) -> None:
    _timings.setdefault(name, []).append(response_time)
    if exception is not None:
        _errors[name] = _errors.get(name, 0) + 1
    total = sum(len(t) for t in _timings.values())
    if MAX_REQUESTS and total == MAX_REQUESTS and _environment is not None and _environment.runner:
        _environment.runner.quit()


_environment: Any = None


@events.init.add_listener
def _keep(environment: Any, **kwargs: Any) -> None:
    global _environment
    _environment = environment


@events.quitting.add_listener
def _dump(environment: Any, **kwargs: Any) -> None:
    path = os.environ.get("VITAAL_LOAD_TIMINGS")
    if path:
        with open(path, "w") as out:
            json.dump({"timings": _timings, "errors": _errors}, out)

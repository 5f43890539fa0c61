"""Small versions of the fault tests (the scripts in ops/faults are the full ones):
a killed worker's job rerun to an identical result, the try-again page when the database is
unreachable, and a connection cut in the middle of a POST that leaves nothing behind."""

from __future__ import annotations

import socket
import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.faults.hooks import drop_connection_after_save
from ops.faults.jobs import computed_indicators, forget_computed_indicators
from vitaal.care.models import CareRequest, RequestEvent
from vitaal.care.tests.access_portal import build_portal_world
from vitaal.care.tests.support import intervention
from vitaal.core.models import Person, WorkerHeartbeat
from vitaal.core.releases import last_closed_quarter
from vitaal.core.testing import login
from vitaal.indicators.computed import compute_care_uptake
from vitaal.indicators.library import load_library
from vitaal.indicators.tasks import compute_indicators

WORKER = {"batch": True, "queue_name": "*", "startup_delay": False, "reload": False, "verbosity": 0}


def _some_care(cast, quarter) -> None:
    """Enough care users in ``quarter`` (a closed one) that the organisation's uptake is
    shown, not hidden: the job then stores a value that is not zero."""
    load_library()
    coaching = intervention(cast.sector)
    org = cast.a.organisation
    during = timezone.make_aware(datetime.combine(quarter.start + timedelta(days=20), time(10)))
    for i in range(24):
        unit = cast.a.team1 if i % 2 else cast.a.team2
        person = Person.objects.create(organisation=org, employee_number=f"L{i}", last_name="T", unit=unit)
        if i % 4 < 3:
            CareRequest.objects.create(
                person=person,
                organisation=org,
                intervention=coaching,
                route="direct",
                status="submitted",
                created_at=during,
            )


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_job_is_rerun_to_an_identical_result(cast) -> None:
    # The job works on the last closed quarter (what the clock says, as the job reads it).
    quarter = last_closed_quarter(timezone.localdate())
    _some_care(cast, quarter)
    compute_indicators.enqueue()
    call_command("task_worker", **WORKER)
    reference = computed_indicators()
    assert any(value != "0.0000" for *_key, value, _n in reference["current"])
    forget_computed_indicators()

    # A worker claimed the job, stored part of it and was killed: its process is gone.
    result = compute_indicators.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("killed-worker")
    dead = subprocess.Popen(["true"])
    dead.wait()
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="killed-worker", hostname=socket.gethostname(), pid=dead.pid, started_at=now, last_seen=now
    )
    # Part of what the job computes: one organisation's uptake in the last closed quarter
    # (a running quarter has no release, so nothing would be stored for it).
    compute_care_uptake(cast.a.organisation, quarter.start)
    assert 0 < computed_indicators()["rows"] < reference["rows"]

    call_command("task_worker", **WORKER)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.worker_ids[0] == "killed-worker"
    assert computed_indicators() == reference


@pytest.mark.django_db
def test_an_unreachable_database_gives_the_bilingual_try_again_page(client, cast, monkeypatch) -> None:
    login(client, cast.user("employee"))
    client.raise_request_exception = False

    def unreachable(self, *args):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    response = client.get(reverse("care:portal"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Nothing was saved" in page and "Er is niets opgeslagen" in page and "Traceback" not in page
    api = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 503 and "try again" in api.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_mid_post_leaves_nothing_half_written(client, cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("cutting one session's connection needs PostgreSQL (pg_terminate_backend)")
    world = build_portal_world(cast)
    login(client, cast.user("employee"))
    client.raise_request_exception = False
    path = reverse("care:portal_request_create", args=[world.coaching.pk])
    before = (CareRequest.objects.count(), RequestEvent.objects.count())
    with drop_connection_after_save("care.CareRequest") as fault:
        response = client.post(path, {"description": "I sleep badly."}, HTTP_ACCEPT_LANGUAGE="en")
    assert fault.dropped, "the fault did not fire"
    assert response.status_code == 503 and b"Nothing was saved" in response.content
    assert (CareRequest.objects.count(), RequestEvent.objects.count()) == before
    again = client.post(path, {"description": "I sleep badly."}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302 and CareRequest.objects.count() == before[0] + 1

"""A task whose worker died is run again; live workers keep theirs (vitaal.core.workers)."""

from __future__ import annotations

import socket
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vitaal.core import tasks
from vitaal.core.models import WorkerHeartbeat
from vitaal.core.workers import ABANDONED, recover_abandoned_tasks

pytestmark = pytest.mark.django_db


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running_task(worker_id: str, *, started_ago: timedelta = timedelta(0), attempts: int = 1) -> DBTaskResult:
    result = tasks.prune_task_results.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    row.worker_ids = [f"earlier-{i}" for i in range(attempts - 1)]
    row.claim(worker_id)
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - started_ago)
    return row


def beat(worker_id: str, *, host: str, pid: int, ago: timedelta = timedelta(0)) -> None:
    seen = timezone.now() - ago
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname=host, pid=pid, started_at=seen, last_seen=seen
    )


def status(row: DBTaskResult) -> str:
    return DBTaskResult.objects.get(id=row.id).status


def test_a_killed_worker_on_this_machine_loses_its_task_at_once() -> None:
    row = running_task("w-dead")
    beat("w-dead", host=socket.gethostname(), pid=dead_pid())
    assert recover_abandoned_tasks() == [str(row.id)]
    assert status(row) == "READY"


def test_live_workers_keep_their_tasks() -> None:
    import os

    here = running_task("w-here")
    beat("w-here", host=socket.gethostname(), pid=os.getpid())
    elsewhere = running_task("w-there")
    beat("w-there", host="another-machine", pid=dead_pid(), ago=timedelta(seconds=10))
    fresh_without_beat = running_task("w-starting")
    assert recover_abandoned_tasks() == []
    assert {status(here), status(elsewhere), status(fresh_without_beat)} == {"RUNNING"}


def test_a_silent_worker_elsewhere_loses_its_task_after_the_lease(settings) -> None:
    settings.VITAAL_WORKER_LEASE_SECONDS = 60
    row = running_task("w-gone", started_ago=timedelta(minutes=5))
    beat("w-gone", host="another-machine", pid=1, ago=timedelta(seconds=61))
    orphan = running_task("w-no-beat", started_ago=timedelta(minutes=5))
    assert sorted(recover_abandoned_tasks()) == sorted([str(row.id), str(orphan.id)])
    assert status(row) == status(orphan) == "READY"
    assert not WorkerHeartbeat.objects.filter(worker_id="w-gone").exists()


def test_a_task_abandoned_too_often_fails_instead_of_looping(settings) -> None:
    settings.VITAAL_TASK_MAX_ATTEMPTS = 3
    row = running_task("w-third", attempts=3)
    beat("w-third", host=socket.gethostname(), pid=dead_pid())
    recover_abandoned_tasks()
    failed = DBTaskResult.objects.get(id=row.id)
    assert (failed.status, failed.exception_class_path) == ("FAILED", ABANDONED)


@pytest.mark.django_db(transaction=True)
def test_a_new_worker_runs_the_abandoned_task_and_stops_cleanly() -> None:
    row = running_task("w-killed")
    beat("w-killed", host=socket.gethostname(), pid=dead_pid())
    call_command("task_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0)
    done = DBTaskResult.objects.get(id=row.id)
    assert done.status == "SUCCESSFUL"
    assert len(done.worker_ids) == 2 and done.worker_ids[0] == "w-killed"
    assert not WorkerHeartbeat.objects.exists()  # the new worker removed its own row too


def test_periodic_requeues_abandoned_tasks_too() -> None:
    row = running_task("w-periodic")
    beat("w-periodic", host=socket.gethostname(), pid=dead_pid())
    out = StringIO()
    call_command("periodic", stdout=out)
    assert f"requeued abandoned task {row.id}" in out.getvalue()
    assert status(row) == "READY"

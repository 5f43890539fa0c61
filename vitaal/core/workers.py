"""Task workers that notice when another worker died in the middle of a job.

django-tasks-db marks a task RUNNING when a worker claims it and only changes that when the
worker finishes it. A worker that is killed (SIGKILL, out of memory, a machine that goes
away) leaves its task RUNNING for ever. ``vitaal worker`` therefore runs
:class:`HeartbeatWorker`: it records a heartbeat every few seconds, and before it starts (and
on every ``vitaal periodic``) :func:`recover_abandoned_tasks` puts tasks whose worker is gone
back in the queue. Every job is written so that running it again gives the same result
(see docs/fault-tests.md), so a rerun is safe.

A worker counts as gone when its heartbeat is older than ``VITAAL_WORKER_LEASE_SECONDS``, or
at once when it ran on this machine and its process no longer exists. A task that was
abandoned ``VITAAL_TASK_MAX_ATTEMPTS`` times is marked failed instead of retried, so that a
job that kills its worker cannot loop for ever.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from vitaal.core.models import WorkerHeartbeat

logger = logging.getLogger("vitaal.workers")
ABANDONED = "vitaal.core.workers.AbandonedTask"


def lease_seconds() -> int:
    return int(getattr(settings, "VITAAL_WORKER_LEASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "VITAAL_TASK_MAX_ATTEMPTS", 3))


def new_worker_id() -> str:
    """Unique across machines and readable in the admin: host, process and a random part."""
    host = socket.gethostname()[:30]
    return f"{host}:{os.getpid()}:{os.urandom(4).hex()}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, it is just not ours
        return True
    return True


def _worker_gone(beat: WorkerHeartbeat | None, started_at: datetime | None, now: datetime) -> bool:
    lease = timedelta(seconds=lease_seconds())
    if beat is None:
        # No heartbeat at all: a worker that stopped normally removes its row only after
        # finishing its task, so this is a killed worker (or one without heartbeats).
        return started_at is None or now - started_at > lease
    if beat.hostname == socket.gethostname() and not _process_exists(beat.pid):
        return True
    return now - beat.last_seen > lease


def recover_abandoned_tasks(now: datetime | None = None) -> list[str]:
    """Requeue RUNNING tasks whose worker is gone; returns the ids of the tasks touched."""
    now = now or timezone.now()
    touched: list[str] = []
    gone: set[str] = set()
    with transaction.atomic():
        running = list(DBTaskResult.objects.running().select_for_update(skip_locked=True))
        worker_ids = [task.worker_ids[-1] for task in running if task.worker_ids]
        beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=worker_ids)}
        for task in running:
            last = task.worker_ids[-1] if task.worker_ids else ""
            if not _worker_gone(beats.get(last), task.started_at, now):
                continue
            touched.append(str(task.id))
            gone.add(last)
            if len(task.worker_ids) >= max_attempts():
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = ABANDONED
                task.traceback = f"The worker running this task stopped {len(task.worker_ids)} times."
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                logger.error("Task %s abandoned too often; marked failed", task.id)
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                logger.warning("Task %s was abandoned by worker %s; requeued", task.id, last)
        # Heartbeats of workers that are gone are of no further use.
        stale = now - timedelta(seconds=lease_seconds())
        WorkerHeartbeat.objects.filter(Q(last_seen__lt=stale) | Q(worker_id__in=gone)).delete()
    return touched


class HeartbeatWorker(Worker):
    """django-tasks-db's worker plus a heartbeat and recovery of abandoned tasks."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()

    def _beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "last_seen": now,
            },
            create_defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )

    def _beat_loop(self) -> None:
        interval = max(1.0, lease_seconds() / 4)
        while not self._stop.wait(interval):
            try:
                self._beat()
            except Exception:  # a database restart must not end the heartbeat
                logger.exception("Worker heartbeat failed; trying again")
            finally:
                connections.close_all()  # this thread's connection only

    def run(self) -> None:
        self._beat()
        recover_abandoned_tasks()
        thread = threading.Thread(target=self._beat_loop, name="worker-heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

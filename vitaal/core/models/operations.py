from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """When `vitaal periodic` last enqueued a periodic job, so each runs once per interval
    however many schedulers call it."""

    job = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.job} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A running task worker (`vitaal worker`) says it is alive every few seconds.

    A task that stays RUNNING while its worker's heartbeat has gone quiet was abandoned
    (the worker was killed or its machine died); ``vitaal.core.workers`` puts it back in the
    queue. The row is removed when the worker stops normally.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"

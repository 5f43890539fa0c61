from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """When `vitaal periodic` last enqueued a periodic job, so each runs once per interval
    however many schedulers call it."""

    job = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.job} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"

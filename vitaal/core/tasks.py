"""Background jobs of the platform, run by `vitaal worker` (django-tasks, database backend).

Periodic jobs are listed in PERIODIC_JOBS and enqueued by `vitaal periodic` (run it from
cron or a systemd timer every few minutes, or `vitaal periodic --loop` as a service).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from vitaal.core.models import UserSession


@task()
def clear_expired_sessions() -> int:
    """Remove sessions past their expiry and the tracking rows that pointed at them."""
    now = timezone.now()
    deleted, _detail = Session.objects.filter(expire_date__lt=now).delete()
    live = Session.objects.values("session_key")
    UserSession.objects.exclude(session_key__in=live).delete()
    return deleted


@task()
def prune_task_results() -> int:
    """Keep finished task results for 30 days."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=30)
    deleted, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


# (dotted path of a task, interval) – `vitaal periodic` enqueues each when it is due.
PERIODIC_JOBS: list[tuple[str, timedelta]] = [
    ("vitaal.core.tasks.clear_expired_sessions", timedelta(hours=1)),
    ("vitaal.core.tasks.prune_task_results", timedelta(days=1)),
]

"""Background jobs of the platform, run by `vitaal worker` (django-tasks, database backend).

Periodic jobs are listed in PERIODIC_JOBS and enqueued by `vitaal periodic` (run it from
cron or a systemd timer every few minutes, or `vitaal periodic --loop` as a service).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from django.utils.translation import gettext as _
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


@task(queue_name="imports")
def apply_people_import(job_id: int, user_id: int | None) -> str:
    """Apply a queued HR import. Safe to run twice: an applied job is left alone."""
    from vitaal.core.imports.people import people_import_apply
    from vitaal.core.models import ImportJob, User

    job = ImportJob.objects.defer("content").select_related("organisation").get(pk=job_id)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or not user.has_perm("core.import_people", job.organisation):
        # The person who confirmed it lost the right to import meanwhile.
        with translation.override(settings.LANGUAGE_CODE):
            message = str(_("You are no longer allowed to import people here, so nothing was changed."))
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.FAILED, errors=[{"row": 0, "column": "", "message": message}]
        )
        return ImportJob.Status.FAILED
    return str(people_import_apply(job=job, user=user).status)


# (dotted path of a task, interval) – `vitaal periodic` enqueues each when it is due.
PERIODIC_JOBS: list[tuple[str, timedelta]] = [
    ("vitaal.core.tasks.clear_expired_sessions", timedelta(hours=1)),
    ("vitaal.core.tasks.prune_task_results", timedelta(days=1)),
    # Process-watch signals only change with the date, so once a day is enough.
    ("vitaal.igm.tasks.compute_all_signals", timedelta(days=1)),
    ("vitaal.igm.tasks.send_weekly_digest_mails", timedelta(days=1)),
    ("vitaal.indicators.tasks.compute_indicators", timedelta(days=1)),
    # Go/no-go decisions follow enrolment deadlines, which fall on any hour.
    ("vitaal.care.tasks.decide_collective_activities_job", timedelta(hours=1)),
    # Stores what is missing for the last complete quarter, so daily is harmless.
    ("vitaal.care.report_tasks.generate_quarterly_reports", timedelta(days=1)),
    # The retention table (docs/retention.md); periods are years, so nightly is plenty.
    ("vitaal.privacy.tasks.enforce_retention", timedelta(days=1)),
]

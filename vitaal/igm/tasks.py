"""Background jobs of the igm app (django-tasks; see ``vitaal/core/tasks.py``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from vitaal.igm.models import Cycle, StoredSignal
from vitaal.igm.process_watch import compute_signals


def store_signals(*, cycle: Cycle, today: date) -> int:
    """Replace the stored signals of one cycle by what holds today."""
    signals = compute_signals(cycle, today)
    with transaction.atomic():
        StoredSignal.objects.filter(cycle=cycle).delete()
        StoredSignal.objects.bulk_create(
            StoredSignal(
                cycle=cycle,
                kind=s.kind,
                severity=s.severity,
                subject_type=s.subject_type,
                subject_id=s.subject_id,
                params=s.params,
                computed_for=today,
            )
            for s in signals
        )
    return len(signals)


@task()
def compute_all_signals(today: str | None = None) -> int:
    """Recompute the process-watch signals of every active cycle; closed cycles lose
    theirs. Safe to run any number of times: each run replaces the previous result.
    ``today`` (ISO date) is for tests and back-filling; it defaults to the local date."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    StoredSignal.objects.exclude(cycle__status="active").delete()
    total = 0
    for cycle in Cycle.objects.active().select_related("organisation").iterator():
        total += store_signals(cycle=cycle, today=day)
    return total


@task()
def send_weekly_digest_mails() -> int:
    """The optional weekly e-mail digest (each user gets at most one per six days)."""
    from vitaal.igm.digest import send_weekly_digests

    return send_weekly_digests()

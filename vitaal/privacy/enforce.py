"""The nightly retention job: every class of the table in its own transaction, rows in
batches, a RetentionRun with the counts per class. Idempotent: what was removed or
anonymised no longer matches, so a second run finds nothing. ``dry_run`` only counts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from vitaal.core.dbroles import purge_alias
from vitaal.privacy import purge
from vitaal.privacy.models import RetainedSurveyAggregate, RetentionRun
from vitaal.privacy.retention import TABLE_VERSION, retention_class

logger = logging.getLogger(__name__)

Counts = dict[str, int]


def _apply(queryset: models.QuerySet[Any], step: Callable[[list[int]], None], dry_run: bool) -> int:
    if dry_run:
        return queryset.count()
    done = 0
    for ids in purge.id_batches(queryset):
        step(ids)
        done += len(ids)
    return done


def _delete(queryset: models.QuerySet[Any], dry_run: bool) -> int:
    model = queryset.model
    return _apply(queryset, lambda ids: model.objects.filter(pk__in=ids).delete(), dry_run)


def closed_care_requests(before: datetime) -> models.QuerySet[Any]:
    """Closed requests whose closing event (or, without history, last change) lies before."""
    from vitaal.care.models import CareRequest
    from vitaal.care.models.requests import CLOSED_STATUSES

    closing = Max("events__at", filter=Q(events__to_status__in=CLOSED_STATUSES))
    return (
        CareRequest.objects.filter(status__in=CLOSED_STATUSES)
        .annotate(closed_at=Coalesce(closing, "updated_at"))
        .filter(closed_at__lt=before)
    )


def care_records(now: datetime, dry_run: bool) -> Counts:
    from vitaal.care.models import Enrolment, Referral

    cutoff = retention_class("care_records").cutoff(now)
    due = closed_care_requests(cutoff)
    # Re-select by id: the annotation's GROUP BY must not reach the update and delete steps.
    due_ids = due.values("pk")
    from vitaal.care.models import CareRequest

    base = CareRequest.objects.filter(pk__in=due_ids)
    stripped = _apply(
        purge.care_requests_needing_strip(purge.care_requests_with_ledger(base, linked=True)),
        purge.strip_care_requests,
        dry_run,
    )
    deleted = _apply(purge.care_requests_with_ledger(base, linked=False), purge.delete_care_requests, dry_run)
    loose = Referral.objects.filter(care_request__isnull=True).filter(
        Q(answered_at__lt=cutoff) | Q(answered_at__isnull=True, created_at__lt=cutoff)
    )
    deleted += _delete(loose, dry_run)
    deleted += _delete(Enrolment.objects.filter(activity__starts_at__lt=cutoff), dry_run)
    return {"deleted": deleted, "anonymised": stripped}


def financial(now: datetime, dry_run: bool) -> Counts:
    from vitaal.care.models import LedgerEntry

    # Seven years after the end of the booking year: year Y is due from 1 January Y+8.
    last_due_year = retention_class("financial").cutoff(now).year - 1
    linked = (
        purge.plain(LedgerEntry)
        .filter(year__lte=last_due_year)
        .filter(Q(care_request__isnull=False) | Q(session__isnull=False))
    )
    return {"anonymised": _apply(linked, purge.unlink_ledger, dry_run)}


def health_checks(now: datetime, dry_run: bool) -> Counts:
    from vitaal.care.models import HealthCheck

    cutoff = retention_class("health_checks").cutoff(now).date()
    return {"deleted": _delete(HealthCheck.objects.filter(taken_on__lt=cutoff), dry_run)}


def access_log(now: datetime, dry_run: bool) -> Counts:
    """Through the purge alias: the application's own role may only add to the log, so the
    removal runs as the purge role, in a transaction of that connection."""
    from vitaal.core.models import AccessLogEntry

    alias = purge_alias()
    cutoff = retention_class("access_log").cutoff(now)
    due = purge.plain(AccessLogEntry).using(alias).filter(timestamp__lt=cutoff)
    if dry_run:
        return {"deleted": due.count()}
    with transaction.atomic(using=alias):
        return {"deleted": _apply(due, partial(purge.delete_access_log, using=alias), dry_run)}


def _waves_closed_before(day: Any) -> models.QuerySet[Any]:
    from vitaal.surveys.models import Wave
    from vitaal.surveys.models.distribution import WaveStatus

    return Wave.objects.filter(
        Q(closes_on__lt=day) | Q(closes_on__isnull=True, status=WaveStatus.CLOSED, created_at__date__lt=day)
    )


def keep_survey_aggregate(wave: Any) -> None:
    """Store the counts per answer of a wave before its raw responses go."""
    from django.db.models import Avg, Count

    from vitaal.surveys.models import Answer

    answers = Answer.objects.filter(response__wave=wave)
    data: dict[str, dict[str, Any]] = {}
    for row in answers.exclude(choice="").values("question__code", "choice").annotate(n=Count("pk")):
        counts = data.setdefault(row["question__code"], {"counts": {}})["counts"]
        counts[row["choice"]] = row["n"]
    for code, choices in answers.exclude(choices=[]).values_list("question__code", "choices").iterator():
        counts = data.setdefault(code, {"counts": {}}).setdefault("counts", {})
        for value in choices if isinstance(choices, list) else []:
            counts[str(value)] = counts.get(str(value), 0) + 1
    numbers = answers.filter(number__isnull=False).values("question__code")
    for number_row in numbers.annotate(n=Count("pk"), mean=Avg("number")):
        entry = data.setdefault(number_row["question__code"], {})
        entry.update({"n": number_row["n"], "mean": number_row["mean"]})
    RetainedSurveyAggregate.objects.update_or_create(
        wave=wave, defaults={"responses": wave.responses.count(), "data": data}
    )


def survey_responses(now: datetime, dry_run: bool) -> Counts:
    from vitaal.surveys.models import SurveyResponse

    cutoff = retention_class("survey_responses").cutoff(now).date()
    waves = _waves_closed_before(cutoff).filter(responses__isnull=False).distinct()
    due = SurveyResponse.objects.filter(wave__in=waves.values("pk"))
    if dry_run:
        return {"deleted": due.count()}
    deleted = 0
    for wave in waves.order_by("pk"):
        keep_survey_aggregate(wave)
        deleted += _delete(SurveyResponse.objects.filter(wave=wave), dry_run)
    return {"deleted": deleted}


def survey_invitations(now: datetime, dry_run: bool) -> Counts:
    from vitaal.surveys.models import Invitation

    cutoff = retention_class("survey_invitations").cutoff(now).date()
    due = Invitation.objects.filter(wave__in=_waves_closed_before(cutoff).values("pk"))
    return {"deleted": _delete(due, dry_run)}


def leavers(now: datetime, dry_run: bool) -> Counts:
    from vitaal.core.models import Person

    cutoff = retention_class("leavers").cutoff(now).date()
    due = purge.people_not_anonymised(Person.objects.filter(employment_end__lt=cutoff))
    return {"anonymised": _apply(due, purge.anonymise_people, dry_run)}


def sessions(now: datetime, dry_run: bool) -> Counts:
    from django.contrib.sessions.models import Session

    from vitaal.api.models import ApiToken
    from vitaal.core.models import UserSession

    cutoff = retention_class("sessions").cutoff(now)
    expired = Session.objects.filter(expire_date__lt=now)
    tokens = ApiToken.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))
    if dry_run:
        return {"deleted": expired.count() + tokens.count()}
    deleted, _detail = expired.delete()
    UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return {"deleted": deleted + _delete(tokens, dry_run)}


def import_files(now: datetime, dry_run: bool) -> Counts:
    from vitaal.core.models import ImportJob

    cutoff = retention_class("import_files").cutoff(now)
    # A queued job may be in a worker's hands right now.
    due = ImportJob.objects.filter(created_at__lt=cutoff).exclude(status=ImportJob.Status.QUEUED)
    return {"deleted": _delete(due.defer("content"), dry_run)}


def task_results(now: datetime, dry_run: bool) -> Counts:
    from django_tasks_db.models import DBTaskResult

    cutoff = retention_class("task_results").cutoff(now)
    return {"deleted": _delete(DBTaskResult.objects.finished().filter(finished_at__lt=cutoff), dry_run)}


def erasure_requests(now: datetime, dry_run: bool) -> Counts:
    from vitaal.privacy.models import ErasureRequest

    cutoff = retention_class("erasure_requests").cutoff(now)
    deleted = _delete(ErasureRequest.objects.filter(decided_at__lt=cutoff), dry_run)
    deleted += _delete(RetentionRun.objects.filter(started_at__lt=cutoff), dry_run)
    return {"deleted": deleted}


STEPS: dict[str, Callable[[datetime, bool], Counts]] = {
    # The ledger first: a request skeleton whose last ledger link goes tonight is deleted
    # by the care step in the same run, so one run reaches a state the next leaves alone.
    "financial": financial,
    "care_records": care_records,
    "health_checks": health_checks,
    "access_log": access_log,
    "survey_responses": survey_responses,
    "survey_invitations": survey_invitations,
    "leavers": leavers,
    "sessions": sessions,
    "import_files": import_files,
    "task_results": task_results,
    "erasure_requests": erasure_requests,
}


def run_retention(*, dry_run: bool = False, now: datetime | None = None) -> RetentionRun:
    """Apply the whole table. A class that fails is rolled back and reported; the others
    still run."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run, table_version=TABLE_VERSION)
    counts: dict[str, Counts] = {}
    errors: list[str] = []
    for key, step in STEPS.items():
        try:
            with transaction.atomic():
                counts[key] = step(now, dry_run)
        except Exception as exc:  # one class failing must not stop the others
            logger.exception("retention class %s failed", key)
            errors.append(f"{key}: {exc.__class__.__name__}: {exc}"[:500])
    RetentionRun.objects.filter(pk=run.pk).update(
        counts=counts,
        finished_at=timezone.now(),
        status=RetentionRun.Status.FAILED if errors else RetentionRun.Status.DONE,
        error="\n".join(errors),
    )
    run.refresh_from_db()
    return run

"""The retention table and the nightly job: each class removes or anonymises what is past
its period and nothing younger, a second run finds nothing, dry runs change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    HealthCheck,
    LedgerEntry,
    RequestEvent,
)
from vitaal.core.models import AccessLogEntry, ImportJob, Membership, Person, User
from vitaal.core.tasks import PERIODIC_JOBS
from vitaal.core.testing import Cast
from vitaal.privacy.enforce import STEPS, run_retention
from vitaal.privacy.models import RetentionRun
from vitaal.privacy.purge import ANON_NAME, plain
from vitaal.privacy.retention import TABLE, Action

from .world import age_checks, age_ledger, age_requests, care_history

pytestmark = pytest.mark.django_db


def test_every_class_is_complete_and_enforced() -> None:
    keys = [c.key for c in TABLE]
    assert len(keys) == len(set(keys))
    for c in TABLE:
        assert c.title and c.covers and c.start and c.ground
        if c.action == Action.KEEP:
            assert c.key not in STEPS
        else:
            assert c.years or c.days, c.key
            assert c.key in STEPS, c.key
    assert {c.key for c in TABLE if c.years >= 5} >= {"care_records", "financial", "access_log"}


def test_the_job_is_registered_daily() -> None:
    assert ("vitaal.privacy.tasks.enforce_retention", timedelta(days=1)) in PERIODIC_JOBS


def test_nothing_young_is_touched(cast: Cast) -> None:
    history = care_history(cast)
    run = run_retention()
    assert run.status == RetentionRun.Status.DONE
    assert CareRequest.objects.filter(pk__in=[history.done.pk, history.withdrawn.pk]).count() == 2
    assert HealthCheck.objects.filter(pk=history.check.pk).exists()
    assert sum(sum(c.values()) for c in run.counts.values()) == 0


def test_old_care_records_go_or_keep_a_skeleton_for_the_ledger(cast: Cast) -> None:
    history = care_history(cast)
    person = cast.a.people["employee"]
    age_requests(person, 5)
    run = run_retention()
    assert run.counts["care_records"] == {"deleted": 1, "anonymised": 1}
    assert not CareRequest.objects.filter(pk=history.withdrawn.pk).exists()
    assert not plain(RequestEvent).filter(request_id=history.withdrawn.pk).exists()
    skeleton = CareRequest.objects.get(pk=history.done.pk)
    assert skeleton.description == "" and skeleton.closed_reason == ""
    assert not Evaluation.objects.filter(request=skeleton).exists()
    assert set(DeliverySession.objects.filter(request=skeleton).values_list("note", flat=True)) == {""}
    assert not plain(RequestEvent).filter(request=skeleton).exclude(reason="").exists()
    assert LedgerEntry.objects.filter(care_request=skeleton).exists()
    # Idempotent: a second run finds nothing.
    assert run_retention().counts["care_records"] == {"deleted": 0, "anonymised": 0}
    # Seven years after the booking year the ledger lets go, and the skeleton goes with it.
    amounts = sorted(LedgerEntry.objects.values_list("amount", flat=True))
    age_ledger(person, 8)
    run = run_retention()
    assert run.counts["financial"]["anonymised"] >= 2
    assert run.counts["care_records"]["deleted"] == 1
    assert sorted(LedgerEntry.objects.values_list("amount", flat=True)) == amounts
    assert not CareRequest.objects.filter(person=person).exists()
    assert sum(sum(c.values()) for c in run_retention().counts.values()) == 0


def test_health_checks_after_two_years(cast: Cast) -> None:
    history = care_history(cast)
    age_checks(cast.a.people["employee"], 2)
    assert run_retention().counts["health_checks"] == {"deleted": 1}
    assert not HealthCheck.objects.filter(pk=history.check.pk).exists()


def test_access_log_after_five_years(cast: Cast) -> None:
    person = cast.a.people["employee"]
    old = AccessLogEntry(
        timestamp=timezone.now() - timedelta(days=5 * 365 + 5),
        actor_label="hr",
        subject=person,
        organisation=person.organisation,
        action="view",
        object_type="person",
        basis="hr",
    )
    old.save(force_insert=True)
    young = AccessLogEntry(actor_label="hr", subject=person, action="view", object_type="person", basis="hr")
    young.save(force_insert=True)
    assert run_retention(dry_run=True).counts["access_log"] == {"deleted": 1}
    assert AccessLogEntry.objects.filter(pk=old.pk).exists()
    assert run_retention().counts["access_log"] == {"deleted": 1}
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [young.pk]


def test_leavers_are_anonymised_and_their_login_closed(cast: Cast) -> None:
    person = cast.a.people["manager"]
    user = person.user
    assert user is not None
    Person.objects.filter(pk=person.pk).update(employment_end=date.today() - timedelta(days=2 * 365 + 10))
    recent = cast.a.colleague
    assert recent is not None
    Person.objects.filter(pk=recent.pk).update(employment_end=date.today() - timedelta(days=30))
    run = run_retention()
    assert run.counts["leavers"] == {"anonymised": 1}
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email, person.birth_year) == ("", ANON_NAME, "", None)
    assert person.employee_number.startswith("anon-") and person.user_id is None
    assert person.unit_id == cast.a.team1.pk and person.employment_start == date(2015, 9, 1)
    user = User.objects.get(pk=user.pk)
    assert not user.is_active and not user.has_usable_password() and "manager" not in user.email
    assert not Membership.objects.filter(user=user).exists()
    recent.refresh_from_db()
    assert recent.last_name == "Tweede"
    assert run_retention().counts["leavers"] == {"anonymised": 0}


def test_import_files_after_ninety_days(cast: Cast) -> None:
    def job(status: str) -> ImportJob:
        return ImportJob.objects.create(
            organisation=cast.a.organisation,
            status=status,
            filename="x.csv",
            content=b"a",
            content_sha256="0",
        )

    old, queued, young = job("applied"), job("queued"), job("applied")
    ImportJob.objects.filter(pk__in=[old.pk, queued.pk]).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    assert run_retention().counts["import_files"] == {"deleted": 1}
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {queued.pk, young.pk}


def test_dry_run_changes_nothing_and_the_command_prints_the_table(cast: Cast, capsys) -> None:
    history = care_history(cast)
    age_requests(cast.a.people["employee"], 6)
    age_checks(cast.a.people["employee"], 3)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Retention table, version" in out and "care_records" in out and "would remove" in out
    assert "health_checks        1 deleted" in out
    assert HealthCheck.objects.filter(pk=history.check.pk).exists()
    assert CareRequest.objects.filter(pk=history.withdrawn.pk).exists()
    run = RetentionRun.objects.get()
    assert run.dry_run and run.counts["care_records"] == {"deleted": 1, "anonymised": 1}


def test_a_failing_class_is_rolled_back_and_reported(cast: Cast, monkeypatch) -> None:
    from vitaal.privacy import enforce

    def broken(now, dry_run):  # type: ignore[no-untyped-def]
        HealthCheck.objects.all().delete()
        raise RuntimeError("disk full")

    history = care_history(cast)
    monkeypatch.setitem(enforce.STEPS, "health_checks", broken)
    run = run_retention()
    assert run.status == RetentionRun.Status.FAILED and "disk full" in run.error
    assert HealthCheck.objects.filter(pk=history.check.pk).exists()
    assert "leavers" in run.counts


def test_survey_responses_go_five_years_after_the_wave_but_their_counts_stay(cast: Cast) -> None:
    from vitaal.privacy.models import RetainedSurveyAggregate
    from vitaal.surveys.models import Invitation, SurveyResponse, Wave

    from .world import survey_wave

    wave = survey_wave(cast, responses=6)
    Invitation.objects.create(wave=wave, email="someone@example.org", token_hash="c" * 64)
    Wave.objects.filter(pk=wave.pk).update(closes_on=date.today() - timedelta(days=100))
    run = run_retention()
    assert run.counts["survey_invitations"] == {"deleted": 1}
    assert run.counts["survey_responses"] == {"deleted": 0}
    Wave.objects.filter(pk=wave.pk).update(closes_on=date.today() - timedelta(days=5 * 365 + 5))
    assert run_retention().counts["survey_responses"] == {"deleted": 6}
    assert not SurveyResponse.objects.filter(wave=wave).exists()
    kept = RetainedSurveyAggregate.objects.get(wave=wave)
    assert kept.responses == 6
    (counts,) = [v["counts"] for v in kept.data.values()]
    assert counts == {"a": 4, "b": 2}
    assert run_retention().counts["survey_responses"] == {"deleted": 0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_only_the_purge_role_gets_past_the_postgresql_trigger(cast: Cast) -> None:
    old = AccessLogEntry(
        timestamp=timezone.now() - timedelta(days=6 * 365),
        actor_label="x",
        action="view",
        object_type="person",
        basis="hr",
    )
    old.save(force_insert=True)
    # A role with DELETE rights that is not the purge role: the trigger stops it.
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE test_alog_not_purge NOLOGIN")
        cursor.execute("GRANT SELECT, DELETE ON core_accesslogentry TO test_alog_not_purge")
        cursor.execute("SET ROLE test_alog_not_purge")
        try:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                plain(AccessLogEntry).filter(pk=old.pk).delete()
        finally:
            cursor.execute("RESET ROLE")
    assert AccessLogEntry.objects.filter(pk=old.pk).exists()
    # Without a purge alias the job uses the default connection: here the tests' superuser,
    # as on a developer's database (the purge alias itself: test_accesslog_db_roles).
    assert run_retention().counts["access_log"] == {"deleted": 1}
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()

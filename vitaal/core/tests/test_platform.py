"""Background tasks with the real database worker, periodic jobs, health check, the demo
and the command line."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vitaal.cli import main as cli_main
from vitaal.core import tasks
from vitaal.core.management.commands.periodic import enqueue_due_jobs
from vitaal.core.models import Organisation, PeriodicRun, Person, SizeClass, Unit


@pytest.mark.django_db(transaction=True)
def test_worker_runs_an_enqueued_task_to_completion():
    old = SessionStore()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    result = tasks.clear_expired_sessions.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert not Session.objects.filter(session_key=old.session_key).exists()


@pytest.mark.django_db
def test_periodic_jobs_are_enqueued_once_per_interval():
    now = timezone.now()
    first = enqueue_due_jobs(now)
    assert set(first) == {path for path, _i in tasks.PERIODIC_JOBS}
    assert enqueue_due_jobs(now + timedelta(minutes=5)) == []
    later = enqueue_due_jobs(now + timedelta(hours=2))
    assert set(later) == {path for path, interval in tasks.PERIODIC_JOBS if interval <= timedelta(hours=2)}
    assert PeriodicRun.objects.count() == len(tasks.PERIODIC_JOBS)
    assert DBTaskResult.objects.count() == len(first) + len(later)


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_demo_is_deterministic_and_shaped_like_the_sector():
    from vitaal.core.demo import build_demo

    report = build_demo()
    assert report.organisations == 3
    sizes = dict(Organisation.objects.values_list("slug", "size_class"))
    assert sizes == {"noordkust": SizeClass.SMALL, "de-delta": SizeClass.MEDIUM, "rijnstad": SizeClass.LARGE}
    people = Person.objects.all()
    total = people.count()
    assert total == 180 + 700 + 1400
    women = people.filter(gender="f").count() / total
    teaching = people.filter(function_group__code="OP").count() / total
    assert 0.53 < women < 0.61
    assert 0.60 < teaching < 0.68
    assert Unit.objects.filter(kind="team", manager__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic():
    from vitaal.core.demo import build_demo, reset_database_content

    build_demo(people=200, organisations=2)
    first = list(Person.objects.order_by("employee_number").values_list("last_name", "birth_year", "gender"))
    reset_database_content()
    build_demo(people=200, organisations=2)
    again = list(Person.objects.order_by("employee_number").values_list("last_name", "birth_year", "gender"))
    assert first == again


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_MODE = True


@pytest.mark.django_db
def test_demo_command_scales_up(demo_mode):
    out = StringIO()
    call_command("demo", people=600, organisations=5, stdout=out)
    assert Organisation.objects.count() == 5
    assert 560 <= Person.objects.count() <= 640
    assert "people:" in out.getvalue()


@pytest.mark.django_db
def test_demo_command_refuses_nonsense(demo_mode):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo", people=3)


def test_cli_maps_hyphenated_names(monkeypatch):
    seen = {}

    def fake(argv):
        seen["argv"] = argv

    monkeypatch.setattr("django.core.management.execute_from_command_line", fake)
    cli_main(["vitaal", "import-people", "x.csv"])
    assert seen["argv"][1] == "import_people"
    cli_main(["vitaal", "worker"])
    assert seen["argv"][1:4] == ["task_worker", "--queue-name", "*"]


@pytest.mark.django_db
def test_query_count_of_people_list_does_not_grow(client, cast):
    from vitaal.core.testing import login

    login(client, cast.user("hr"))
    client.get("/org/a/people/")
    Person.objects.bulk_create(
        Person(
            organisation=cast.a.organisation, employee_number=f"q{i}", last_name=f"N{i}", unit=cast.a.team2
        )
        for i in range(120)
    )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/org/a/people/").status_code == 200
    small = len(ctx.captured_queries)
    Person.objects.bulk_create(
        Person(
            organisation=cast.a.organisation, employee_number=f"r{i}", last_name=f"M{i}", unit=cast.a.team1
        )
        for i in range(300)
    )
    with CaptureQueriesContext(connection) as ctx:
        client.get("/org/a/people/")
    assert len(ctx.captured_queries) == small


@pytest.mark.django_db(transaction=True)
def test_large_import_is_applied_by_the_worker(client, settings):
    from vitaal.core.models import ImportJob
    from vitaal.core.testing import build_cast, login

    cast = build_cast()
    settings.VITAAL_IMPORT_INLINE_ROWS = 10
    rows = "\n".join(f"w{i},Werker{i},F1-T1" for i in range(25))
    content = f"employee_number,last_name,unit\n{rows}\n".encode()
    login(client, cast.user("hr"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/org/a/people/import/",
        {"file": SimpleUploadedFile("staff.csv", content, content_type="text/csv"), "mode": "partial"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.VALIDATED
    client.post(f"/org/a/people/import/{job.pk}/", {"apply": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert not Person.objects.filter(employee_number__startswith="w").exists()
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Person.objects.filter(employee_number__startswith="w").count() == 25
    page = client.get(f"/org/a/people/import/{job.pk}/").content.decode()
    assert "hx-trigger" not in page  # polling stops once applied


@pytest.mark.django_db
def test_oversized_upload_is_refused_before_reading(client, cast, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vitaal.core.models import ImportJob
    from vitaal.core.testing import login

    settings.VITAAL_MAX_UPLOAD_BYTES = 1000
    login(client, cast.user("hr"))
    response = client.post(
        "/org/a/people/import/",
        {"file": SimpleUploadedFile("big.csv", b"x" * 5000, content_type="text/csv"), "mode": "partial"},
    )
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_demo_logins_are_listed_only_in_demo_mode(client, settings):
    from vitaal.core.demo import build_demo

    build_demo(people=60, organisations=1)
    settings.DEBUG = True
    settings.DEMO_MODE = False
    assert "demo.vitaal.nl" not in client.get("/accounts/login/").content.decode()
    settings.DEBUG = False
    settings.DEMO_MODE = True
    assert "demo.vitaal.nl" not in client.get("/accounts/login/").content.decode()
    settings.DEBUG = True
    page = client.get("/accounts/login/").content.decode()
    assert "hr.noordkust@demo.vitaal.nl" in page
    assert "sector-admin@demo.vitaal.nl" in page

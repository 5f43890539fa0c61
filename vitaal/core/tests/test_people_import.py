"""HR import of people: validation, applying, the API path and the command line."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from vitaal.core.imports import people as people_import
from vitaal.core.models import AccessLogEntry, ImportJob, Person, Unit
from vitaal.core.tests.people_import_support import (
    ROWS,
    csv_bytes,
    upload,
    upload_and_apply,
)

pytestmark = pytest.mark.usefixtures("english")


# --- Validation and applying ------------------------------------------------------------


def test_valid_file_creates_people(org, hr_user):
    job = upload_and_apply(org, hr_user, csv_bytes())

    assert job.status == ImportJob.Status.APPLIED
    assert job.applied_at is not None
    assert job.summary == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "leavers": 0,
        "rows": 3,
        "mode": "partial",
    }
    anna = Person.objects.get(organisation=org, employee_number="1001")
    assert (anna.first_name, anna.last_name, anna.email) == ("Anna", "de Vries", "anna@example.org")
    assert anna.unit.code == "FIN"
    assert anna.function_group.code == "OBP"
    assert anna.gender == "f"
    assert anna.birth_year == 1975
    assert anna.weekly_hours == Decimal("36.5")
    assert anna.employment_start == datetime.date(2010, 3, 1)
    assert anna.employment_end is None
    chris = Person.objects.get(organisation=org, employee_number="1003")
    # Unit and function group codes match case-insensitively; empty gender is unknown.
    assert (chris.unit.code, chris.function_group.code, chris.gender) == ("FIN", "OP", "u")
    assert chris.employment_start == datetime.date(2020, 2, 1)
    entries = AccessLogEntry.objects.filter(action="import", object_type="person")
    assert entries.count() == 3
    assert set(entries.values_list("subject__employee_number", flat=True)) == {
        "1001",
        "1002",
        "1003",
    }
    assert all(e.actor_id == hr_user.pk for e in entries)


def test_file_with_one_bad_row_changes_nothing_and_reports_row_and_column(org, hr_user):
    rows = [*ROWS[:1], "1002;Bram;Jansen;bram@example.org;NOPE;OP;m;1980;40;2015-09-01;", ROWS[2]]

    job = upload(org, hr_user, csv_bytes(rows))

    assert job.status == ImportJob.Status.REJECTED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "unit")]
    assert "NOPE" in job.errors[0]["message"]
    assert not Person.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_all_errors_are_collected_not_only_the_first(org, hr_user):
    rows = [
        "1001;Anna;;not-an-email;FIN;XX;q;1850;99;31-02-2020;",
        "1002;Bram;Jansen;;;;;;;2020-01-01;2019-01-01",
        "1001;Dup;Licate;;;;;;;;",
    ]

    job = upload(org, hr_user, csv_bytes(rows))

    assert job.status == ImportJob.Status.REJECTED
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (2, "last_name"),
        (2, "email"),
        (2, "function_group"),
        (2, "gender"),
        (2, "birth_year"),
        (2, "weekly_hours"),
        (2, "employment_start"),
        (3, "employment_end"),
        (4, "employee_number"),
    }
    duplicate = next(e for e in job.errors if e["row"] == 4)
    assert "row 2" in duplicate["message"]


def test_errors_are_in_the_users_language(org, hr_user):
    with translation.override("en"):
        job = upload(org, hr_user, csv_bytes(["1001;Anna;;;;;;;;;"]))
    assert job.errors[0]["message"] == "A value is required."


def test_unknown_and_missing_columns_are_reported_in_row_1(org, hr_user):
    content = b"personeelsnummer,voornaam,salaris\n1001,Anna,5000\n"

    job = upload(org, hr_user, content)

    assert job.status == ImportJob.Status.REJECTED
    assert {(e["row"], e["column"]) for e in job.errors} == {(1, "salaris"), (1, "last_name")}


def test_reupload_of_the_same_file_changes_nothing(org, hr_user):
    upload_and_apply(org, hr_user, csv_bytes())
    logged = AccessLogEntry.objects.count()
    before = list(Person.objects.order_by("pk").values())

    second = upload(org, hr_user, csv_bytes())
    assert second.summary["unchanged"] == 3
    assert second.summary["created"] == second.summary["updated"] == 0
    second = people_import.people_import_apply(job=second, user=hr_user)

    assert second.status == ImportJob.Status.APPLIED
    assert second.summary["unchanged"] == 3
    assert list(Person.objects.order_by("pk").values()) == before
    assert AccessLogEntry.objects.count() == logged


def test_changed_row_updates_only_that_person(org, hr_user):
    upload_and_apply(org, hr_user, csv_bytes())
    logged = AccessLogEntry.objects.count()
    rows = [ROWS[0].replace("36,5", "32"), *ROWS[1:]]

    job = upload_and_apply(org, hr_user, csv_bytes(rows))

    assert (job.summary["updated"], job.summary["unchanged"]) == (1, 2)
    assert Person.objects.get(employee_number="1001").weekly_hours == Decimal("32")
    new_entries = AccessLogEntry.objects.order_by("-id")[: AccessLogEntry.objects.count() - logged]
    assert [e.subject.employee_number for e in new_entries] == ["1001"]


def test_columns_missing_from_the_file_are_left_alone(org, hr_user):
    upload_and_apply(org, hr_user, csv_bytes())

    job = upload_and_apply(org, hr_user, b"employee_number,last_name\n1001,de Vries\n")

    assert job.summary["unchanged"] == 1
    assert Person.objects.get(employee_number="1001").unit.code == "FIN"


def test_full_mode_marks_leavers_and_deletes_nobody(org, hr_user):
    upload_and_apply(org, hr_user, csv_bytes())
    ended = Person.objects.create(
        organisation=org,
        employee_number="900",
        last_name="Oud",
        employment_end=datetime.date(2001, 1, 1),
    )

    job = upload_and_apply(org, hr_user, csv_bytes(ROWS[:2]), mode="full")

    assert job.summary["leavers"] == 1
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert Person.objects.get(employee_number="1003").employment_end == yesterday
    ended.refresh_from_db()
    assert ended.employment_end == datetime.date(2001, 1, 1)  # already ended: left alone
    assert Person.objects.filter(organisation=org).count() == 4
    assert AccessLogEntry.objects.filter(
        subject__employee_number="1003", description__contains="leaver"
    ).exists()

    # The same complete list again finds no further leavers.
    again = upload_and_apply(org, hr_user, csv_bytes(ROWS[:2]), mode="full")
    assert again.summary["leavers"] == 0
    assert again.summary["unchanged"] == 2


def test_partial_mode_leaves_people_missing_from_the_file_alone(org, hr_user):
    upload_and_apply(org, hr_user, csv_bytes())

    upload_and_apply(org, hr_user, csv_bytes(ROWS[:1]), mode="partial")

    assert Person.objects.get(employee_number="1003").employment_end is None


def test_apply_validates_again_and_fails_without_writing(org, hr_user):
    job = upload(org, hr_user, csv_bytes())
    assert job.status == ImportJob.Status.VALIDATED
    Unit.objects.filter(code="HR").update(code="PO")  # the file's unit no longer exists

    job = people_import.people_import_apply(job=job, user=hr_user)

    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "unit")]
    assert not Person.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_an_applied_job_is_not_applied_twice(org, hr_user):
    job = upload_and_apply(org, hr_user, csv_bytes())
    Person.objects.filter(employee_number="1001").update(first_name="Changed")

    job = people_import.people_import_apply(job=job, user=hr_user)

    assert job.status == ImportJob.Status.APPLIED
    assert Person.objects.get(employee_number="1001").first_name == "Changed"


def test_cancel(org, hr_user):
    job = upload(org, hr_user, csv_bytes())

    job = people_import.people_import_cancel(job=job, user=hr_user)

    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CANCELLED
    assert not Person.objects.exists()


def test_applying_5000_rows_uses_a_bounded_number_of_queries(org, hr_user, django_assert_max_num_queries):
    rows = [f"{10000 + i};First{i};Last{i};;ICT;OP;x;1980;36;2020-01-01;" for i in range(5000)]
    job = upload(org, hr_user, csv_bytes(rows))
    assert job.status == ImportJob.Status.VALIDATED

    # On SQLite a statement holds at most 999 parameters, so batches are small; one
    # query per row would be over 10,000.
    with django_assert_max_num_queries(200):
        job = people_import.people_import_apply(job=job, user=hr_user)

    assert job.summary["created"] == 5000
    assert Person.objects.filter(organisation=org).count() == 5000

    changed = [r.replace(";36;", ";32;") for r in rows]
    job = upload(org, hr_user, csv_bytes(changed), mode="full")
    with django_assert_max_num_queries(200):
        job = people_import.people_import_apply(job=job, user=hr_user)
    assert job.summary["updated"] == 5000
    assert not Person.objects.filter(organisation=org).exclude(weekly_hours=32).exists()


def test_api_records_import(org, hr_user):
    records = [
        {"employee_number": "1001", "last_name": "de Vries", "weekly_hours": 36.5, "unit": "fin"},
        {"employee_number": 1002, "last_name": "Jansen", "birth_year": 1980},
    ]

    result = people_import.people_records_import(
        organisation=org, user=hr_user, records=records, mode="partial"
    )

    assert result["status"] == "applied", result["errors"]
    assert result["created"] == 2
    assert Person.objects.get(employee_number="1002").birth_year == 1980
    job = ImportJob.objects.get(filename="api")
    assert job.status == ImportJob.Status.APPLIED

    bad = people_import.people_records_import(
        organisation=org,
        user=hr_user,
        records=[{"employee_number": "7"}, {"last_name": "X"}],
        mode="partial",
    )
    assert bad["status"] == "rejected"
    assert {(e["row"], e["column"]) for e in bad["errors"]} == {
        (1, "last_name"),
        (2, "employee_number"),
    }
    assert Person.objects.count() == 2


# --- Command line -----------------------------------------------------------------------


def test_command_applies_a_valid_file(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes())
    out = io.StringIO()

    call_command("import_people", str(path), organisation="noord", stdout=out)

    assert "created: 3" in out.getvalue()
    assert Person.objects.count() == 3


def test_command_dry_run_changes_nothing(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes())
    out = io.StringIO()

    call_command("import_people", str(path), organisation="noord", dry_run=True, stdout=out)

    assert "created: 3" in out.getvalue()
    assert not Person.objects.exists()
    assert not ImportJob.objects.exists()


def test_command_exits_non_zero_on_a_rejected_file(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(["1001;Anna;;;;;;;;;"]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_people", str(path), organisation="noord", stderr=err, stdout=io.StringIO())

    assert "row 2, column last_name" in err.getvalue()
    assert not Person.objects.exists()
    with pytest.raises(CommandError):
        call_command(
            "import_people",
            str(path),
            organisation="noord",
            dry_run=True,
            stderr=io.StringIO(),
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError):
        call_command("import_people", str(path), organisation="nope")

"""The employee's own care data export: complete, in JSON and XLSX, logged, and only
after a recent password confirmation."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from vitaal.care import services, workflow
from vitaal.core.models import AccessLogEntry
from vitaal.core.testing import login

from .access_portal import build_portal_world, complete_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast) -> None:
    world = build_portal_world(cast)
    person = cast.a.people["employee"]
    user = cast.user("employee")
    done = workflow.care_request_submit(user=user, person=person, intervention=world.yoga, description="=1+1")
    complete_request(cast, done, world.balans)
    workflow.evaluation_submit(user=user, request=done, helped="yes", grade=8, comment="Good.")
    workflow.referral_create(
        referrer=cast.user("hr"),
        person=person,
        intervention=world.coaching,
        referrer_role="hr",
        note="Try it.",
    )
    services.health_check_record(person=person, who5=[4, 4, 3, 3, 2], work_ability=8)
    # Someone else's data must not end up in the file.
    services.health_check_record(person=cast.a.people["manager"], who5=[0, 0, 0, 0, 0], work_ability=0)


def test_json_export_holds_all_own_care_data(client, cast, data) -> None:
    login(client, cast.user("employee"))
    response = client.get(reverse("care:portal_export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-care-data-')
    assert response["Cache-Control"] == "no-store"
    content = json.loads(response.content)
    assert set(content) == {"requests", "referrals", "health_checks", "evaluations"}
    (request,) = content["requests"]
    assert request["status"] == "completed"
    assert [step["to"] for step in request["history"]][-1] == "completed"
    assert content["referrals"][0]["note"] == "Try it."
    assert content["referrals"][0]["answer"] == "open"
    assert content["health_checks"] == [
        {
            "id": content["health_checks"][0]["id"],
            "taken_on": content["health_checks"][0]["taken_on"],
            "who5_answers": [4, 4, 3, 3, 2],
            "who5_raw": 16,
            "who5_percentage": 64,
            "wellbeing": "good",
            "work_ability": 8,
            "work_ability_band": "good",
        }
    ]
    assert content["evaluations"][0]["grade"] == 8


def test_xlsx_export_has_a_sheet_per_kind_and_safe_cells(client, cast, data) -> None:
    login(client, cast.user("employee"))
    response = client.get(reverse("care:portal_export_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["requests", "referrals", "health_checks", "evaluations"]
    requests = list(workbook["requests"].iter_rows(values_only=True))
    assert requests[0][0] == "id"
    assert len(requests) == 2
    # A description that looks like a formula is stored as text, not as a formula.
    assert requests[1][5] != "=1+1" and "1+1" in str(requests[1][5])
    checks = list(workbook["health_checks"].iter_rows(values_only=True))
    assert checks[1][4] == 64


def test_every_export_is_logged_for_the_employee(client, cast, data) -> None:
    login(client, cast.user("employee"))
    client.get(reverse("care:portal_export_json"))
    client.get(reverse("care:portal_export_xlsx"))
    entries = AccessLogEntry.objects.filter(subject=cast.a.people["employee"], action="export")
    assert sorted(entries.values_list("object_id", flat=True)) == ["json", "xlsx"]
    assert set(entries.values_list("basis", flat=True)) == {"self"}
    assert set(entries.values_list("actor", flat=True)) == {cast.user("employee").pk}


def test_export_asks_for_the_password_again_when_it_was_long_ago(client, cast, data) -> None:
    login(client, cast.user("employee"), recent=False)
    response = client.get(reverse("care:portal_export_json"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not AccessLogEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("role", ["hr", "org_admin", "care_coordinator", "sector_admin"])
def test_roles_without_a_person_record_have_nothing_to_export(client, cast, data, role: str) -> None:
    login(client, cast.user(role))
    assert client.get(reverse("care:portal_export_json")).status_code == 403
    assert client.get(reverse("care:portal_export_xlsx")).status_code == 403

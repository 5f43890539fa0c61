"""The full data export: every app's part, the access log about the person, nothing about
anyone else, and the download itself logged."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from vitaal.core.audit import log_access
from vitaal.core.models import AccessLogEntry
from vitaal.core.testing import Cast, login
from vitaal.privacy.tests.world import add_history, care_history
from vitaal.surveys.models import Invitation

pytestmark = pytest.mark.django_db

EXPECTED = {
    "person",
    "account",
    "roles",
    "access_log",
    "erasure_requests",
    "care_requests",
    "care_sessions",
    "care_evaluations",
    "care_referrals",
    "health_checks",
    "collective_activities",
    "surveys",
    "igm",
    "indicators",
}


@pytest.fixture
def world(cast: Cast):  # type: ignore[no-untyped-def]
    history = care_history(cast, "employee")
    add_history(history.world, "manager")  # a colleague with a care history of their own
    me, other = cast.a.people["employee"], cast.a.people["manager"]
    log_access(
        subject=me, action="view", object_type="person", user=cast.user("hr"), description="person record"
    )
    log_access(
        subject=other, action="view", object_type="person", user=cast.user("hr"), description="x-other"
    )
    return history


def _json(client: Client, cast: Cast) -> dict:  # type: ignore[type-arg]
    login(client, cast.user("employee"))
    response = client.get(reverse("privacy:export_json"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_json_has_every_part_and_only_this_person(client: Client, cast: Cast, world) -> None:  # type: ignore[no-untyped-def]
    data = _json(client, cast)
    sections = data["sections"]
    assert set(sections) == EXPECTED
    me = cast.a.people["employee"]
    assert sections["person"]["rows"][0]["employee_number"] == me.employee_number
    assert len(sections["care_requests"]["rows"]) == 2
    assert sections["care_sessions"]["rows"][0]["note"] == "Goed gesprek over werkdruk."
    assert sections["care_evaluations"]["rows"][0]["comment"] == "Fijne coach."
    assert len(sections["health_checks"]["rows"]) == 1
    assert [e["description"] for e in sections["access_log"]["rows"]].count("person record") == 1
    assert "anonymous" in sections["surveys"]["note"]
    text = json.dumps(data)
    other = cast.a.people["manager"]
    assert other.employee_number not in text and "x-other" not in text
    mine = {r["id"] for r in sections["care_requests"]["rows"]}
    assert mine.isdisjoint(set(other.care_requests.values_list("pk", flat=True)))


def test_the_export_is_logged(client: Client, cast: Cast, world) -> None:  # type: ignore[no-untyped-def]
    _json(client, cast)
    entry = AccessLogEntry.objects.filter(object_type="personal_data").get()
    assert entry.subject == cast.a.people["employee"] and entry.action == "export" and entry.basis == "self"


def test_invitations_to_the_own_address_are_included(client: Client, cast: Cast, world) -> None:  # type: ignore[no-untyped-def]
    from vitaal.privacy.tests.world import survey_wave

    wave = survey_wave(cast)
    Invitation.objects.create(wave=wave, email=cast.a.people["employee"].email, token_hash="a" * 64)
    Invitation.objects.create(wave=wave, email=cast.a.people["manager"].email, token_hash="b" * 64)
    rows = _json(client, cast)["sections"]["surveys"]["rows"]
    assert [r["email"] for r in rows] == [cast.a.people["employee"].email]


def test_xlsx_has_a_sheet_per_part(client: Client, cast: Cast, world) -> None:  # type: ignore[no-untyped-def]
    login(client, cast.user("employee"))
    response = client.get(reverse("privacy:export_xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert set(workbook.sheetnames) == EXPECTED
    assert workbook["care_evaluations"]["A1"].value == "Your evaluations"


def test_export_asks_for_the_password_again_when_old(client: Client, cast: Cast) -> None:
    login(client, cast.user("employee"), recent=False)
    response = client.get(reverse("privacy:export_json"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not AccessLogEntry.objects.filter(object_type="personal_data").exists()


def test_my_data_page_links_to_export_and_erasure(client: Client, cast: Cast) -> None:
    login(client, cast.user("employee"))
    page = client.get(reverse("core:me"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ("privacy:export_xlsx", "privacy:export_json", "privacy:my_erasure"):
        assert reverse(name) in page

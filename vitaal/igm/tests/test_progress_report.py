"""The IGM progress report: phases, radar of baseline against the re-measurement, plan
progress and open signals, as a page and as a PDF; who may read it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.igm.models import SessionPurpose
from vitaal.igm.report import build_progress_report
from vitaal.igm.services import phase_update

from .access_plans import build_plans, closed_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def built(cast):
    built = build_plans(cast)
    cycle = built["cycle"]
    for phase in cycle.phases.filter(number__lte=2):
        phase_update(phase=phase, status="done")
    baseline = closed_session(cast, None, {"a": 1, "b": 2, "c": 3}, day=date(2025, 2, 1))
    evaluation = closed_session(cast, None, {"a": 3, "b": 3, "c": 3}, day=date(2025, 11, 1))
    evaluation.purpose = SessionPurpose.EVALUATION
    evaluation.save(update_fields=["purpose"])
    return {**built, "baseline": baseline}


def url(name, cast):
    return reverse(f"igm:{name}", kwargs={"org": cast.a.organisation.slug})


def test_report_builder(cast, built):
    report = build_progress_report(cast.a.organisation, date(2025, 7, 1))
    assert report.cycle == built["cycle"]
    assert report.current_phase is not None and report.current_phase.number == 3
    assert [row.axis for row in report.radar_rows] == ["Line a", "Line b", "Line c"]
    # level 1 of 1-4 is 0, level 3 is 66.7
    assert report.radar_rows[0].values == (0.0, 66.7)
    assert report.radar_svg is not None and "<svg" in report.radar_svg
    by_unit = {row.plan.unit.code: row.progress for row in report.plans}
    assert by_unit["F1-T1"].actions == 1 and by_unit["F1-T1"].overdue == 1
    assert len(report.signals) == 1


def test_report_page_and_pdf(client, cast, built):
    login(client, cast.user("management"))
    page = client.get(url("progress_report", cast)).content.decode()
    assert "IGM progress report" in page
    assert "3 Plan of approach" in page
    assert "Line a" in page and "66.7" in page
    assert "Action &#x27;Rooster aanpassen&#x27; was due on 2025-06-01 and is not done." in page
    response = client.get(url("progress_report_pdf", cast))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "IGM progress report" in text
    assert "Hogeschool A" in text
    assert "Team 1" in text
    assert "Rooster aanpassen" in text


def test_report_without_cycle(client, cast, db):
    login(client, cast.user("coordinator"))
    page = client.get(url("progress_report", cast)).content.decode()
    assert "has not started an improvement cycle yet" in page


def test_report_refuses_wrong_role_and_other_organisation(client, cast, built):
    for role, status in (("employee", 403), ("hr", 403), ("coordinator_b", 404), ("management_b", 404)):
        client.logout()
        login(client, cast.user(role))
        assert client.get(url("progress_report", cast)).status_code == status, role
        assert client.get(url("progress_report_pdf", cast)).status_code == status, role


def test_unit_management_sees_only_its_own_plans(client, cast, built):
    from vitaal.core.models import Membership, User
    from vitaal.core.roles import Role

    head = User.objects.create_user(email="head.team2@example.org", password=None)
    Membership.objects.create(
        user=head,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.team2,
    )
    report = build_progress_report(cast.a.organisation, date(2025, 7, 1), head)
    assert [row.plan.unit.code for row in report.plans] == ["F1-T2"]
    login(client, head)
    page = client.get(url("progress_report", cast)).content.decode()
    assert "Team 2" in page and "Team 1" not in page

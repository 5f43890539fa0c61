"""The usage report pages and API: roles, other organisations, suppressed cells in the
rendered HTML, PDF and XLSX, audit entries, and query counts that do not grow with N."""

from __future__ import annotations

import io
import subprocess
import tempfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vitaal.api.models import ApiToken
from vitaal.care.models import BudgetApplication
from vitaal.care.report_tasks import store_reports
from vitaal.core.models import AccessLogEntry
from vitaal.core.releases import ReleasePeriod
from vitaal.core.testing import login

from .test_usage import HIDDEN, QUARTER, add_users, populate

PERIOD = ReleasePeriod.of_quarter(QUARTER.year, QUARTER.quarter)


def _url(name: str, org: str = "a") -> str:
    return reverse(name, args=[org])


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def populated(world):
    populate(world)
    store_reports(QUARTER, [world.cast.sector])
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["org_admin", "hr", "management", "works_council", "sector_admin"])
def test_report_readers_see_the_report(client, world, role):
    login(client, world.cast.user(role))
    response = client.get(_url("care:usage_report"))
    assert response.status_code == 200
    assert "Care usage of Hogeschool A" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["manager", "employee", "company_doctor", "coordinator", "advisor", "provider"]
)
def test_other_roles_are_refused(client, world, role):
    login(client, world.cast.user(role))
    assert client.get(_url("care:usage_report")).status_code == 403
    assert client.get(_url("care:usage_report_xlsx")).status_code == 403


@pytest.mark.django_db
def test_another_organisation_is_not_found(client, world):
    login(client, world.cast.user("hr_b"))
    assert client.get(_url("care:usage_report")).status_code == 404
    assert client.get(_url("care:usage_report_pdf")).status_code == 404
    assert client.get(_url("care:usage_report", "does-not-exist")).status_code == 404


def _stored_page(client, world, name, org="a"):
    """Render the 2025-Q2 report through the page (the picker lists recent periods
    only, so the view's loader is pointed at the quarter)."""
    from unittest import mock

    from vitaal.care.web.reports import forms

    with mock.patch.object(forms.PeriodForm, "chosen", return_value=PERIOD):
        return client.get(_url(name, org) if org else reverse(name))


@pytest.mark.django_db
def test_html_report_shows_suppressed_cells_and_no_names(client, populated):
    cast = populated.cast
    login(client, cast.user("works_council"))
    response = _stored_page(client, populated, "care:usage_report")
    html = response.content.decode()
    assert "do not change afterwards" in html
    assert "suppressed" in html
    assert "<svg" in html and "Users by theme" in html
    for person in cast.a.people.values():
        assert person.last_name not in html or person.last_name == "A"
    assert "Gebruiker" not in html  # the users' names never appear


@pytest.mark.django_db
def test_small_organisation_report_suppresses_the_total(client, populated):
    login(client, populated.cast.user("hr_b"))
    html = _stored_page(client, populated, "care:usage_report", "b").content.decode()
    assert "Spending is shown for whole calendar years only" in html


@pytest.mark.django_db
def test_pdf_report_opens_and_shows_suppressed(client, populated):
    login(client, populated.cast.user("org_admin"))
    response = _stored_page(client, populated, "care:usage_report_pdf")
    assert response["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(response.content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "Care usage of Hogeschool A" in text
    assert "suppressed" in text
    assert "2025-Q2" in text


@pytest.mark.django_db
def test_xlsx_report_opens_and_shows_suppressed(client, populated):
    from openpyxl import load_workbook

    login(client, populated.cast.user("hr"))
    response = _stored_page(client, populated, "care:usage_report_xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Summary", "Uptake", "Delivered care", "Evaluations", "Costs and budget"} <= set(
        workbook.sheetnames
    )
    uptake = list(workbook["Uptake"].iter_rows(values_only=True))
    physical = next(r for r in uptake if r[0] == "Theme" and r[1] == "Physical health")
    mental = next(r for r in uptake if r[0] == "Theme" and r[1] == "Mental health")
    assert physical[2] == "suppressed" and mental[2] == 12
    # Everybody is in one chain stage: that breakdown is withheld as a whole ("not shown",
    # each of its cells), never partly; every other count is suppressed, zero or at least k.
    by_breakdown: dict[str, list[object]] = {}
    for breakdown, _category, value in uptake[1:]:
        by_breakdown.setdefault(breakdown, []).append(value)
    assert set(by_breakdown["Chain stage"]) == {"not shown"}
    for breakdown, values in by_breakdown.items():
        if breakdown == "Chain stage":
            continue
        for value in values:
            assert value == "suppressed" or value == 0 or (isinstance(value, int) and value >= 10)


@pytest.mark.django_db
def test_sector_benchmark_only_for_the_sector_admin(client, populated):
    login(client, populated.cast.user("hr"))
    assert client.get(reverse("care:sector_usage")).status_code == 403
    login(client, populated.cast.user("sector_admin"))
    html = _stored_page(client, populated, "care:sector_usage", None).content.decode()
    assert "Organisations compared" in html and "Hogeschool B" in html
    response = _stored_page(client, populated, "care:sector_usage_xlsx", None)
    from openpyxl import load_workbook

    assert "Benchmark" in load_workbook(io.BytesIO(response.content)).sheetnames


@pytest.mark.django_db
def test_reading_a_report_is_logged(client, populated):
    login(client, populated.cast.user("management"))
    _stored_page(client, populated, "care:usage_report")
    _stored_page(client, populated, "care:usage_report_xlsx")
    entries = AccessLogEntry.objects.filter(
        object_type="care_usage_report", organisation=populated.cast.a.organisation
    )
    assert sorted(entries.values_list("action", flat=True)) == ["export", "view"]
    assert entries.filter(subject__isnull=False).count() == 0


@pytest.mark.django_db
def test_report_queries_do_not_grow_with_requests(client, world):
    from vitaal.care.release import build

    cast = world.cast
    login(client, cast.user("hr"))
    _stored_page(client, world, "care:usage_report")  # session, period, the release itself
    counts = []
    for n in (3, 30):
        add_users(world, cast.a.organisation, world.coaching, n, cost=None, grade=7)
        with CaptureQueriesContext(connection) as building:
            build(cast.sector, PERIOD, 10)
        with CaptureQueriesContext(connection) as reading:
            response = _stored_page(client, world, "care:usage_report")
        assert response.status_code == 200
        counts.append((len(building), len(reading)))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_bad_period_falls_back_to_the_last_twelve_months(client, world):
    login(client, world.cast.user("hr"))
    response = client.get(_url("care:usage_report"), {"period": "1999-Q9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_api_serves_the_protected_aggregates(client, populated):
    cast = populated.cast
    _token, raw = ApiToken.issue(user=cast.user("hr"), name="test")
    url = reverse("api:care_usage", kwargs={"org": "a", "year": 2025, "quarter": 2})
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    assert data["period"]["kind"] == "quarter" and data["generated_on"]
    theme = next(b for b in data["uptake"]["breakdowns"] if b["key"] == "theme")
    physical = next(r for r in theme["rows"] if r["key"] == "physical")
    mental = next(r for r in theme["rows"] if r["key"] == "mental")
    assert physical["cell"] == HIDDEN and mental["cell"]["value"] == 12
    # the same figures by period code, and nothing for a period still running
    by_code = reverse("api:care_usage_period", kwargs={"org": "a", "period": "2025-Q2"})
    assert client.get(by_code, HTTP_AUTHORIZATION=f"Bearer {raw}").json()["uptake"] == data["uptake"]
    running = reverse("api:care_usage_period", kwargs={"org": "a", "period": "2100-Q1"})
    assert client.get(running, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    assert AccessLogEntry.objects.filter(
        object_type="care_usage_report", description__contains="api"
    ).exists()
    # another organisation, a quarter that does not exist, and a role without access
    other = reverse("api:care_usage", kwargs={"org": "b", "year": 2025, "quarter": 2})
    assert client.get(other, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    bad = reverse("api:care_usage", kwargs={"org": "a", "year": 2025, "quarter": 7})
    assert client.get(bad, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    _t, manager = ApiToken.issue(user=cast.user("manager"), name="test")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {manager}").status_code == 403
    small = client.get(
        reverse("api:care_usage", kwargs={"org": "b", "year": 2025, "quarter": 2}),
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=cast.user('hr_b'), name='t')[1]}",
    ).json()
    assert small["uptake"]["total"] == HIDDEN


@pytest.mark.django_db
def test_start_page_and_menu_point_report_readers_to_their_pages(client, world):
    from vitaal.care.web.reports.hooks import start_sections

    cast = world.cast
    assert [s.title for s in start_sections(cast.user("works_council"))] == ["Care usage of Hogeschool A"]
    assert start_sections(cast.user("manager")) == []
    assert start_sections(cast.user("employee")) == []
    BudgetApplication.objects.create(
        organisation=cast.a.organisation,
        year=2026,
        purpose="x",
        amount=1,
        period_start="2026-01-01",
        period_end="2026-01-02",
        submitted_by=cast.user("hr"),
    )
    admin = start_sections(cast.user("sector_admin"))
    assert admin[-1].tasks[0].count == 1
    login(client, cast.user("hr"))
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("care:usage_report", args=["a"]) in html and reverse("care:comm_kit", args=["a"]) in html
    login(client, cast.user("manager"))
    assert reverse("care:usage_report", args=["a"]) not in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_sector_admin_releases_the_last_quarter_on_demand(client, world):
    from vitaal.core.models import Release

    login(client, world.cast.user("hr"))
    assert client.post(reverse("care:store_reports")).status_code == 403
    assert Release.objects.count() == 0
    login(client, world.cast.user("sector_admin"))
    response = client.post(reverse("care:store_reports"), follow=True)
    made = Release.objects.count()
    # the quarter, the twelve months to its end with the three quarters before it, and
    # the year after a fourth quarter
    assert made in (5, 6)
    assert f"{made} releases ending with" in response.content.decode()
    client.post(reverse("care:store_reports"))
    assert Release.objects.count() == made

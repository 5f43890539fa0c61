"""Business-case pages: defaults from the register, bad input, the realised view, the
comparison and the PDF."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.indicators.models import BusinessCase, Indicator, Measurement

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Balance days",
    "staff": "200",
    "fte": "160",
    "absence_pct": "6",
    "absence_frequency": "1,2",
    "cost_per_absence_day": "300",
    "working_days_per_fte": "220",
    "turnover_pct": "10",
    "replacement_cost": "20000",
    "salary_cost_per_fte": "60000",
    "absence_effect_pct": "10",
    "turnover_effect_pct": "20",
    "productivity_gain_pct": "0,5",
    "one_off_hours": "400",
    "one_off_external": "20000",
    "yearly_hours": "200",
    "yearly_external": "10000",
    "hourly_rate": "75",
    "years": "3",
    "discount_rate_pct": "5",
    "implemented_on": "2025-01-01",
}


def test_create_shows_the_hand_computed_figures(client, cast, library) -> None:
    org = cast.a.organisation
    login(client, cast.user("management"))
    form_page = client.get(reverse("indicators:case_create", args=[org.slug])).content.decode()
    assert 'name="staff"' in form_page
    response = client.post(reverse("indicators:case_create", args=[org.slug]), FORM)
    assert response.status_code == 302
    case = BusinessCase.objects.get()
    page = client.get(reverse("indicators:case_detail", args=[org.slug, case.pk])).content.decode()
    digits = page.replace(".", "").replace(",", "")
    for figure in ("19136000", "44908000", "35926", "40303954"):  # 191,360.00 449,080.00 359.26 % 403,039.54
        assert figure in digits, figure


def test_negative_costs_store_nothing(client, cast, library) -> None:
    login(client, cast.user("coordinator"))
    response = client.post(
        reverse("indicators:case_create", args=[cast.a.organisation.slug]), {**FORM, "yearly_external": "-5"}
    )
    assert response.status_code == 400 and "cannot be negative" in response.content.decode()
    assert not BusinessCase.objects.exists()


def test_realised_view_from_measured_absence(client, cast, library) -> None:
    org = cast.a.organisation
    absence = Indicator.objects.get(code="absence-pct")
    for month, value in [(m, "6.0") for m in range(1, 13)]:
        Measurement.objects.create(
            organisation=org,
            indicator=absence,
            period_start=date(2024, month, 1),
            value=D(value),
            group_size=200,
            source="manual",
        )
    for month in range(1, 7):
        Measurement.objects.create(
            organisation=org,
            indicator=absence,
            period_start=date(2025, month, 1),
            value=D("5.2"),
            group_size=200,
            source="manual",
        )
    login(client, cast.user("management"))
    client.post(reverse("indicators:case_create", args=[org.slug]), FORM)
    case = BusinessCase.objects.get()
    page = client.get(reverse("indicators:case_detail", args=[org.slug, case.pk])).content.decode()
    assert "paid back within a year" in page and "281.6" in page.replace("281,6", "281.6")


def test_compare_and_pdf(client, cast, library) -> None:
    org = cast.a.organisation
    login(client, cast.user("org_admin"))
    client.post(reverse("indicators:case_create", args=[org.slug]), FORM)
    client.post(
        reverse("indicators:case_create", args=[org.slug]),
        {**FORM, "name": "Cautious", "absence_effect_pct": "5"},
    )
    ids = list(BusinessCase.objects.values_list("pk", flat=True))
    page = client.get(reverse("indicators:case_list", args=[org.slug]), {"compare": ids}).content.decode()
    assert "Comparison" in page and "Cautious" in page
    pdf = client.get(reverse("indicators:case_pdf", args=[org.slug, ids[0]])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Balance days" in text


def test_other_roles_and_organisations_are_refused(client, cast, library) -> None:
    case = BusinessCase.objects.create(
        organisation=cast.a.organisation,
        name="x",
        inputs={
            "staff": "1",
            "fte": "1",
            "absence_pct": "1",
            "absence_frequency": "1",
            "cost_per_absence_day": "1",
        },
    )
    url = reverse("indicators:case_detail", args=[cast.a.organisation.slug, case.pk])
    for role in ("works_council", "manager", "hr", "employee"):
        login(client, cast.user(role))
        assert client.get(url).status_code == 403, role
    login(client, cast.user("management_b"))
    assert client.get(url).status_code == 404

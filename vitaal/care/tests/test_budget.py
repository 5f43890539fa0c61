"""Budget applications (apply within the company-bound budget, the sector admin
decides), the balances page and the sustainability forecast page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from vitaal.care import finance
from vitaal.care.models import ApplicationStatus, BudgetApplication, LedgerEntry
from vitaal.core.testing import login


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def funded(world):
    """A financing model with EUR 50 company-bound budget per employee: organisation A
    has 3 current employees, so EUR 150 a year."""
    finance.financing_model_set(
        user=world.cast.user("sector_admin"),
        package=world.package,
        company_budget_per_employee=Decimal("50"),
    )
    return world


def _form(amount: str) -> dict[str, str]:
    year = timezone.localdate().year
    return {
        "purpose": "Workshop werkdruk",
        "amount": amount,
        "period_start": f"{year}-03-01",
        "period_end": f"{year}-06-30",
    }


@pytest.mark.django_db
def test_hr_applies_within_the_budget(client, funded):
    login(client, funded.cast.user("hr"))
    url = reverse("care:budget", args=["a"])
    page = client.get(url).content.decode()
    assert "Left to apply for" in page and "150.00" in page
    response = client.post(url, _form("100"))
    assert response.status_code == 302
    application = BudgetApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.amount == Decimal("100")


@pytest.mark.django_db
def test_application_above_the_remaining_budget_is_refused(client, funded):
    login(client, funded.cast.user("org_admin"))
    response = client.post(reverse("care:budget", args=["a"]), _form("151"))
    assert response.status_code == 200
    assert "only EUR 150.00 of the company-bound budget" in response.content.decode()
    assert BudgetApplication.objects.count() == 0


@pytest.mark.django_db
def test_bad_application_input_changes_nothing(client, funded):
    login(client, funded.cast.user("hr"))
    data = _form("-5")
    data["period_end"] = "2000-01-01"
    response = client.post(reverse("care:budget", args=["a"]), data)
    assert response.status_code == 200 and BudgetApplication.objects.count() == 0


@pytest.mark.django_db
def test_roles_on_the_budget_page(client, funded):
    url = reverse("care:budget", args=["a"])
    login(client, funded.cast.user("management"))
    assert client.get(url).status_code == 403
    login(client, funded.cast.user("hr_b"))
    assert client.get(url).status_code == 404
    login(client, funded.cast.user("sector_admin"))
    page = client.get(url).content.decode()
    assert "Send application" not in page  # the sector admin decides, never applies
    assert client.post(url, _form("10")).status_code == 403
    assert BudgetApplication.objects.count() == 0


@pytest.mark.django_db
def test_sector_admin_decides_and_approval_books_a_commitment(client, funded):
    cast = funded.cast
    login(client, cast.user("hr"))
    client.post(reverse("care:budget", args=["a"]), _form("100"))
    client.post(reverse("care:budget", args=["a"]), _form("40"))
    first, second = BudgetApplication.objects.order_by("pk")
    # HR cannot decide its own application
    response = client.post(reverse("care:budget_decide", args=[first.pk]), {"decision": "approve"})
    assert response.status_code == 403
    login(client, cast.user("sector_admin"))
    page = client.get(reverse("care:budget_decisions")).content.decode()
    assert "Workshop werkdruk" in page and "Hogeschool A" in page
    client.post(reverse("care:budget_decide", args=[first.pk]), {"decision": "approve"})
    first.refresh_from_db()
    assert first.status == ApplicationStatus.APPROVED
    assert LedgerEntry.objects.filter(budget_application=first, kind="commitment").count() == 1
    # rejecting without a note is refused and changes nothing
    response = client.post(
        reverse("care:budget_decide", args=[second.pk]), {"decision": "reject"}, follow=True
    )
    assert "Explain the rejection" in response.content.decode()
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    # the balances page shows what is left
    html = client.get(reverse("care:balances")).content.decode()
    assert "Hogeschool A" in html and "50.00" in html


@pytest.mark.django_db
def test_approval_over_the_remaining_budget_is_refused(client, funded):
    cast = funded.cast
    year = timezone.localdate().year
    applications = [
        BudgetApplication.objects.create(
            organisation=cast.a.organisation,
            year=year,
            purpose="p",
            amount=Decimal(amount),
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
            submitted_by=cast.user("hr"),
        )
        for amount in ("100", "100")
    ]
    login(client, cast.user("sector_admin"))
    client.post(reverse("care:budget_decide", args=[applications[0].pk]), {"decision": "approve"})
    response = client.post(
        reverse("care:budget_decide", args=[applications[1].pk]), {"decision": "approve"}, follow=True
    )
    assert "only EUR 50.00" in response.content.decode()
    applications[1].refresh_from_db()
    assert applications[1].status == ApplicationStatus.SUBMITTED
    assert LedgerEntry.objects.count() == 1


@pytest.mark.django_db
def test_forecast_page_compares_models_and_shows_the_first_loss_year(client, world):
    login(client, world.cast.user("sector_admin"))
    url = reverse("care:forecast")
    params = {
        "start_year": 2026,
        "years": 5,
        "headcount": 1000,
        "contribution": "55",
        "co_payment_share": "50",
        "company_budget_per_employee": "5",
        "headcount_growth": "0",
        "tariff_indexation": "0",
        "uptake_growth": "20",
        "uptake_scale": "100",
        "default_uptake": "30",
    }
    html = client.get(url, params).content.decode()
    # No history: 30 uses per 1,000 for each of the 4 offered interventions at EUR 95 a
    # session: coaching, physio and team talk 5 sessions (14.25 per employee), budget
    # coaching 1 (2.85): EUR 45,600 for 1,000 employees in 2026, growing 20% a year.
    # Contribution only: 55,000 - 45,600 = 9,400; 2027: 55,000 - 54,720 = 280;
    # 2028: 55,000 - 65,664 < 0. With EUR 5,000 company-bound budget: 2027 is
    # 55,000 - 54,720 - 5,000 < 0. With a 50% co-payment the arrangement pays at most
    # 94,556 / 2 = 47,278 in 2030: no loss.
    assert "14.25" in html and "2.85" in html and "assumption" in html
    assert "First year at a loss: 2028." in html
    assert "First year at a loss: 2027." in html
    assert "No year runs at a loss in this period." in html
    assert "<svg" in html and "<polyline" in html
    assert "Contribution and co-payment per use" in html
    bad = client.get(url, {**params, "years": "99", "co_payment_share": "150"})
    assert bad.status_code == 200 and "First year at a loss" not in bad.content.decode()
    login(client, world.cast.user("org_admin"))
    assert client.get(url).status_code == 403

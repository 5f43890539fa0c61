"""The forecast's history is the sector's care releases of closed calendar years: the
same figures every other output shows, hidden alike, and nothing of the running year."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from vitaal.care.forecast import history_from_releases
from vitaal.care.models import CareRequest, DeliverySession, RequestEvent, RequestStatus
from vitaal.care.release import care_release
from vitaal.core.models import Organisation, Person
from vitaal.core.releases import ReleasePeriod
from vitaal.core.testing import login

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # the running year is 2026; the window is 2023-2025
CENT = Decimal("0.01")
PARAMS = {
    "start_year": 2026,
    "years": 3,
    "headcount": 1000,
    "contribution": "55",
    "co_payment_share": "50",
    "company_budget_per_employee": "5",
    "headcount_growth": "0",
    "tariff_indexation": "0",
    "uptake_growth": "0",
    "uptake_scale": "100",
    "default_uptake": "30",
}


def used_care(world, organisation: Organisation, people: int, when: datetime, cost: str = "95") -> None:
    """``people`` new employees, each with one request completed with one session."""
    for i in range(people):
        person = Person.objects.create(
            organisation=organisation,
            employee_number=f"h{organisation.slug}{when.year}{when.month}{i}",
            last_name="Historie",
            gender="f",
            birth_year=1980,
            function_group=world.cast.op,
        )
        request = CareRequest.objects.create(
            person=person,
            organisation=organisation,
            intervention=world.coaching,
            route="direct",
            created_at=when,
            status=RequestStatus.COMPLETED,
            provider=world.balans,
        )
        DeliverySession.objects.create(
            request=request,
            provider=world.balans,
            date=when.date(),
            duration_minutes=60,
            cost=Decimal(cost),
            registered_by=world.cast.user("provider"),
        )
        RequestEvent.objects.create(request=request, to_status=RequestStatus.COMPLETED, at=when)


@pytest.fixture
def history_world(world):
    a, b = world.cast.a.organisation, world.cast.b.organisation
    used_care(world, a, 12, datetime(2025, 4, 2, 10, tzinfo=UTC))
    used_care(world, b, 11, datetime(2025, 9, 15, 10, tzinfo=UTC), cost="80")
    used_care(world, a, 3, datetime(2024, 5, 6, 10, tzinfo=UTC))  # too few: hidden
    return world


def test_the_history_is_the_released_figures_of_closed_years(history_world):
    sector = history_world.cast.sector
    history = history_from_releases(sector, today=TODAY)
    assert [y.year for y in history.years] == [2023, 2024, 2025]
    for year in history.years:
        report = care_release(sector, ReleasePeriod.of_year(year.year), today=TODAY)["sector_report"]
        total = report["uptake"]["total"]
        assert year.headcount == report["headcount"]
        assert year.users == (None if total["suppressed"] else total["value"])
        cost = report["delivered"]["cost_total"]
        assert year.cost == (None if cost is None else Decimal(cost))
    y2023, y2024, y2025 = history.years
    assert (y2023.users, y2023.cost) == (0, Decimal("0.00"))
    assert y2024.users is None and not y2024.shown  # three users: the release hides them
    assert (y2025.users, y2025.cost) == (23, Decimal("2020.00"))  # 12 × 95 + 11 × 80
    # Users per 1,000 per year over the window; the cost per user of the years shown.
    rate = (Decimal(23) / y2025.headcount * 1000 + 0) / 3
    assert history.uptake_per_1000 == rate.quantize(CENT)
    assert history.cost_per_user == (Decimal("2020") / 23).quantize(CENT)


def test_the_running_year_is_never_read(history_world):
    sector = history_world.cast.sector
    before = history_from_releases(sector, today=TODAY)
    used_care(history_world, history_world.cast.a.organisation, 15, datetime(2026, 2, 1, 10, tzinfo=UTC))
    assert history_from_releases(sector, today=TODAY) == before


def _page(client) -> str:
    html = client.get(reverse("care:forecast"), PARAMS).content.decode()
    return re.sub(r'(nonce|value)="[^"]*"', "", html)


def test_the_forecast_page_shows_the_released_history(client, history_world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    login(client, history_world.cast.user("sector_admin"))
    html = _page(client)
    history = history_from_releases(history_world.cast.sector, today=TODAY)
    # The package's interventions together, at the released rate and cost per user ...
    assert "Interventions in the package (2023–2025 together)" in html
    assert f"{history.uptake_per_1000}" in html and f"{history.cost_per_user} per user" in html
    assert "released figures" in html
    # ... the intervention under discussion at the assumed uptake; nothing per
    # intervention from history.
    assert "Budget coaching" in html and "assumption" in html
    assert "Coaching</th>" not in html
    assert "2020.00" in html and "suppressed" in html  # 2025's cost; 2024's three users


def test_one_care_request_in_the_running_year_changes_nothing_on_the_page(client, history_world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    login(client, history_world.cast.user("sector_admin"))
    before = _page(client)
    used_care(history_world, history_world.cast.b.organisation, 1, datetime(2026, 2, 3, 9, tzinfo=UTC))
    assert _page(client) == before

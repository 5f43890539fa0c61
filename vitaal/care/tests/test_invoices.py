"""Invoices per organisation and period: the amounts, and nothing an invoice does not need."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from vitaal.care import invoices, workflow
from vitaal.care.tests.work_world import build_work_world, in_progress
from vitaal.core.testing import login


@pytest.fixture
def ww(cast):
    world = build_work_world(cast, with_requests=False)
    for who, costs in (("employee", ["95.00", "95.00"]), ("manager", ["80.00"])):
        request = in_progress(world, who, sessions=3)
        for cost in costs:
            workflow.delivery_session_register(
                user=cast.user("provider"),
                request=request,
                date=timezone.localdate(),
                duration_minutes=50,
                cost=Decimal(cost),
                note="Vertrouwelijke notitie",
            )
    return world


def period() -> str:
    return timezone.localdate().strftime("%Y-%m")


def test_periods_parse_months_and_quarters():
    assert invoices.parse_period("2026-03").start == date(2026, 3, 1)
    q4 = invoices.parse_period("2026-Q4")
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2027, 1, 1))
    for bad in ("2026-13", "2026-Q5", "march", "2026-3"):
        with pytest.raises(Http404):
            invoices.parse_period(bad)


def test_invoice_totals_per_intervention(ww):
    invoice = invoices.invoice_build(
        provider=ww.balans, organisation=ww.cast.a.organisation, period=invoices.parse_period(period())
    )
    [line] = invoice.lines
    assert (line.trajectories, line.sessions, line.amount) == (2, 3, Decimal("270.00"))
    assert invoice.total == Decimal("270.00")
    other = invoices.invoice_build(
        provider=ww.balans, organisation=ww.cast.b.organisation, period=invoices.parse_period(period())
    )
    assert other.lines == []


def test_invoice_page_and_exports_carry_no_names_or_notes(client, ww):
    login(client, ww.cast.user("provider"))
    kwargs = {"provider": ww.balans.pk, "org": "a", "period": period()}
    listing = client.get(reverse("care:invoice_list")).content.decode()
    assert "270" in listing
    page = client.get(reverse("care:invoice_detail", kwargs=kwargs)).content.decode()
    xlsx = client.get(reverse("care:invoice_xlsx", kwargs=kwargs))
    pdf = client.get(reverse("care:invoice_pdf", kwargs=kwargs))
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    for content in (page, cells, text):
        assert "270" in content
        for secret in ("Vertrouwelijke", "Employee", "Manager A", ww.cast.a.people["employee"].email):
            assert secret not in content


def test_invoice_of_another_provider_is_not_found(client, ww, cast):
    from vitaal.care import services
    from vitaal.core.models import Membership, User
    from vitaal.core.roles import Role
    from vitaal.core.testing import TEST_PASSWORD

    from .support import provider

    other = provider(cast.sector, "anders", offers=(ww.coaching,))
    user = User.objects.create_user("p3@example.org", TEST_PASSWORD)
    Membership.objects.create(user=user, role=Role.PROVIDER, sector=cast.sector)
    services.provider_member_add(provider=other, user=user)
    login(client, user)
    kwargs = {"provider": ww.balans.pk, "org": "a", "period": period()}
    assert client.get(reverse("care:invoice_detail", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("care:invoice_xlsx", kwargs=kwargs)).status_code == 404
    assert "270" not in client.get(reverse("care:invoice_list")).content.decode()


def test_invoice_list_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    login(client, ww.cast.user("provider"))
    client.get(reverse("care:invoice_list"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("care:invoice_list"))
    request = in_progress(ww, "employee", sessions=1)
    workflow.delivery_session_register(
        user=ww.cast.user("provider"),
        request=request,
        date=date(2025, 1, 5),
        duration_minutes=30,
        cost=Decimal("5"),
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("care:invoice_list"))

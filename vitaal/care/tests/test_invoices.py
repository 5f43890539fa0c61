"""Invoices per organisation and period: the amounts, nothing an invoice does not need,
addressed to the sector's care arrangement and never received by the employer's side."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from vitaal.care import invoices, workflow
from vitaal.care.tests.work_world import build_work_world, in_progress
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES, login


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


INVOICE_URLS = ("care:invoice_detail", "care:invoice_xlsx", "care:invoice_pdf")
# Everybody but the provider who sends invoices and the care coordinator desk they are
# addressed to: every employer-side role of both organisations, the sector admin and the
# privacy officer.
REFUSED = [
    r
    for r in ORG_ROLES + [f"{r}_b" for r in ORG_ROLES] + SECTOR_ROLES
    if r not in ("provider", "care_coordinator")
]


def _text(response) -> str:
    """Whatever a reader gets out of the answer: page, workbook or PDF."""
    if response["Content-Type"].startswith("application/pdf"):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
    if "spreadsheet" in response["Content-Type"]:
        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).active
        return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    return response.content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_no_employer_side_or_sector_role_receives_an_invoice(client, ww, role):
    login(client, ww.cast.user(role))
    listing = client.get(reverse("care:invoice_list"))
    assert listing.status_code == 403 and "270" not in listing.content.decode()
    # Neither of their own organisation nor of the other one.
    for org in ("a", "b"):
        kwargs = {"provider": ww.balans.pk, "org": org, "period": period()}
        for name in INVOICE_URLS:
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 403
            assert "270" not in response.content.decode()


def test_the_invoice_is_addressed_to_the_arrangement_not_the_employer(client, ww):
    login(client, ww.cast.user("provider"))
    kwargs = {"provider": ww.balans.pk, "org": "a", "period": period()}
    addressee = f"Care arrangement of {ww.cast.sector.name}, care coordinator desk"
    with translation.override("en"):
        for name in INVOICE_URLS:
            content = _text(client.get(reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="en"))
            assert "Addressed to" in content and addressee in " ".join(content.split()), name
            # The organisation is named only as whose employees had the care.
            assert "For employees of" in content and "Hogeschool A" in content
        invoice = invoices.invoice_build(
            provider=ww.balans, organisation=ww.cast.a.organisation, period=invoices.parse_period(period())
        )
        assert invoice.addressee == addressee


def test_the_care_coordinator_reads_the_invoices_of_the_sector(client, ww):
    login(client, ww.cast.user("care_coordinator"))
    assert "270" in client.get(reverse("care:invoice_list")).content.decode()
    kwargs = {"provider": ww.balans.pk, "org": "a", "period": period()}
    for name in INVOICE_URLS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        assert "270" in _text(response)


def test_invoices_of_another_sector_do_not_exist_for_its_coordinator_or_provider(client, ww, cast):
    from vitaal.care import services
    from vitaal.core.models import Membership, Organisation, Sector, SizeClass, User
    from vitaal.core.roles import Role
    from vitaal.core.testing import TEST_PASSWORD

    from .support import provider

    elsewhere = Sector.objects.create(name="Elders", slug="elders")
    Organisation.objects.create(
        sector=elsewhere, name="Elders BV", slug="elders-bv", size_class=SizeClass.SMALL
    )
    coordinator = User.objects.create_user("cc2@example.org", TEST_PASSWORD)
    Membership.objects.create(user=coordinator, role=Role.CARE_COORDINATOR, sector=elsewhere)
    login(client, coordinator)
    kwargs = {"provider": ww.balans.pk, "org": "a", "period": period()}
    assert client.get(reverse("care:invoice_list")).status_code == 200
    assert "270" not in client.get(reverse("care:invoice_list")).content.decode()
    for name in INVOICE_URLS:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    # The provider cannot bill an organisation outside its own sector.
    login(client, cast.user("provider"))
    away = {"provider": ww.balans.pk, "org": "elders-bv", "period": period()}
    assert client.get(reverse("care:invoice_detail", kwargs=away)).status_code == 404
    # A provider elsewhere, with a member holding the provider role there, reads its own only.
    other = provider(elsewhere, "verweg", offers=())
    staff = User.objects.create_user("p4@example.org", TEST_PASSWORD)
    Membership.objects.create(user=staff, role=Role.PROVIDER, sector=elsewhere)
    services.provider_member_add(provider=other, user=staff)
    assert set(invoices.invoice_providers(staff)) == {other}


@pytest.mark.parametrize("role", ["anonymous", *ORG_ROLES, *SECTOR_ROLES, "hr_b"])
def test_the_rule_and_the_scoped_list_agree(ww, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else ww.cast.user(role)
    listed = invoices.invoice_providers(user).filter(pk=ww.balans.pk).exists()
    assert listed == user.has_perm("care.view_invoice", ww.balans)
    assert listed == (role in ("provider", "care_coordinator"))
    assert user.has_perm("care.view_invoices") == listed

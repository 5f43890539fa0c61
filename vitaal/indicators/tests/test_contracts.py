"""Management contracts: signing by both parties, frozen after signing, new versions, the
documents, and who may do what."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.indicators import contracts
from vitaal.indicators.models import ContractStatus, Indicator, ManagementContract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast, library):
    c = contracts.create_contract(
        organisation=cast.a.organisation,
        unit=cast.a.team1,
        head=cast.user("manager"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        general="Reviewed every quarter.",
    )
    contracts.save_line(
        contract=c,
        line_code="primary-process",
        objective="The primary process supports healthy productivity",
        success_factors="Enough people to do the work",
        actions="Make productivity agreements",
        indicators=[(Indicator.objects.get(code="waiting-time"), D(3))],
    )
    return c


def test_dates_out_of_order_and_foreign_units_are_refused(cast) -> None:
    with pytest.raises(ValidationError):
        contracts.create_contract(
            organisation=cast.a.organisation,
            unit=cast.a.team1,
            head=cast.user("manager"),
            period_start=date(2026, 12, 31),
            period_end=date(2026, 1, 1),
        )
    with pytest.raises(ValidationError, match="another organisation"):
        contracts.create_contract(
            organisation=cast.a.organisation,
            unit=cast.b.team1,
            head=cast.user("manager"),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
    assert not ManagementContract.objects.exists()


def test_signing_freezes_and_versions_replace(cast, contract) -> None:
    with pytest.raises(ValidationError, match="Only the unit head"):
        contracts.sign(contract=contract, user=cast.user("coordinator"), as_management=False)
    with pytest.raises(ValidationError, match="cannot also sign"):
        contracts.sign(contract=contract, user=cast.user("manager"), as_management=True)
    contracts.sign(contract=contract, user=cast.user("manager"), as_management=False)
    signed = contracts.sign(contract=contract, user=cast.user("management"), as_management=True)
    assert signed.status == ContractStatus.SIGNED
    with pytest.raises(ValidationError, match="signed and cannot change"):
        contracts.save_line(contract=signed, line_code="vital-people", objective="x")
    v2 = contracts.new_version(contract=signed)
    assert v2.version == 2 and v2.lines.get().indicators.get().norm == D(3)
    with pytest.raises(ValidationError, match="newer version"):
        contracts.new_version(contract=ManagementContract.objects.get(pk=signed.pk))
    contracts.save_line(contract=v2, line_code="vital-people", objective="Absence below 4.5 %")
    contracts.sign(contract=v2, user=cast.user("manager"), as_management=False)
    contracts.sign(contract=v2, user=cast.user("management"), as_management=True)
    assert ManagementContract.objects.get(pk=signed.pk).status == ContractStatus.REPLACED
    assert ManagementContract.objects.get(pk=signed.pk).lines.count() == 1  # the old version is untouched


def test_norm_outside_the_indicators_range_is_refused(contract) -> None:
    with pytest.raises(ValidationError):
        contracts.save_line(
            contract=contract,
            line_code="vital-people",
            objective="x",
            indicators=[(Indicator.objects.get(code="absence-pct"), D(140))],
        )
    assert contract.lines.count() == 1


def test_documents_contain_the_agreements(cast, contract) -> None:
    from docx import Document

    from vitaal.indicators.documents import contract_docx, contract_pdf

    text = "\n".join(p.text for p in Document(io.BytesIO(contract_docx(contract))).paragraphs)
    assert "Make productivity agreements" in text and "Reviewed every quarter." in text
    pdf = contract_pdf(contract)
    assert pdf.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "healthy productivity" in out and "Waiting time" in out


def test_pages_unit_head_signs_and_management_signs(client, cast, contract) -> None:
    org = cast.a.organisation
    url = reverse("indicators:contract_detail", args=[org.slug, contract.pk])
    login(client, cast.user("manager"))
    page = client.get(url).content.decode()
    assert "Sign as unit head" in page and "Save line" not in page
    client.post(reverse("indicators:contract_sign", args=[org.slug, contract.pk]))
    login(client, cast.user("management"))
    assert "Sign for management" in client.get(url).content.decode()
    client.post(reverse("indicators:contract_sign", args=[org.slug, contract.pk]), {"as": "management"})
    assert ManagementContract.objects.get(pk=contract.pk).status == ContractStatus.SIGNED
    response = client.post(reverse("indicators:contract_new_version", args=[org.slug, contract.pk]))
    v2 = ManagementContract.objects.get(version=2)
    assert response["Location"].endswith(f"/contracts/{v2.pk}/")


def test_other_unit_heads_and_the_works_council_cannot_read_it(client, cast, contract) -> None:
    org = cast.a.organisation
    url = reverse("indicators:contract_detail", args=[org.slug, contract.pk])
    for role in ("works_council", "hr", "employee"):
        login(client, cast.user(role))
        assert client.get(url).status_code == 403, role
    login(client, cast.user("manager_b"))
    assert client.get(url).status_code == 404


def test_line_form_bad_input_changes_nothing(client, cast, contract) -> None:
    org = cast.a.organisation
    login(client, cast.user("coordinator"))
    url = reverse("indicators:contract_line_save", args=[org.slug, contract.pk])
    response = client.post(url, {"line_code": "vital-people", "objective": "Fit", "indicator": "absence-pct"})
    assert response.status_code == 400 and "Give the norm" in response.content.decode()
    assert contract.lines.count() == 1
    ok = client.post(
        url, {"line_code": "vital-people", "objective": "Fit", "indicator": "absence-pct", "norm": "4,5"}
    )
    assert ok.status_code == 302 and contract.lines.count() == 2

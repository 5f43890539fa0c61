"""URL access table of the indicators app (see vitaal/core/testing_access.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vitaal.core.testing import Cast
from vitaal.core.testing_access import Access, org_a
from vitaal.indicators.library import load_library
from vitaal.indicators.models import BusinessCase, ContractLine, Indicator, ManagementContract, Measurement

EDITORS = {"management", "coordinator", "org_admin"}
ORG_READERS = EDITORS | {"advisor", "works_council"}
UNIT_READERS = EDITORS | {"advisor", "manager"}
CONTRACT_READERS = EDITORS | {"manager"}  # the manager of team 1 is the contract's unit head


def prepare(cast: Cast) -> None:
    load_library()
    Measurement.objects.create(
        organisation=cast.a.organisation,
        indicator=Indicator.objects.get(code="errors-complaints"),
        period_start=date(2025, 1, 1),
        value=Decimal(3),
        source="manual",
    )
    contract = ManagementContract.objects.create(
        organisation=cast.a.organisation,
        unit=cast.a.team1,
        head=cast.user("manager"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    ContractLine.objects.create(
        contract=contract, line_code="primary-process", objective="Healthy productivity"
    )
    BusinessCase.objects.create(organisation=cast.a.organisation, name="Base", inputs=CASE_INPUTS)


CASE_INPUTS = {
    "staff": "100",
    "fte": "80",
    "absence_pct": "5",
    "absence_frequency": "1",
    "cost_per_absence_day": "250",
}


def _case(c: Cast) -> dict[str, object]:
    return {**org_a(c), "pk": BusinessCase.objects.get(organisation=c.a.organisation).pk}


def _contract(c: Cast) -> dict[str, object]:
    return {**org_a(c), "pk": ManagementContract.objects.get(unit=c.a.team1).pk}


def _team(c: Cast) -> dict[str, object]:
    return {**org_a(c), "unit": c.a.team1.pk}


def _code(c: Cast) -> dict[str, object]:
    return {**org_a(c), "code": "errors-complaints"}


def _measurement(c: Cast) -> dict[str, object]:
    return {**org_a(c), "pk": Measurement.objects.get(organisation=c.a.organisation).pk}


ACCESS: dict[str, Access] = {
    "indicators:scorecard": Access(kwargs=org_a, org=True, ok=ORG_READERS),
    "indicators:unit_scorecard": Access(kwargs=_team, org=True, ok=UNIT_READERS),
    "indicators:library": Access(kwargs=org_a, org=True, ok=ORG_READERS),
    "indicators:indicator_detail": Access(kwargs=_code, org=True, ok=ORG_READERS),
    "indicators:measurement_import": Access(kwargs=org_a, org=True, ok=EDITORS),
    "indicators:pc_export": Access(kwargs=org_a, org=True, ok=EDITORS),
    # Posting an empty form is refused with 400 and changes nothing.
    "indicators:measurement_add": Access(
        kwargs=_code, org=True, method="post", data={}, ok=EDITORS, success=400
    ),
    "indicators:norm_set": Access(kwargs=_code, org=True, method="post", data={}, ok=EDITORS, success=400),
    "indicators:measurement_correct": Access(
        kwargs=_measurement, org=True, method="post", data={}, ok=EDITORS, success=400
    ),
    "indicators:tracked_elsewhere": Access(
        kwargs=_code, org=True, method="post", data={"system": "HR"}, ok=EDITORS, success=302
    ),
    "indicators:contract_list": Access(kwargs=org_a, org=True, ok=UNIT_READERS),
    "indicators:contract_create": Access(kwargs=org_a, org=True, ok=EDITORS),
    "indicators:contract_detail": Access(kwargs=_contract, org=True, ok=CONTRACT_READERS),
    "indicators:contract_pdf": Access(kwargs=_contract, org=True, ok=CONTRACT_READERS),
    "indicators:contract_docx": Access(kwargs=_contract, org=True, ok=CONTRACT_READERS),
    "indicators:contract_line_save": Access(
        kwargs=_contract, org=True, method="post", data={}, ok=EDITORS, success=400
    ),
    # Only the unit head signs as unit head (data without "as"); that signature is recorded.
    "indicators:contract_sign": Access(
        kwargs=_contract, org=True, method="post", data={}, ok={"manager"}, success=302
    ),
    # A draft has no new version: the editor is sent back with a message.
    "indicators:contract_new_version": Access(
        kwargs=_contract, org=True, method="post", data={}, ok=EDITORS, success=302
    ),
    "indicators:case_list": Access(kwargs=org_a, org=True, ok=EDITORS),
    "indicators:case_create": Access(kwargs=org_a, org=True, ok=EDITORS),
    "indicators:case_detail": Access(kwargs=_case, org=True, ok=EDITORS),
    "indicators:case_edit": Access(kwargs=_case, org=True, ok=EDITORS),
    "indicators:case_pdf": Access(kwargs=_case, org=True, ok=EDITORS),
}

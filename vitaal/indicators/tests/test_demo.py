"""The indicators demo builder on a small demo sector."""

from __future__ import annotations

import pytest

from vitaal.core.demo import build_demo
from vitaal.core.models import Organisation
from vitaal.indicators.business_case import realised_view
from vitaal.indicators.models import BusinessCase, ContractStatus, ManagementContract, Measurement

pytestmark = pytest.mark.django_db


def test_demo_has_two_years_a_signed_contract_and_a_realised_case() -> None:
    report = build_demo(people=300, organisations=3)
    assert any(line.startswith("indicator measurements") for line in report.extra)
    for org in Organisation.objects.all():
        periods = Measurement.objects.filter(organisation=org, unit=None, indicator__code="absence-pct")
        assert periods.count() == 24
        assert ManagementContract.objects.filter(organisation=org, status=ContractStatus.SIGNED).count() == 1
        case = BusinessCase.objects.get(organisation=org)
        view = realised_view(case)
        assert view is not None and view.realised.days_saved > 0

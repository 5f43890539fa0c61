"""URL access table of the indicators app (see vitaal/core/testing_access.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vitaal.core.testing import Cast
from vitaal.core.testing_access import Access, org_a
from vitaal.indicators.library import load_library
from vitaal.indicators.models import Indicator, Measurement

EDITORS = {"management", "coordinator", "org_admin"}
ORG_READERS = EDITORS | {"advisor", "works_council"}
UNIT_READERS = EDITORS | {"advisor", "manager"}


def prepare(cast: Cast) -> None:
    load_library()
    Measurement.objects.create(
        organisation=cast.a.organisation,
        indicator=Indicator.objects.get(code="errors-complaints"),
        period_start=date(2025, 1, 1),
        value=Decimal(3),
        source="manual",
    )


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
}

"""Reads and writes around saved business cases: defaults from the organisation's own
register and indicators, and the realised view from measured absence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from vitaal.core.models import Organisation, Person
from vitaal.indicators.calculator import Inputs, Outcome, Realised, calculate, realised
from vitaal.indicators.models import BusinessCase, Indicator, Measurement
from vitaal.indicators.selectors import Disclosure

FULL_TIME_HOURS = Decimal(36)  # the collective agreement's full-time week in the hbo sector


def defaults_for(organisation: Organisation) -> dict[str, Any]:
    """Starting values from the people register (staff, FTE) and the latest shown absence
    percentage; the user checks and completes them."""
    stats = (
        Person.objects.current()
        .filter(organisation=organisation)
        .aggregate(n=Count("pk"), hours=Sum("weekly_hours"))
    )
    initial: dict[str, Any] = {"staff": stats["n"] or 1}
    if stats["hours"]:
        initial["fte"] = (stats["hours"] / FULL_TIME_HOURS).quantize(Decimal("0.1"))
    shown = org_absence_series(organisation)
    if shown:
        initial["absence_pct"] = shown[-1][1]
    return initial


def org_absence_series(organisation: Organisation) -> list[tuple[date, Decimal]]:
    """Organisation-level absence percentages that pass the disclosure threshold."""
    indicator = Indicator.objects.filter(code="absence-pct", sector__isnull=True).first()
    if indicator is None:
        return []
    disclosure = Disclosure(organisation)
    rows = Measurement.objects.current().filter(organisation=organisation, unit=None, indicator=indicator)
    return [
        (m.period_start, m.value) for m in rows.order_by("period_start") if not disclosure.hides(indicator, m)
    ]


@dataclass
class RealisedView:
    realised: Realised
    months_before: int
    months_after: int


def realised_view(case: BusinessCase) -> RealisedView | None:
    """Mean absence in the twelve months before implementation against the mean since (at
    most twelve months); None until there are values on both sides."""
    if case.implemented_on is None:
        return None
    start = case.implemented_on
    series = org_absence_series(case.organisation)
    before = [v for d, v in series if start - timedelta(days=366) <= d < start]
    after = [v for d, v in series if start <= d < start + timedelta(days=366)]
    if not before or not after:
        return None
    mean_before = sum(before, Decimal(0)) / len(before)
    mean_after = sum(after, Decimal(0)) / len(after)
    return RealisedView(
        realised=realised(
            case.get_inputs(), mean_before.quantize(Decimal("0.01")), mean_after.quantize(Decimal("0.01"))
        ),
        months_before=len(before),
        months_after=len(after),
    )


def outcome(case: BusinessCase) -> Outcome:
    return calculate(case.get_inputs())


def save_case(
    *,
    organisation: Organisation,
    name: str,
    inputs: Inputs,
    implemented_on: date | None,
    user: Any,
    case: BusinessCase | None = None,
) -> BusinessCase:
    inputs.validate()
    case = case or BusinessCase(organisation=organisation, created_by=user)
    case.name, case.inputs, case.implemented_on = name, inputs.as_json(), implemented_on
    case.full_clean()
    case.save()
    return case

"""Indicators the platform computes from the other pillars: care-package uptake per
quarter and the WHO-5 mean per year, for the organisation and each unit. Both are read
from the care release of the closed period (``vitaal.care.release``), so an indicator
shows the same group as the usage report, with the same cells hidden, and nothing of a
period still running. The value rests on ``group_size`` people (the users of the
package, the employees who took a health check).

The employee-survey grade is computed once the surveys pillar delivers results."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from vitaal.core.models import Organisation, Unit
from vitaal.core.releases import ReleasePeriod, last_closed_quarter
from vitaal.indicators.models import Computation, Indicator, Measurement, Source


def _store(
    organisation: Organisation, unit: Unit | None, indicator: Indicator, start: date, value: Decimal, n: int
) -> bool:
    current = (
        Measurement.objects.current()
        .filter(organisation=organisation, unit=unit, indicator=indicator, period_start=start)
        .first()
    )
    if current is not None and current.value == value and current.group_size == n:
        return False
    if current is not None:
        Measurement.objects.filter(pk=current.pk).update(is_current=False)
    Measurement.objects.create(
        organisation=organisation,
        unit=unit,
        indicator=indicator,
        period_start=start,
        value=value,
        group_size=n,
        source=Source.COMPUTED,
        replaces=current,
        correction_reason="recomputed" if current else "",
    )
    return True


def _indicator(computation: str) -> Indicator | None:
    return Indicator.objects.filter(computation=computation, sector__isnull=True, is_active=True).first()


def _release(organisation: Organisation, period: ReleasePeriod, today: date | None) -> dict[str, Any] | None:
    from vitaal.care.release import care_release

    if not period.is_closed(today or timezone.localdate()):
        return None  # a running period is not published: one event would move it
    return care_release(organisation.sector, period, today=today)


def _percentage(count: int | None, headcount: int) -> Decimal | None:
    if count is None or not headcount:
        return None
    return (Decimal(100) * count / headcount).quantize(Decimal("0.01"))


@transaction.atomic
def compute_care_uptake(organisation: Organisation, quarter_start: date, *, today: date | None = None) -> int:
    """Share of the employees who used the care arrangement in a closed quarter, for the
    organisation and each unit: the users of the quarter's care release (the usage
    report's users, so the two never differ) over the headcount at the quarter's end.
    Where the release hides the count, nothing is stored."""
    indicator = _indicator(Computation.CARE_UPTAKE)
    if indicator is None:
        return 0
    period = ReleasePeriod.of_quarter(quarter_start.year, (quarter_start.month - 1) // 3 + 1)
    data = _release(organisation, period, today)
    if data is None or str(organisation.pk) not in data["organisations"]:
        return 0
    report = data["organisations"][str(organisation.pk)]
    figures: list[tuple[Unit | None, dict[str, Any], int]] = [
        (None, report["uptake"]["total"], report["headcount"])
    ]
    for place in Unit.objects.filter(organisation=organisation).order_by("path"):
        unit_data = data["units"].get(str(place.pk))
        if unit_data is not None:
            figures.append((place, unit_data["users"], unit_data["headcount"]))
    changed = 0
    for unit, cell, headcount in figures:
        value = _percentage(cell["value"], headcount)
        if value is not None:
            changed += _store(organisation, unit, indicator, period.start, value, int(cell["value"]))
    return changed


@transaction.atomic
def compute_who5_mean(organisation: Organisation, year: int, *, today: date | None = None) -> int:
    """Mean WHO-5 score (0-100) of a closed year's health checks, per person the latest,
    for the organisation and each unit, as the year's care release shows it: only where
    enough employees took a check."""
    indicator = _indicator(Computation.WHO5_MEAN)
    if indicator is None:
        return 0
    period = ReleasePeriod.of_year(year)
    data = _release(organisation, period, today)
    if data is None or str(organisation.pk) not in data["health"]:
        return 0
    figures: list[tuple[Unit | None, dict[str, Any]]] = [(None, data["health"][str(organisation.pk)])]
    for place in Unit.objects.filter(organisation=organisation).order_by("path"):
        if str(place.pk) in data["units"]:
            figures.append((place, data["units"][str(place.pk)]))
    changed = 0
    for unit, figure in figures:
        if figure["who5_mean"] is None or figure["checked"]["value"] is None:
            continue
        value = Decimal(str(figure["who5_mean"])).quantize(Decimal("0.01"))
        changed += _store(organisation, unit, indicator, period.start, value, int(figure["checked"]["value"]))
    return changed


def compute_pillar_indicators(today: date | None = None) -> dict[str, int]:
    """The periodic job: the last closed quarter's uptake and the last closed year's WHO-5
    mean, for every active organisation. Returns how many values changed per indicator."""
    today = today or timezone.localdate()
    last_quarter = last_closed_quarter(today)
    totals: dict[str, int] = defaultdict(int)
    for organisation in Organisation.objects.filter(is_active=True).select_related("sector"):
        totals["care-uptake"] += compute_care_uptake(organisation, last_quarter.start, today=today)
        totals["who5-mean"] += compute_who5_mean(organisation, today.year - 1, today=today)
    return dict(totals)

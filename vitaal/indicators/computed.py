"""Indicators the platform computes from the other pillars: care-package uptake per
quarter and the WHO-5 mean per year, for the organisation and each unit. The value rests
on ``group_size`` people (the users of the package, the employees who took a health
check), so the disclosure threshold hides it wherever that group is small. Individual
requests and checks never leave this module; only the aggregate is stored.

The employee-survey grade is computed once the surveys pillar delivers results."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from vitaal.core.models import Organisation, Person, Unit
from vitaal.indicators.models import Computation, Indicator, Measurement, Source


def _quarter_bounds(start: date) -> tuple[date, date]:
    end = date(start.year + (start.month > 9), (start.month + 2) % 12 + 1, 1)
    return start, end


def _places(organisation: Organisation) -> list[Unit | None]:
    return [None, *Unit.objects.filter(organisation=organisation).order_by("path")]


def _in_place(unit: Unit | None, person_unit_path: str | None) -> bool:
    return unit is None or (person_unit_path is not None and person_unit_path.startswith(unit.path))


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


@transaction.atomic
def compute_care_uptake(organisation: Organisation, quarter_start: date) -> int:
    """Share of current employees with at least one care request created in the quarter."""
    from vitaal.care.models import CareRequest

    indicator = _indicator(Computation.CARE_UPTAKE)
    if indicator is None:
        return 0
    start, end = _quarter_bounds(quarter_start)
    staff = list(Person.objects.current().filter(organisation=organisation).values_list("pk", "unit__path"))
    users = set(
        CareRequest.objects.filter(
            organisation=organisation, created_at__date__gte=start, created_at__date__lt=end
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    changed = 0
    for unit in _places(organisation):
        people = [pk for pk, path in staff if _in_place(unit, path)]
        if not people:
            continue
        n_users = sum(1 for pk in people if pk in users)
        value = (Decimal(100) * n_users / len(people)).quantize(Decimal("0.01"))
        changed += _store(organisation, unit, indicator, start, value, n_users)
    return changed


@transaction.atomic
def compute_who5_mean(organisation: Organisation, year: int) -> int:
    """Mean WHO-5 score (0-100) of the health checks taken in the year; per person only the
    latest check counts."""
    from vitaal.care.models import HealthCheck

    indicator = _indicator(Computation.WHO5_MEAN)
    if indicator is None:
        return 0
    latest: dict[int, tuple[date, int, str | None]] = {}
    rows = HealthCheck.objects.filter(person__organisation=organisation, taken_on__year=year).values_list(
        "person_id", "taken_on", "who5_percentage", "person__unit__path"
    )
    for person_id, taken_on, score, path in rows:
        if person_id not in latest or taken_on >= latest[person_id][0]:
            latest[person_id] = (taken_on, score, path)
    changed = 0
    for unit in _places(organisation):
        scores = [score for _d, score, path in latest.values() if _in_place(unit, path)]
        if not scores:
            continue
        value = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"))
        changed += _store(organisation, unit, indicator, date(year, 1, 1), value, len(scores))
    return changed


def compute_pillar_indicators(today: date | None = None) -> dict[str, int]:
    """The periodic job: last completed quarter's uptake and this and last year's WHO-5
    mean, for every active organisation. Returns how many values changed per indicator."""
    today = today or timezone.localdate()
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = date(this_quarter.year - (this_quarter.month == 1), (this_quarter.month - 4) % 12 + 1, 1)
    totals: dict[str, int] = defaultdict(int)
    for organisation in Organisation.objects.filter(is_active=True):
        totals["care-uptake"] += compute_care_uptake(organisation, last_quarter)
        totals["care-uptake"] += compute_care_uptake(organisation, this_quarter)
        totals["who5-mean"] += compute_who5_mean(organisation, today.year - 1)
        totals["who5-mean"] += compute_who5_mean(organisation, today.year)
    return dict(totals)

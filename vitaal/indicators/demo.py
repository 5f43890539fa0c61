"""Demo data for indicators: the library, two years of measurements for every demo
organisation (organisation level and per team), norms, one signed management contract per
organisation (for the demo manager's team) and a saved business case whose realised view
has figures. Registered as a demo builder in apps.py; deterministic through context.rng.

A history build (``context.history``) covers all its years and adds, per organisation,
team norms, corrections and yearly contracts for a share of the teams (``demo_history``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from vitaal.core.hooks import DemoContext
from vitaal.core.models import Membership, Organisation, Person, Unit
from vitaal.core.roles import Role
from vitaal.indicators import contracts, demo_history
from vitaal.indicators.business_case import save_case
from vitaal.indicators.calculator import Inputs
from vitaal.indicators.computed import compute_pillar_indicators
from vitaal.indicators.library import load_library
from vitaal.indicators.models import Indicator, Measurement, Norm, Source

TWO = Decimal("0.01")


def _months(today: date, count: int) -> list[date]:
    first = date(today.year, today.month, 1)
    out = []
    for back in range(count, 0, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(date(y, m + 1, 1))
    return out


def _absence_path(rng, months: list[date], level: float, drop_from: date) -> list[Decimal]:
    """A believable monthly absence series: a winter peak, noise, and after ``drop_from``
    (when the organisation started its plan) a gradual fall of about 0.8 point."""
    values = []
    for i, month in enumerate(months):
        season = 0.9 if month.month in (1, 2, 12) else (-0.5 if month.month in (7, 8) else 0.0)
        effect = -0.8 * min(1.0, max(0, (month - drop_from).days) / 365) if month >= drop_from else 0.0
        value = max(0.5, level + season + effect + rng.uniform(-0.35, 0.35))
        values.append(Decimal(str(value)).quantize(TWO))
        del i
    return values


def build(context: DemoContext) -> None:
    load_library()
    rng = context.rng_for("indicators")
    today = timezone.localdate()
    # Two years in the everyday demo; a history build covers all its years. The plan
    # started a year ago either way.
    months = _months(today, 24 if not context.history else 12 * context.years)
    implemented = months[-12]
    indicators = {i.code: i for i in Indicator.objects.filter(sector__isnull=True)}
    rows: list[Measurement] = []
    contracts_made = 0
    for org, units in context.organisations:
        level = 4.6 + rng.uniform(0, 1.4)
        staff = Person.objects.current().filter(organisation=org).count()
        for month, value in zip(months, _absence_path(rng, months, level, implemented), strict=True):
            rows.append(_m(org, None, indicators["absence-pct"], month, value, staff))
        team_sizes = dict(
            Person.objects.current()
            .filter(organisation=org, unit__isnull=False)
            .values_list("unit")
            .annotate(n=Count("pk"))
        )
        for unit in units:
            size = team_sizes.get(unit.pk)
            if not size or unit.kind != "team":
                continue
            unit_level = level + rng.uniform(-1.2, 1.6)
            for month, value in zip(months, _absence_path(rng, months, unit_level, implemented), strict=True):
                rows.append(_m(org, unit, indicators["absence-pct"], month, value, size))
        for quarter in [m for m in months if m.month in (1, 4, 7, 10)]:
            rows.append(
                _m(
                    org,
                    None,
                    indicators["absence-frequency"],
                    quarter,
                    Decimal(str(round(rng.uniform(0.9, 1.5), 2))),
                    staff,
                )
            )
            rows.append(
                _m(
                    org,
                    None,
                    indicators["long-term-absence"],
                    quarter,
                    Decimal(str(round(rng.uniform(35, 55), 1))),
                    staff,
                )
            )
            rows.append(
                _m(org, None, indicators["errors-complaints"], quarter, Decimal(rng.randint(4, 30)), None)
            )
        for month in months:
            rows.append(
                _m(
                    org,
                    None,
                    indicators["overtime"],
                    month,
                    Decimal(str(round(rng.uniform(1.5, 6.5), 1))),
                    None,
                )
            )
        for year in sorted({m.year for m in months}):
            rows.append(
                _m(
                    org,
                    None,
                    indicators["workload"],
                    date(year, 1, 1),
                    Decimal(str(round(rng.uniform(6.0, 7.4), 1))),
                    staff // 2,
                )
            )
        Norm.objects.create(
            organisation=org,
            indicator=indicators["absence-pct"],
            period_start=months[-1],
            target=Decimal(str(round(level - 0.7, 1))),
            margin=Decimal("0.5"),
        )
        contracts_made += _contract(org, units, today)
        _business_case(org, staff, level, implemented)
        if context.history:
            # Written per organisation, so memory stays bounded at sector scale.
            Measurement.objects.bulk_create(rows, batch_size=2000)
            rows = []
            contracts_made += demo_history.extend(org, units, team_sizes, indicators, months, level, rng)
    Measurement.objects.bulk_create(rows, batch_size=2000)
    compute_pillar_indicators(today)
    context.lines.append(f"indicator measurements: {Measurement.objects.count()}")
    context.lines.append(f"management contracts: {contracts_made} signed")


def _m(
    org: Organisation, unit: Unit | None, indicator: Indicator, period: date, value: Decimal, n: int | None
) -> Measurement:
    return Measurement(
        organisation=org,
        unit=unit,
        indicator=indicator,
        period_start=period,
        value=value,
        group_size=n if indicator.data_class else None,
        source=Source.IMPORT,
    )


def _contract(org: Organisation, units: list[Unit], today: date) -> int:
    manager = (
        Membership.objects.filter(organisation=org, role=Role.MANAGER, unit__isnull=False)
        .select_related("unit", "user")
        .first()
    )
    management = (
        Membership.objects.filter(organisation=org, role=Role.MANAGEMENT, unit__isnull=True)
        .select_related("user")
        .first()
    )
    if manager is None or management is None or manager.unit is None:
        return 0
    contract = contracts.create_contract(
        organisation=org,
        unit=manager.unit,
        head=manager.user,
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
        general="Voortgang bespreken we elk kwartaal in het managementoverleg.",
    )
    by_code = {i.code: i for i in Indicator.objects.filter(sector__isnull=True)}
    contracts.save_line(
        contract=contract,
        line_code="primary-process",
        objective="Het primaire proces draagt bij aan gezonde productiviteit.",
        success_factors="Genoeg mensen om het werk te doen; mensen kunnen het werk aan.",
        actions="Productiviteitsafspraken maken per team; werkdruk bespreken in elk teamoverleg.",
        indicators=[(by_code["overtime"], Decimal(4)), (by_code["workload"], Decimal("6.5"))],
    )
    contracts.save_line(
        contract=contract,
        line_code="vital-people",
        objective="Medewerkers blijven gezond en inzetbaar.",
        success_factors="Leidinggevenden voeren verzuimgesprekken op tijd.",
        actions="Iedere medewerker krijgt een gesprek over vitaliteit.",
        indicators=[(by_code["absence-pct"], Decimal("4.5"))],
    )
    contracts.sign(contract=contract, user=manager.user, as_management=False)
    contracts.sign(contract=contract, user=management.user, as_management=True)
    return 1


def _business_case(org: Organisation, staff: int, level: float, implemented: date) -> None:
    inputs = Inputs(
        staff=max(staff, 1),
        fte=(Decimal(staff) * Decimal("0.78")).quantize(Decimal("0.1")),
        absence_pct=Decimal(str(round(level, 1))),
        absence_frequency=Decimal("1.2"),
        cost_per_absence_day=Decimal(310),
        turnover_pct=Decimal(8),
        replacement_cost=Decimal(18000),
        salary_cost_per_fte=Decimal(68000),
        absence_effect_pct=Decimal(12),
        turnover_effect_pct=Decimal(10),
        productivity_gain_pct=Decimal("0.3"),
        one_off_hours=Decimal(500),
        one_off_external=Decimal(25000),
        yearly_hours=Decimal(300),
        yearly_external=Decimal(15000),
        hourly_rate=Decimal(70),
        years=5,
    )
    save_case(
        organisation=org,
        name="Balansdagen en werkdrukaanpak",
        inputs=inputs,
        implemented_on=implemented,
        user=None,
    )

"""Reads of the indicators app: scorecards and trends, with disclosure control applied to
every value that rests on personal data, at every level (organisation and each unit)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vitaal.core.disclosure import threshold_for
from vitaal.core.models import Organisation, Unit
from vitaal.indicators.models import Indicator, Measurement, Norm, Perspective, TrackedElsewhere
from vitaal.indicators.periods import period_label
from vitaal.indicators.traffic import Light, light

GROUPINGS = ("perspective", "line")


@dataclass
class Point:
    period_start: date
    label: str
    value: Decimal | None  # None when suppressed
    suppressed: bool
    target: Decimal | None
    light: Light


@dataclass
class Row:
    indicator: Indicator
    latest: Point | None
    tracked_elsewhere: str | None = None


@dataclass
class Group:
    key: str
    label: str
    rows: list[Row] = field(default_factory=list)


def available_indicators(organisation: Organisation) -> list[Indicator]:
    found: dict[str, Indicator] = {}
    for indicator in Indicator.objects.filter(is_active=True, sector__isnull=True):
        found[indicator.code] = indicator
    for indicator in Indicator.objects.filter(is_active=True, sector=organisation.sector_id):
        found[indicator.code] = indicator  # a sector's own definition wins
    return sorted(found.values(), key=lambda i: (i.line_code, i.code))


class Disclosure:
    """Thresholds per kind of data for one sector, looked up once per page."""

    def __init__(self, organisation: Organisation) -> None:
        self.sector = organisation.sector
        self._cache: dict[str, int] = {}

    def hides(self, indicator: Indicator, measurement: Measurement) -> bool:
        if not indicator.data_class:
            return False
        if indicator.data_class not in self._cache:
            self._cache[indicator.data_class] = threshold_for(self.sector, indicator.data_class)
        return measurement.group_size is None or measurement.group_size < self._cache[indicator.data_class]


def _norm_for(norms: list[Norm], period_start: date) -> Norm | None:
    """The norm of the period itself, else the latest earlier one."""
    chosen = None
    for norm in norms:  # sorted by period
        if norm.period_start <= period_start:
            chosen = norm
    return chosen


def _point(indicator: Indicator, m: Measurement, norms: list[Norm], disclosure: Disclosure) -> Point:
    hidden = disclosure.hides(indicator, m)
    norm = _norm_for(norms, m.period_start)
    value = None if hidden else m.value
    target = norm.target if norm else None
    return Point(
        period_start=m.period_start,
        label=period_label(indicator.frequency, m.period_start),
        value=value,
        suppressed=hidden,
        target=target,
        light=light(indicator.direction, value, target, norm.margin if norm else None),
    )


def _place_filter(organisation: Organisation, unit: Unit | None) -> dict[str, Any]:
    return {"organisation": organisation, "unit": unit}


def scorecard(
    organisation: Organisation, unit: Unit | None, *, group_by: str = "perspective", until: date | None = None
) -> list[Group]:
    """Latest value, norm and traffic light per indicator for the organisation (``unit``
    None) or one unit, grouped by Balanced Scorecard perspective or development line.
    Uses a fixed number of queries, whatever the number of indicators and periods."""
    indicators = available_indicators(organisation)
    place = _place_filter(organisation, unit)
    latest: dict[int, Measurement] = {}
    measurements = Measurement.objects.current().filter(**place)
    if until is not None:
        measurements = measurements.filter(period_start__lt=until)
    for m in measurements.order_by("period_start"):
        latest[m.indicator_id] = m
    norms: dict[int, list[Norm]] = defaultdict(list)
    for n in Norm.objects.filter(**place).order_by("period_start"):
        norms[n.indicator_id].append(n)
    elsewhere = dict(
        TrackedElsewhere.objects.filter(organisation=organisation).values_list("indicator_id", "system")
    )
    disclosure = Disclosure(organisation)
    groups: dict[str, Group] = {}
    if group_by == "line":
        names = line_names()
        for indicator in indicators:
            groups.setdefault(
                indicator.line_code,
                Group(indicator.line_code, names.get(indicator.line_code, indicator.line_code)),
            )
    else:
        for value, label in Perspective.choices:
            groups[value] = Group(value, str(label))
    for indicator in indicators:
        found = latest.get(indicator.pk)
        point = _point(indicator, found, norms[indicator.pk], disclosure) if found else None
        key = indicator.line_code if group_by == "line" else indicator.perspective
        groups[key].rows.append(Row(indicator, point, elsewhere.get(indicator.pk)))
    return [g for g in groups.values() if g.rows]


def trend(organisation: Organisation, unit: Unit | None, indicator: Indicator) -> list[Point]:
    place = _place_filter(organisation, unit)
    norms = list(Norm.objects.filter(indicator=indicator, **place).order_by("period_start"))
    disclosure = Disclosure(organisation)
    return [
        _point(indicator, m, norms, disclosure)
        for m in Measurement.objects.current().filter(indicator=indicator, **place).order_by("period_start")
    ]


def history(
    organisation: Organisation, unit: Unit | None, indicator: Indicator
) -> list[tuple[Measurement, bool]]:
    """Every stored value including corrected ones, newest first (for editors), each with
    whether it is hidden: the disclosure threshold holds for editors too."""
    disclosure = Disclosure(organisation)
    rows = (
        Measurement.objects.filter(indicator=indicator, **_place_filter(organisation, unit))
        .select_related("recorded_by")
        .order_by("-period_start", "-recorded_at")
    )
    return [(m, disclosure.hides(indicator, m)) for m in rows]


def line_names() -> dict[str, str]:
    from vitaal.igm.models import DevelopmentLine

    names: dict[str, str] = {}
    for line in DevelopmentLine.objects.order_by("-framework_id"):
        names.setdefault(line.code, line.name)
    return names


def light_counts(groups: list[Group]) -> dict[str, int]:
    counts = dict.fromkeys(Light.values, 0)
    for group in groups:
        for row in group.rows:
            counts[row.latest.light if row.latest else Light.UNKNOWN] += 1
    return counts

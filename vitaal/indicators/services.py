"""Writes of the indicators app: measurements (by hand, corrected, imported) and norms.
Every write validates first and changes nothing when anything is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation, Unit
from vitaal.core.spreadsheets import read_table
from vitaal.indicators.models import Direction, Indicator, Measurement, Norm, Source
from vitaal.indicators.periods import check_period, parse_period

IMPORT_COLUMNS = ("indicator", "unit", "period", "value", "group_size")


def parse_value(text: str | Decimal | int | float) -> Decimal:
    """A number as Dutch and English users type it: 5,2 or 5.2; thousands separators are
    not accepted (12.500 would be ambiguous)."""
    if isinstance(text, Decimal):
        return text
    raw = str(text).strip().replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("%(text)s is not a number.") % {"text": text}) from None
    if not value.is_finite():
        raise ValidationError(_("%(text)s is not a number.") % {"text": text})
    return value


def _check_unit(organisation: Organisation, unit: Unit | None) -> None:
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(_("This unit belongs to another organisation."))


def _check_indicator(organisation: Organisation, indicator: Indicator) -> None:
    if indicator.sector_id not in (None, organisation.sector_id) or not indicator.is_active:
        raise ValidationError(_("This indicator is not available to this organisation."))


@transaction.atomic
def record_measurement(
    *,
    organisation: Organisation,
    unit: Unit | None,
    indicator: Indicator,
    period_start: date,
    value: Decimal,
    user: Any,
    source: str = Source.MANUAL,
    group_size: int | None = None,
) -> Measurement:
    """Store the value for a period that has none yet (use correct_measurement otherwise)."""
    _check_unit(organisation, unit)
    _check_indicator(organisation, indicator)
    check_period(indicator.frequency, period_start)
    indicator.check_value(value)
    if indicator.personal_data and group_size is None:
        raise ValidationError(_("Give the number of people this value rests on."))
    existing = Measurement.objects.current().filter(
        organisation=organisation, unit=unit, indicator=indicator, period_start=period_start
    )
    if existing.exists():
        raise ValidationError(_("There is already a value for this period; correct it instead."))
    return Measurement.objects.create(
        organisation=organisation,
        unit=unit,
        indicator=indicator,
        period_start=period_start,
        value=value,
        group_size=group_size,
        source=source,
        recorded_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def correct_measurement(*, measurement: Measurement, value: Decimal, reason: str, user: Any) -> Measurement:
    """Replace a current value by a new row; the old one stays in the history."""
    old = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if not old.is_current:
        raise ValidationError(_("This value has already been corrected; correct the newest value."))
    if not reason.strip():
        raise ValidationError({"correction_reason": _("Say why the value is corrected.")})
    old.indicator.check_value(value)
    # One current row per place and period: retire the old one, then add the new one.
    Measurement.objects.filter(pk=old.pk).update(is_current=False)
    new = Measurement.objects.create(
        organisation_id=old.organisation_id,
        unit_id=old.unit_id,
        indicator_id=old.indicator_id,
        period_start=old.period_start,
        value=value,
        group_size=old.group_size,
        source=Source.MANUAL,
        recorded_by=user if getattr(user, "pk", None) else None,
        replaces=old,
        correction_reason=reason.strip(),
    )
    return new


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    indicator: Indicator
    unit: Unit | None
    period_start: date
    value: Decimal
    group_size: int | None


def _parse_rows(organisation: Organisation, rows: list[dict[str, str]], result: ImportResult) -> list[_Row]:
    indicators = {
        i.code: i for i in Indicator.objects.filter(is_active=True, sector__in=[organisation.sector_id])
    }
    indicators |= {
        i.code: i
        for i in Indicator.objects.filter(is_active=True, sector__isnull=True)
        if i.code not in indicators
    }
    units = {u.code.lower(): u for u in Unit.objects.filter(organisation=organisation) if u.code}
    seen: set[tuple[int, int | None, date]] = set()
    parsed: list[_Row] = []
    for number, row in enumerate(rows, start=2):
        try:
            code = row.get("indicator", "").strip()
            if code not in indicators:
                raise ValidationError(_("Unknown indicator code %(code)s.") % {"code": code or "–"})
            indicator = indicators[code]
            unit_code = row.get("unit", "").strip().lower()
            unit = None
            if unit_code:
                if unit_code not in units:
                    raise ValidationError(_("Unknown unit code %(code)s.") % {"code": row["unit"]})
                unit = units[unit_code]
            period_start = parse_period(indicator.frequency, row.get("period", ""))
            value = parse_value(row.get("value", ""))
            indicator.check_value(value)
            size_text = row.get("group_size", "").strip()
            group_size = int(size_text) if size_text else None
            if group_size is not None and group_size < 0:
                raise ValidationError(_("The group size cannot be negative."))
            if indicator.personal_data and group_size is None:
                raise ValidationError(_("Give the number of people this value rests on."))
            key = (indicator.pk, unit.pk if unit else None, period_start)
            if key in seen:
                raise ValidationError(_("This indicator, unit and period appear twice in the file."))
            seen.add(key)
            parsed.append(_Row(indicator, unit, period_start, value, group_size))
        except ValueError:
            result.errors.append(RowError(number, _("The group size must be a whole number.")))
        except ValidationError as exc:
            result.errors.append(RowError(number, " ".join(exc.messages)))
    return parsed


@transaction.atomic
def import_measurements(
    *, organisation: Organisation, filename: str, content: bytes, user: Any
) -> ImportResult:
    """Import a CSV or XLSX file with the columns of IMPORT_COLUMNS. All rows or none: any
    row error stores nothing. Importing the same file again changes nothing; a row whose
    period already has a different value is an error (correct it on the page)."""
    result = ImportResult()
    headers, rows = read_table(filename=filename, content=content)
    missing = [c for c in ("indicator", "period", "value") if c not in headers]
    unknown = [h for h in headers if h not in IMPORT_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
        result.errors.append(RowError(1, "; ".join(parts)))
        return result
    parsed = _parse_rows(organisation, rows, result)
    if result.errors:
        return result
    current = {
        (m.indicator_id, m.unit_id, m.period_start): m
        for m in Measurement.objects.current().filter(
            organisation=organisation, indicator__in={r.indicator.pk for r in parsed}
        )
    }
    to_create: list[Measurement] = []
    for number, row in enumerate(parsed, start=2):
        existing = current.get((row.indicator.pk, row.unit.pk if row.unit else None, row.period_start))
        if existing is not None:
            if existing.value == row.value:
                result.unchanged += 1
                continue
            result.errors.append(
                RowError(
                    number,
                    _("This period already has the value %(value)s; correct it on the page with a reason.")
                    % {"value": existing.value.normalize()},
                )
            )
            continue
        to_create.append(
            Measurement(
                organisation=organisation,
                unit=row.unit,
                indicator=row.indicator,
                period_start=row.period_start,
                value=row.value,
                group_size=row.group_size,
                source=Source.IMPORT,
                recorded_by=user if getattr(user, "pk", None) else None,
            )
        )
    if result.errors:
        return result
    Measurement.objects.bulk_create(to_create)
    result.created = len(to_create)
    return result


def _baseline(
    organisation: Organisation, unit: Unit | None, indicator: Indicator, before: date
) -> Decimal | None:
    latest = (
        Measurement.objects.current()
        .filter(organisation=organisation, unit=unit, indicator=indicator, period_start__lt=before)
        .order_by("-period_start")
        .first()
    )
    return latest.value if latest else None


@transaction.atomic
def set_norm(
    *,
    organisation: Organisation,
    unit: Unit | None,
    indicator: Indicator,
    period_start: date,
    target: Decimal,
    margin: Decimal,
    user: Any,
    goal: Any = None,
) -> Norm:
    """Set (or change) the target for a place and period. A target that is worse than the
    latest measured value in the indicator's direction is refused: a norm is there to
    improve or to hold."""
    _check_unit(organisation, unit)
    _check_indicator(organisation, indicator)
    check_period(indicator.frequency, period_start)
    indicator.check_value(target)
    if margin < 0:
        raise ValidationError({"margin": _("The margin cannot be negative.")})
    baseline = _baseline(organisation, unit, indicator, period_start)
    if baseline is not None:
        worse = target < baseline if indicator.direction == Direction.HIGHER else target > baseline
        if worse:
            message = (
                _(
                    "Higher is better for this indicator, so the target cannot be below "
                    "the last value (%(value)s)."
                )
                if indicator.direction == Direction.HIGHER
                else _(
                    "Lower is better for this indicator, so the target cannot be above "
                    "the last value (%(value)s)."
                )
            )
            raise ValidationError({"target": message % {"value": baseline.normalize()}})
    if goal is not None and goal.organisation.pk != organisation.pk:
        raise ValidationError({"goal": _("This goal belongs to another organisation.")})
    norm, _created = Norm.objects.update_or_create(
        organisation=organisation,
        unit=unit,
        indicator=indicator,
        period_start=period_start,
        defaults={"target": target, "margin": margin, "set_by": user, "goal": goal},
    )
    return norm

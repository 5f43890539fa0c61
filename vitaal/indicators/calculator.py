"""The business-case calculator: what health management is worth to an organisation.

Pure functions on Decimals, so every figure can be checked by hand (docs/business-case.md
gives the formulas). Money is in euros; rates are percentages (5.2 means 5.2 %); the
"effect" assumptions are relative reductions (10 means "absence falls by a tenth")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
SENSITIVITY_FACTORS = (Decimal("0.5"), Decimal(1), Decimal(2))


@dataclass(frozen=True)
class Inputs:
    """The organisation's own parameters and the planned investment."""

    staff: int
    fte: Decimal
    absence_pct: Decimal
    absence_frequency: Decimal  # absence spells per employee per year (reported, not used in money)
    cost_per_absence_day: Decimal  # salary plus replacement
    working_days_per_fte: Decimal = Decimal(220)
    turnover_pct: Decimal = Decimal(0)
    replacement_cost: Decimal = Decimal(0)  # per leaver: recruitment and training
    salary_cost_per_fte: Decimal = Decimal(0)
    # assumptions about the effect of the programme
    absence_effect_pct: Decimal = Decimal(0)
    turnover_effect_pct: Decimal = Decimal(0)
    productivity_gain_pct: Decimal = Decimal(0)
    # the investment
    one_off_hours: Decimal = Decimal(0)
    one_off_external: Decimal = Decimal(0)
    yearly_hours: Decimal = Decimal(0)
    yearly_external: Decimal = Decimal(0)
    hourly_rate: Decimal = Decimal(0)
    years: int = 5
    discount_rate_pct: Decimal = Decimal(4)

    def validate(self) -> None:
        """Refuse impossible inputs with messages per field (nothing is computed)."""
        errors: dict[str, str] = {}
        money_and_counts = (
            "fte",
            "absence_frequency",
            "cost_per_absence_day",
            "working_days_per_fte",
            "replacement_cost",
            "salary_cost_per_fte",
            "one_off_hours",
            "one_off_external",
            "yearly_hours",
            "yearly_external",
            "hourly_rate",
            "discount_rate_pct",
        )
        for name in money_and_counts:
            if getattr(self, name) < 0:
                errors[name] = _("This cannot be negative.")
        for name in ("absence_pct", "turnover_pct", "absence_effect_pct", "turnover_effect_pct"):
            value = getattr(self, name)
            if value < 0 or value > HUNDRED:
                errors[name] = _("Give a percentage between 0 and 100.")
        if not -HUNDRED <= self.productivity_gain_pct <= HUNDRED:
            errors["productivity_gain_pct"] = _("Give a percentage between -100 and 100.")
        if self.staff < 1:
            errors["staff"] = _("An organisation has at least one employee.")
        if self.fte <= 0 and "fte" not in errors:
            errors["fte"] = _("Give the number of FTE (more than 0).")
        if not 1 <= self.years <= 30:
            errors["years"] = _("Choose a period between 1 and 30 years.")
        if errors:
            raise ValidationError(errors)

    def as_json(self) -> dict[str, Any]:
        return {k: str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inputs:
        kwargs: dict[str, Any] = {}
        for name, f in cls.__dataclass_fields__.items():
            if name in data:
                kwargs[name] = int(data[name]) if f.type == "int" else Decimal(str(data[name]))
        return cls(**kwargs)


@dataclass(frozen=True)
class Outcome:
    absence_days: Decimal
    absence_cost: Decimal
    turnover_cost: Decimal
    benefit_absence: Decimal
    benefit_turnover: Decimal
    benefit_productivity: Decimal
    yearly_benefit: Decimal
    one_off_cost: Decimal
    yearly_cost: Decimal
    net_yearly_benefit: Decimal
    total_benefit: Decimal
    total_cost: Decimal
    net_benefit: Decimal
    roi_pct: Decimal | None
    payback_years: Decimal | None
    npv: Decimal
    sensitivity: list[SensitivityRow] = field(default_factory=list)


@dataclass(frozen=True)
class SensitivityRow:
    factor: Decimal
    yearly_benefit: Decimal
    net_benefit: Decimal
    roi_pct: Decimal | None
    payback_years: Decimal | None
    npv: Decimal


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def present_value(amount: Decimal, rate_pct: Decimal, year: int) -> Decimal:
    """What ``amount`` received at the end of ``year`` is worth today."""
    return amount / (1 + rate_pct / HUNDRED) ** year


def npv(one_off: Decimal, yearly_net: Decimal, years: int, rate_pct: Decimal) -> Decimal:
    """Net present value: the one-off cost now, then ``yearly_net`` at the end of each year."""
    return -one_off + sum((present_value(yearly_net, rate_pct, t) for t in range(1, years + 1)), Decimal(0))


def payback_years(one_off: Decimal, yearly_net: Decimal) -> Decimal | None:
    """Years until the yearly net benefit has earned back the one-off cost (undiscounted);
    None when it never does."""
    if one_off <= 0:
        return Decimal(0) if yearly_net >= 0 else None
    if yearly_net <= 0:
        return None
    return one_off / yearly_net


def _core(inputs: Inputs, factor: Decimal) -> dict[str, Decimal | None]:
    absence_days = inputs.fte * inputs.working_days_per_fte * inputs.absence_pct / HUNDRED
    absence_cost = absence_days * inputs.cost_per_absence_day
    turnover_cost = Decimal(inputs.staff) * inputs.turnover_pct / HUNDRED * inputs.replacement_cost
    benefit_absence = absence_cost * inputs.absence_effect_pct / HUNDRED * factor
    benefit_turnover = turnover_cost * inputs.turnover_effect_pct / HUNDRED * factor
    benefit_productivity = (
        inputs.fte * inputs.salary_cost_per_fte * inputs.productivity_gain_pct / HUNDRED * factor
    )
    yearly_benefit = benefit_absence + benefit_turnover + benefit_productivity
    one_off = inputs.one_off_hours * inputs.hourly_rate + inputs.one_off_external
    yearly_cost = inputs.yearly_hours * inputs.hourly_rate + inputs.yearly_external
    net_yearly = yearly_benefit - yearly_cost
    total_benefit = yearly_benefit * inputs.years
    total_cost = one_off + yearly_cost * inputs.years
    net_benefit = total_benefit - total_cost
    roi = (net_benefit / total_cost * HUNDRED) if total_cost > 0 else None
    return {
        "absence_days": absence_days,
        "absence_cost": absence_cost,
        "turnover_cost": turnover_cost,
        "benefit_absence": benefit_absence,
        "benefit_turnover": benefit_turnover,
        "benefit_productivity": benefit_productivity,
        "yearly_benefit": yearly_benefit,
        "one_off_cost": one_off,
        "yearly_cost": yearly_cost,
        "net_yearly_benefit": net_yearly,
        "total_benefit": total_benefit,
        "total_cost": total_cost,
        "net_benefit": net_benefit,
        "roi_pct": roi,
        "payback_years": payback_years(one_off, net_yearly),
        "npv": npv(one_off, net_yearly, inputs.years, inputs.discount_rate_pct),
    }


def _rounded(values: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for key, value in values.items():
        if value is None:
            out[key] = None
        elif key == "absence_days":
            out[key] = value.quantize(Decimal("0.1"))
        else:
            out[key] = _money(value)
    return out


def calculate(inputs: Inputs) -> Outcome:
    """The expected yearly benefit, net benefit, ROI, payback period, NPV over
    ``inputs.years`` and a sensitivity table (effects halved and doubled)."""
    inputs.validate()
    base = _rounded(_core(inputs, Decimal(1)))
    rows = []
    for factor in SENSITIVITY_FACTORS:
        r = _rounded(_core(inputs, factor))
        rows.append(
            SensitivityRow(
                factor=factor,
                yearly_benefit=r["yearly_benefit"] or Decimal(0),
                net_benefit=r["net_benefit"] or Decimal(0),
                roi_pct=r["roi_pct"],
                payback_years=r["payback_years"],
                npv=r["npv"] or Decimal(0),
            )
        )
    return Outcome(**base, sensitivity=rows)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Realised:
    """What the programme actually yielded, from measured absence before and after."""

    absence_pct_before: Decimal
    absence_pct_after: Decimal
    days_saved: Decimal
    yearly_benefit: Decimal
    net_yearly_benefit: Decimal
    payback_years: Decimal | None
    paid_back_within_a_year: bool


def realised(inputs: Inputs, absence_pct_before: Decimal, absence_pct_after: Decimal) -> Realised:
    """The realised view: the measured fall in absence priced like the forecast. Makes a
    statement such as "it paid back within a year" computable."""
    inputs.validate()
    days_saved = inputs.fte * inputs.working_days_per_fte * (absence_pct_before - absence_pct_after) / HUNDRED
    benefit = days_saved * inputs.cost_per_absence_day
    core = _core(replace(inputs, absence_effect_pct=Decimal(0)), Decimal(1))
    yearly_cost = core["yearly_cost"] or Decimal(0)
    one_off = core["one_off_cost"] or Decimal(0)
    net = benefit - yearly_cost
    back = payback_years(one_off, net)
    return Realised(
        absence_pct_before=absence_pct_before,
        absence_pct_after=absence_pct_after,
        days_saved=days_saved.quantize(Decimal("0.1")),
        yearly_benefit=_money(benefit),
        net_yearly_benefit=_money(net),
        payback_years=_money(back) if back is not None else None,
        paid_back_within_a_year=back is not None and back <= 1,
    )

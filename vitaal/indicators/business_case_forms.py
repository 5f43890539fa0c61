"""The business-case form: every calculator input with a plain label and help text."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.calculator import Inputs

LABELS: dict[str, tuple[Any, Any]] = {
    "staff": (_("Number of employees"), ""),
    "fte": (_("Number of FTE"), ""),
    "absence_pct": (_("Absence percentage"), _("For example 5.2.")),
    "absence_frequency": (_("Absence frequency"), _("Absence spells per employee per year.")),
    "cost_per_absence_day": (_("Cost per absence day (EUR)"), _("Salary plus replacement.")),
    "working_days_per_fte": (_("Working days per FTE per year"), ""),
    "turnover_pct": (_("Staff turnover (%)"), ""),
    "replacement_cost": (_("Replacement cost per leaver (EUR)"), _("Recruitment, selection and training.")),
    "salary_cost_per_fte": (_("Salary cost per FTE (EUR)"), ""),
    "absence_effect_pct": (_("Expected fall in absence (%)"), _("10 means absence falls by a tenth.")),
    "turnover_effect_pct": (_("Expected fall in turnover (%)"), ""),
    "productivity_gain_pct": (_("Expected productivity gain (percentage of salary cost)"), ""),
    "one_off_hours": (_("One-off internal hours"), ""),
    "one_off_external": (_("One-off external costs (EUR)"), ""),
    "yearly_hours": (_("Internal hours per year"), ""),
    "yearly_external": (_("External costs per year (EUR)"), ""),
    "hourly_rate": (_("Cost per internal hour (EUR)"), ""),
    "years": (_("Number of years"), _("The period for net benefit, ROI and net present value.")),
    "discount_rate_pct": (_("Discount rate (%)"), _("For the net present value.")),
}


class NumberField(forms.Field):
    """A number typed the Dutch or the English way (5,2 or 5.2), whatever the page language."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "30"})

    def to_python(self, value: Any) -> Any:
        from vitaal.indicators.services import parse_value

        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        return parse_value(text)

    def prepare_value(self, value: Any) -> Any:
        return value.normalize() if isinstance(value, Decimal) else value


class BusinessCaseForm(forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=120)
    implemented_on = forms.DateField(
        label=_("Implemented on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Fill in once the plan runs: from then on, measured absence shows what was realised."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = Inputs(
            staff=1,
            fte=Decimal(1),
            absence_pct=Decimal(0),
            absence_frequency=Decimal(0),
            cost_per_absence_day=Decimal(0),
        )
        for f in fields(Inputs):
            label, help_text = LABELS[f.name]
            initial = getattr(defaults, f.name)
            if f.type == "int":
                self.fields[f.name] = forms.IntegerField(label=label, help_text=help_text, initial=initial)
            else:
                self.fields[f.name] = NumberField(label=label, help_text=help_text, initial=initial)

    def inputs(self) -> Inputs:
        return Inputs(**{f.name: self.cleaned_data[f.name] for f in fields(Inputs)})

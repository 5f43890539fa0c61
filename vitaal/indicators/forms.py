"""Forms of the indicators pages. Validation of meaning (periods, ranges, directions)
lives in the services; the forms only read what people type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.models import Indicator
from vitaal.indicators.periods import parse_period
from vitaal.indicators.services import parse_value


class _PeriodMixin:
    indicator: Indicator

    def clean_period(self) -> Any:
        return parse_period(self.indicator.frequency, self.cleaned_data["period"])  # type: ignore[attr-defined]


class MeasurementForm(_PeriodMixin, forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=20, help_text=_("For example 2025-03, 2025-Q2 or 2025.")
    )
    value = forms.CharField(label=_("Value"), max_length=30)
    group_size = forms.IntegerField(
        label=_("Number of people"),
        min_value=0,
        required=False,
        help_text=_("How many people the value rests on (required for values from personal data)."),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if not indicator.personal_data:
            del self.fields["group_size"]

    def clean_value(self) -> Any:
        return parse_value(self.cleaned_data["value"])


class CorrectionForm(forms.Form):
    value = forms.CharField(label=_("Corrected value"), max_length=30)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)

    def clean_value(self) -> Any:
        return parse_value(self.cleaned_data["value"])


class NormForm(_PeriodMixin, forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=20, help_text=_("For example 2025-03, 2025-Q2 or 2025.")
    )
    target = forms.CharField(label=_("Target"), max_length=30)
    margin = forms.CharField(
        label=_("At-risk margin"),
        max_length=30,
        initial="0",
        help_text=_("How far short of the target is still amber."),
    )

    goal: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Goal in a plan of approach"),
        queryset=None,
        required=False,
        help_text=_("Goals whose indicator code is this indicator's code."),
    )

    def __init__(self, *args: Any, indicator: Indicator, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        from vitaal.igm.models import Goal

        goals = Goal.objects.none()
        if organisation is not None:
            goals = Goal.objects.filter(
                indicator_code=indicator.code,
                improvement_point__plan_line__plan__cycle__organisation=organisation,
            ).order_by("pk")
        goal_field: Any = self.fields["goal"]
        goal_field.queryset = goals
        goal_field.label_from_instance = lambda g: g.specific[:80]
        if not goals.exists():
            del self.fields["goal"]

    def clean_target(self) -> Any:
        return parse_value(self.cleaned_data["target"])

    def clean_margin(self) -> Any:
        return parse_value(self.cleaned_data["margin"])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class TrackedElsewhereForm(forms.Form):
    system = forms.CharField(label=_("Tracked in"), max_length=200, required=False)

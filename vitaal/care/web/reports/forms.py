"""Forms of the reports area: the period of a report, budget applications and decisions,
the forecast's assumptions, the insurer upload and the communication kit's choice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.releases import ReleasePeriod, closed_periods, last_closed_quarter

YEARS_SHOWN = 3


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """Closed periods only, newest first: a running period has no release."""
    today = today or timezone.localdate()
    return [(p.label, p.describe()) for p in closed_periods(today, first_year=today.year - YEARS_SHOWN)]


def default_period(today: date | None = None) -> ReleasePeriod:
    """Twelve months to the last closed quarter: large enough for a hogeschool of about
    1,000 staff to see its themes, and no older than one quarter."""
    last = last_closed_quarter(today or timezone.localdate())
    return ReleasePeriod.twelve_months_to(last.year, last.quarter)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]
        self.fields["period"].initial = default_period().label

    def chosen(self) -> ReleasePeriod:
        """The chosen period, or twelve months to the last closed quarter when nothing
        (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return ReleasePeriod.parse(self.cleaned_data["period"])
        return default_period()


class BudgetApplicationForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation wants to do with the money, and for whom."),
    )
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The period cannot end before it starts."))
            elif start.year != end.year:
                self.add_error("period_end", _("The period must lie within one calendar year."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject."),
    )


def _percent(label: Any, default: str, low: str = "-50", high: str = "100") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        initial=Decimal(default),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(low),
        max_value=Decimal(high),
    )


class ForecastForm(forms.Form):
    start_year = forms.IntegerField(
        label=_("First year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    years = forms.IntegerField(label=_("Number of years"), initial=5, min_value=1, max_value=15)
    headcount = forms.IntegerField(label=_("Employees in the sector"), min_value=0, max_value=10_000_000)
    contribution = forms.DecimalField(
        label=_("Contribution per employee per year (EUR)"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    co_payment_share = _percent(_("Employer's co-payment share per use (%)"), "50", "0", "100")
    company_budget_per_employee = forms.DecimalField(
        label=_("Company-bound budget per employee per year (EUR)"),
        initial=Decimal("5"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    headcount_growth = _percent(_("Growth of the number of employees per year (%)"), "0")
    tariff_indexation = _percent(_("Tariff indexation per year (%)"), "3")
    uptake_growth = _percent(_("Growth of uptake per year (%)"), "10")
    uptake_scale = _percent(_("Uptake compared with history (%)"), "100", "0", "1000")
    default_uptake = forms.DecimalField(
        label=_("Uptake per 1,000 employees where there is no history"),
        initial=Decimal("5"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
    )

    @classmethod
    def initial_for(cls, headcount: int, contribution: Decimal) -> dict[str, Any]:
        initial = {
            name: field.initial for name, field in cls.base_fields.items() if field.initial is not None
        }
        initial.update(
            {"start_year": date.today().year, "headcount": headcount, "contribution": contribution}
        )
        return initial


class InsurerUploadForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=200)
    file = forms.FileField(label=_("File (CSV or XLSX)"))


CHANNELS = (
    ("newsletter", _("Newsletter")),
    ("intranet", _("Intranet")),
    ("email", _("E-mail")),
)


class CommKitForm(forms.Form):
    subject = forms.ChoiceField(label=_("Text about"), required=False)

    def __init__(self, *args: Any, interventions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            ("package", _("The whole package")),
            *interventions,
        ]

    def chosen(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data["subject"]:
            return str(self.cleaned_data["subject"])
        return "package"

"""Forms for management contracts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import Membership, Organisation, Unit
from vitaal.core.roles import Role
from vitaal.indicators.selectors import available_indicators, line_names
from vitaal.indicators.services import parse_value


class ContractForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    head = forms.ChoiceField(label=_("Unit head"))
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    general = forms.CharField(
        label=_("General agreements"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation).order_by("path")  # type: ignore[attr-defined]
        heads = (
            Membership.objects.active()
            .filter(organisation=organisation, role__in=[Role.MANAGER, Role.MANAGEMENT], unit__isnull=False)
            .select_related("user", "unit")
            .order_by("unit__path")
        )
        self.heads = {str(m.user_id): m for m in heads}
        head_field: Any = self.fields["head"]
        head_field.choices = [
            (str(m.user_id), f"{m.user.get_full_name() or m.user.email} – {m.unit.name if m.unit else ''}")
            for m in heads
        ]


class ContractLineForm(forms.Form):
    line_code = forms.ChoiceField(label=_("Development line"))
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))
    success_factors = forms.CharField(
        label=_("Success factors"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    actions = forms.CharField(label=_("Actions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    norm = forms.CharField(label=_("Norm"), max_length=30, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in available_indicators(organisation)}
        names = line_names()
        for indicator in self.indicators.values():
            names.setdefault(indicator.line_code, indicator.line_code)
        line_field: Any = self.fields["line_code"]
        line_field.choices = sorted(names.items(), key=lambda kv: kv[0])
        indicator_field: Any = self.fields["indicator"]
        indicator_field.choices = [("", "–"), *[(i.code, i.name) for i in self.indicators.values()]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, norm = data.get("indicator"), data.get("norm")
        if code and not norm:
            self.add_error("norm", _("Give the norm for the chosen indicator."))
        elif norm and not code:
            self.add_error("indicator", _("Choose the indicator this norm belongs to."))
        elif code and norm:
            try:
                data["norm"] = parse_value(norm)
            except forms.ValidationError as exc:
                self.add_error("norm", exc)
        return data

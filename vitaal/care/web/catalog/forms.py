"""Forms of the catalog area: filters, a package verdict, an own-network provider and a
provider's tariff. Forms only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vitaal.care.models import (
    AccessRoute,
    ChainStage,
    DeliveryForm,
    Expertise,
    FinancingSource,
    Intervention,
    Provider,
    Region,
    Theme,
    Verdict,
)

ANY = [("", pgettext_lazy("filter", "All"))]
REASON_REQUIRED = {"required": _("Give the reason for this verdict.")}


def add_service_errors(form: forms.Form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the matching field, else on top."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = fields.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), choices=ANY + list(Theme.choices), required=False)
    stage = forms.ChoiceField(
        label=_("Stage of the care chain"), choices=ANY + list(ChainStage.choices), required=False
    )
    form = forms.ChoiceField(
        label=_("Delivery form"), choices=ANY + list(DeliveryForm.choices), required=False
    )
    route = forms.ChoiceField(
        label=_("Access route"), choices=ANY + list(AccessRoute.choices), required=False
    )
    unique = forms.ChoiceField(
        label=_("Other financing"),
        choices=[
            *ANY,
            ("yes", _("Only unique to the package")),
            ("no", _("Also covered by another scheme")),
        ],
        required=False,
    )

    def filter(self, qs: QuerySet[Intervention]) -> QuerySet[Intervention]:
        """Apply the filters that passed validation (call ``is_valid()`` first)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            text = data["q"]
            qs = qs.filter(
                Q(name_nl__icontains=text)
                | Q(name_en__icontains=text)
                | Q(description_nl__icontains=text)
                | Q(description_en__icontains=text)
                | Q(code__icontains=text)
            )
        if data.get("theme"):
            qs = qs.filter(theme=data["theme"])
        if data.get("stage"):
            qs = qs.with_stage(data["stage"])  # type: ignore[attr-defined]
        if data.get("form"):
            qs = qs.with_form(data["form"])  # type: ignore[attr-defined]
        if data.get("route"):
            qs = qs.with_route(data["route"])  # type: ignore[attr-defined]
        if data.get("unique") == "yes":
            qs = qs.unique_to_package()  # type: ignore[attr-defined]
        elif data.get("unique") == "no":
            ids = qs.unique_to_package().values("pk")  # type: ignore[attr-defined]
            qs = qs.exclude(pk__in=ids)
        return qs


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=pgettext_lazy("filter", "All"),
    )
    expertise = forms.ModelChoiceField(
        label=_("Expertise"),
        queryset=Expertise.objects.all(),
        required=False,
        empty_label=pgettext_lazy("filter", "All"),
    )

    def filter(self, qs: QuerySet[Provider]) -> QuerySet[Provider]:
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(city__icontains=data["q"]))
        if data.get("region"):
            qs = qs.filter(regions=data["region"])
        if data.get("expertise"):
            qs = qs.filter(expertise=data["expertise"])
        return qs


class PackageItemForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    rationale_nl = forms.CharField(
        label=_("Rationale (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), error_messages=REASON_REQUIRED
    )
    rationale_en = forms.CharField(
        label=_("Rationale (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REASON_REQUIRED,
    )
    alternative_nl = forms.CharField(
        label=_("Where else it is available (Dutch)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for interventions that are out of the package or under discussion."),
    )
    alternative_en = forms.CharField(
        label=_("Where else it is available (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    financing = forms.MultipleChoiceField(
        label=_("Other schemes that pay for it"),
        choices=FinancingSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OwnProviderForm(forms.Form):
    """A provider from the organisation's own network or region."""

    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions served"), queryset=Region.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Specialised expertise"),
        queryset=Expertise.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interventions = forms.ModelMultipleChoiceField(
        label=_("Interventions offered"),
        queryset=Intervention.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    quality_mark = forms.CharField(label=_("Quality mark"), max_length=200, required=False)
    quality_mark_obtained_on = forms.DateField(
        label=_("Quality mark obtained on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quality_mark_valid_until = forms.DateField(
        label=_("Quality mark valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, interventions: QuerySet[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interventions"].queryset = interventions  # type: ignore[attr-defined]


class TariffForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label=_("Intervention"), queryset=Intervention.objects.none(), to_field_name="code"
    )
    tariff = forms.DecimalField(label=_("Tariff (EUR)"), max_digits=9, decimal_places=2, min_value=0)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = provider.interventions.order_by("name_nl")  # type: ignore[attr-defined]

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import AccessLogEntry, FunctionGroup, Organisation, Person, Unit, User
from vitaal.core.models.audit import AccessAction, DataClass


class LanguagePreferenceForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language"]
        labels = {"preferred_language": _("Language of the website and e-mails")}


class PeopleImportForm(forms.Form):
    MODE_CHOICES = [
        ("partial", _("Only add and update the people in this file")),
        ("full", _("This file is the complete staff list: mark people missing from it as leavers")),
    ]
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_("One row per employee, with a header row."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.VITAAL_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(mb)s MB. Split it or remove columns that are not needed.")
                % {"mb": settings.VITAAL_MAX_UPLOAD_BYTES // 1_000_000}
            )
        return upload

    mode = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=MODE_CHOICES,
        initial="partial",
        widget=forms.RadioSelect,
    )


class PersonFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("current", _("Currently employed")),
        ("leavers", _("Leavers")),
        ("all", _("Everyone")),
    ]
    q = forms.CharField(label=_("Name or employee number"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    function_group = forms.ModelChoiceField(
        label=_("Function group"),
        queryset=FunctionGroup.objects.none(),
        required=False,
        empty_label=_("All function groups"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False, initial="current")

    def __init__(self, *args: Any, organisation: Organisation, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(organisation=organisation).order_by("path")
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All units")),
            ("none", _("No unit")),
            *[(str(u.pk), "– " * u.depth + u.name) for u in units],
        ]
        self.fields["function_group"].queryset = FunctionGroup.objects.filter(  # type: ignore[attr-defined]
            sector_id=organisation.sector_id
        )

    def filter(self, people: QuerySet[Person]) -> QuerySet[Person]:
        data = self.cleaned_data
        today = timezone.localdate()
        status = data.get("status") or "current"
        if status == "current":
            people = people.filter(Q(employment_end__isnull=True) | Q(employment_end__gte=today))
        elif status == "leavers":
            people = people.filter(employment_end__lt=today)
        if data.get("q"):
            q = data["q"].strip()
            people = people.filter(
                Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(employee_number__iexact=q)
            )
        if data.get("unit") == "none":
            people = people.filter(unit__isnull=True)
        elif data.get("unit"):
            unit = Unit.objects.filter(pk=data["unit"]).first()
            if unit is not None:
                people = people.filter(
                    unit__organisation_id=unit.organisation_id, unit__path__startswith=unit.path
                )
        if data.get("function_group"):
            people = people.filter(function_group=data["function_group"])
        return people


class AccessLogFilterForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number (whose data)"), required=False, max_length=40)
    actor = forms.CharField(label=_("Who (name or e-mail)"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AccessAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        to_field_name="slug",
    )
    data_class = forms.ChoiceField(
        label=_("Kind of data"), required=False, choices=[("", _("Everything")), *DataClass.choices]
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        all_classes: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The organisation choice only on the sector-wide page, the kind of data only for a
        # reader who sees more than one kind (the privacy officer).
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not all_classes:
            del self.fields["data_class"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data

    def filter(self, entries: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
        data = self.cleaned_data
        if data.get("employee_number"):
            entries = entries.filter(subject__employee_number=data["employee_number"].strip())
        if data.get("actor"):
            entries = entries.filter(actor_label__icontains=data["actor"].strip())
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("organisation"):
            entries = entries.filter(organisation=data["organisation"])
        if data.get("data_class"):
            entries = entries.filter(data_class=data["data_class"])
        if data.get("date_from"):
            entries = entries.filter(timestamp__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(timestamp__date__lte=data["date_to"])
        return entries

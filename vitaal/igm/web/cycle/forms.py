"""Forms of the cycle, meter-session and phase-registration pages. They only shape input;
the services validate it against the data and do the writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vitaal.core.models import Organisation, Unit, User
from vitaal.igm.models import (
    AdviceKind,
    AdviceOutcome,
    AdviceSubject,
    Answer,
    EvidenceKind,
    Framework,
    GroupKind,
    Instrument,
    Item,
    MeetingKind,
    MeterMode,
    Phase,
    PhaseRegistration,
    PhaseStatus,
    SessionPurpose,
    StepStatus,
    localized,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisation_users(organisation: Organisation) -> QuerySet[User]:
    """People with an account in the organisation: a role there or an employee record."""
    return (
        User.objects.filter(
            Q(memberships__organisation=organisation) | Q(person__organisation=organisation),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else str(obj.email)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else str(obj.email)


class CycleStartForm(forms.Form):
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), empty_label=None
    )
    coordinator = UserChoiceField(label=_("Coordinator"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.filter(published=True).order_by(  # type: ignore[attr-defined]
            "-is_default", "code", "-version"
        )
        self.fields["coordinator"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


class CycleCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)


class PhaseForm(forms.Form):
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE, required=False)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PhaseStatus.choices)


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)
    owner = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)
    done_date = forms.DateField(
        label=_("Done on"),
        widget=DATE,
        required=False,
        help_text=_("Left empty for a step that is done, today is recorded."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, XLSX, DOCX, CSV, PNG or JPG; at most 10 MB."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class GroupMemberForm(forms.Form):
    user = UserChoiceField(label=_("Person"), queryset=User.objects.none())
    group = forms.ChoiceField(label=_("Group"), choices=GroupKind.choices)
    role = forms.CharField(label=_("Role in the group"), max_length=120, required=False)
    from_date = forms.DateField(label=pgettext_lazy("period", "From"), widget=DATE)
    to_date = forms.DateField(label=pgettext_lazy("period", "To"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


class CoordinatorForm(forms.Form):
    user = UserChoiceField(label=_("New coordinator"), queryset=User.objects.none())
    on_date = forms.DateField(label=pgettext_lazy("period", "From"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


MANAGEMENT_CHOICES = [
    ("", _("Derive from the attendees")),
    ("yes", _("Yes, management was present")),
    ("no", _("No, management was absent")),
]


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    attendees = UserMultipleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    management_present = forms.ChoiceField(
        label=_("Management present"), choices=MANAGEMENT_CHOICES, required=False
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, phases: QuerySet[Phase], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]

    def management_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("management_present") or "")


class AdviceForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"), choices=AdviceSubject.choices)
    kind = forms.ChoiceField(label=_("Advice or consent"), choices=AdviceKind.choices)
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE)
    given_on = forms.DateField(label=_("Given on"), widget=DATE, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AdviceOutcome.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class SessionCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.none(), empty_label=None
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=MeterMode.choices, widget=forms.RadioSelect)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=SessionPurpose.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation).order_by("path")  # type: ignore[attr-defined]
        self.fields["instrument"].queryset = (  # type: ignore[attr-defined]
            Instrument.objects.filter(published=True, framework__published=True)
            .select_related("framework")
            .order_by("framework__code", "variant", "-version")
        )


class ParticipantForm(forms.Form):
    users = UserMultipleChoiceField(
        label=_("Participants to add"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Organisation, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = organisation_users(organisation).exclude(pk__in=exclude)  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the evidence says about the development lines, in a few sentences."),
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("PDF, XLSX, DOCX, CSV, PNG or JPG; at most 10 MB."),
    )


class LineRatingForm(forms.Form):
    """One line's items: a level, 'not applicable' or 'don't know' per item, and in group
    mode a discussion note per item. Levels outside the scale are refused by the choices."""

    def __init__(
        self,
        *args: Any,
        items: list[Item],
        levels: list[tuple[int, str]],
        labels: dict[str, str],
        with_notes: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(v), label) for v, label in levels]
        choices += [(Answer.NOT_APPLICABLE.value, labels["na"]), (Answer.DONT_KNOW.value, labels["dk"])]
        self.items = items
        self.with_notes = with_notes
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=localized(item, "text"), choices=choices, required=False, widget=forms.RadioSelect
            )
            if with_notes:
                self.fields[f"note_{item.pk}"] = forms.CharField(
                    label=_("Discussion note"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": item,
                "field": self[f"item_{item.pk}"],
                "note": self[f"note_{item.pk}"] if self.with_notes else None,
            }
            for item in self.items
        ]

    def value_of(self, item: Item) -> int | str | None:
        raw = self.cleaned_data.get(f"item_{item.pk}") or ""
        if raw == "":
            return None
        if raw in (Answer.NOT_APPLICABLE, Answer.DONT_KNOW):
            return str(raw)
        return int(raw)

    def note_of(self, item: Item) -> str:
        return str(self.cleaned_data.get(f"note_{item.pk}") or "") if self.with_notes else ""


class RegistrationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PhaseRegistration
        fields = list(PhaseRegistration.CONTENT_FIELDS)
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in PhaseRegistration.CONTENT_FIELDS
            if f not in ("enthusiasm", "investment_hours", "investment_eur", "shareable")
        }


# Annex A's sections, for grouping the registration form and its read-only view.
REGISTRATION_SECTIONS: list[tuple[Any, list[str]]] = [
    (
        _("Progress of the planned activities"),
        [
            "activities_as_planned",
            "activities_not_as_planned",
            "tools_and_results",
            "unplanned_activities",
            "sub_projects",
        ],
    ),
    (
        _("Course of the process and lessons learned"),
        [
            "went_easier",
            "went_harder",
            "dilemmas",
            "decisive_arguments",
            "external_factors",
            "internal_conditions",
            "enthusiasm",
            "enthusiasm_note",
            "lessons_learned",
        ],
    ),
    (_("Content"), ["content_focus", "content_expression"]),
    (
        _("Actors"),
        [
            "actors_key_positive",
            "actors_negative_or_missing",
            "advisor_role",
            "communication",
            "actors_changed",
        ],
    ),
    (
        _("Results"),
        [
            "investment_hours",
            "investment_time_note",
            "investment_eur",
            "investment_money_note",
            "process_results",
            "tangible_results",
            "intangible_results",
        ],
    ),
    (_("Other observations"), ["most_striking", "shareable"]),
]

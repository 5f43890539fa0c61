"""Forms of the plans area. They only collect and type the input; the services validate
the rules (limits, SMART, dates) and the views turn their errors into form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import Membership, Organisation, Unit, User
from vitaal.igm.models import (
    ActionStatus,
    CommunicationItem,
    Cycle,
    DevelopmentLine,
    ManagementLetter,
    MeterSession,
    Plan,
    SessionStatus,
    StartMemo,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisation_users(organisation: Organisation) -> QuerySet[User]:
    """People who can own a goal or an action: users with a role in the organisation
    or an employee record there."""
    return (
        User.objects.filter(
            Q(pk__in=Membership.objects.active().filter(organisation=organisation).values("user_id"))
            | Q(person__organisation=organisation)
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = f"{obj.first_name} {obj.last_name}".strip()
        return name or str(obj.email)


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    session = forms.ModelChoiceField(
        queryset=MeterSession.objects.none(),
        label=_("Start from meter session"),
        required=False,
        help_text=_("Optional: the two development lines with the lowest scores are prioritised for you."),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Plan.objects.filter(cycle=cycle, unit__isnull=False).values("unit_id")
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(organisation=cycle.organisation).exclude(pk__in=taken).order_by("path")
        )
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            MeterSession.objects.filter(
                organisation=cycle.organisation,
                status=SessionStatus.CLOSED,
                unit__isnull=False,
                instrument__framework=cycle.framework,
            )
            .select_related("unit")
            .order_by("-date", "-pk")
        )
        self.fields["session"].label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{s.unit} – {s.date.isoformat()} {s.title}".strip()
        )


class PlanEditForm(forms.Form):
    summary_nl = forms.CharField(
        label=_("Summary for employees (Dutch)"), widget=forms.Textarea, required=False
    )
    summary_en = forms.CharField(
        label=_("Summary for employees (English)"), widget=forms.Textarea, required=False
    )
    exceed_defaults = forms.BooleanField(
        label=_("Allow more than two lines, and more than two improvement points per line"), required=False
    )


class PlanLineForm(forms.Form):
    line = forms.ModelChoiceField(queryset=DevelopmentLine.objects.none(), label=_("Development line"))

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = plan.cycle.framework.lines.exclude(  # type: ignore[attr-defined]
            pk__in=plan.lines.values("line_id")
        ).order_by("order")


class ImprovementPointForm(forms.Form):
    title = forms.CharField(label=_("Improvement point"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class GoalForm(forms.Form):
    specific = forms.CharField(
        label=_("Specific: what exactly do you want to reach?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator_name = forms.CharField(
        label=_("Measurable: indicator"),
        max_length=200,
        required=False,
        help_text=_("How you will measure it."),
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=12, decimal_places=2
    )
    target_unit = forms.CharField(label=_("Unit of the target"), max_length=40, required=False)
    target_text = forms.CharField(
        label=_("Target in words"),
        max_length=200,
        required=False,
        help_text=_("If the target is not a number."),
    )
    owner = UserChoiceField(queryset=User.objects.none(), label=_("Owner"), required=False)
    realistic = forms.CharField(
        label=_("Realistic: why can this be done?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


# type: ignore[attr-defined]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = UserChoiceField(queryset=User.objects.none(), label=_("Owner"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=7, decimal_places=1, initial=0)
    money = forms.DecimalField(label=_("Money (euro)"), max_digits=10, decimal_places=2, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN)
    done_date = forms.DateField(label=_("Done on"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation_users(organisation)  # type: ignore[attr-defined]


# type: ignore[attr-defined]


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("What was done"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"), required=False)
    line = forms.ModelChoiceField(
        queryset=DevelopmentLine.objects.none(), label=_("Development line"), required=False
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(organisation=cycle.organisation).order_by("path")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["line"].queryset = cycle.framework.lines.order_by("order")  # type: ignore[attr-defined]


# type: ignore[attr-defined]


class ManagementLetterForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ManagementLetter
        fields = ["addressed_to", "letter_date", "reason", "commitment", "resources", "signatory"]
        widgets = {"letter_date": DATE}


class StartMemoForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StartMemo
        fields = [
            "motives",
            "yield_concrete",
            "yield_strategic",
            "goals",
            "scope",
            "project_organisation",
            "communication",
        ]


class CommunicationPlanForm(forms.Form):
    introduction = forms.CharField(label=_("Introduction"), widget=forms.Textarea, required=False)


class CommunicationItemForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CommunicationItem
        fields = ["audience", "message", "channel", "starts_on", "ends_on", "owner"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "message": forms.Textarea(attrs={"rows": 3})}


class DigestForm(forms.Form):
    weekly = forms.BooleanField(label=_("Send me a weekly e-mail with the open signals"), required=False)

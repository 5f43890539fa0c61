"""Forms of the employee portal: short, one question per field, radio buttons that work
with a thumb and a keyboard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vitaal.care.finder import Concern, Preference, Urgency
from vitaal.care.health import WHO5_ITEMS, WHO5_SCALE, WORK_ABILITY_QUESTION
from vitaal.care.models import Helped
from vitaal.care.models.bilingual import pick

RADIO = forms.RadioSelect


class FinderForm(forms.Form):
    concern = forms.ChoiceField(label=_("What is going on?"), choices=Concern.choices, widget=RADIO)
    urgency = forms.ChoiceField(
        label=_("How much does it affect you now?"), choices=Urgency.choices, widget=RADIO
    )
    preference = forms.ChoiceField(
        label=_("How would you like to get support?"), choices=Preference.choices, widget=RADIO
    )


def _who5_choices() -> list[tuple[int, str]]:
    return [(value, pick(nl, en)) for value, nl, en in WHO5_SCALE]


class HealthCheckForm(forms.Form):
    """The WHO-5 (official wording, from vitaal.care.health) and the work ability item.
    Every question must be answered; values outside the scales are refused by the choices."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in WHO5_ITEMS:
            self.fields[f"who5_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=_who5_choices(),
                coerce=int,
                widget=RADIO,
                error_messages={"required": _("Answer this question.")},
            )
        self.fields["work_ability"] = forms.TypedChoiceField(
            label=pick(*WORK_ABILITY_QUESTION),
            choices=[(n, str(n)) for n in range(11)],
            coerce=int,
            widget=RADIO,
            error_messages={"required": _("Answer this question.")},
        )

    def who5_answers(self) -> list[int]:
        return [self.cleaned_data[f"who5_{i}"] for i in range(1, 6)]


class RequestForm(forms.Form):
    description = forms.CharField(
        label=_("Anything you want to tell the care coordinator? (optional)"),
        help_text=_("Only the care coordinator and the care provider read this. Your employer does not."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReferralAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Do you want this support?"),
        choices=[("accept", _("Yes, I accept")), ("decline", _("No, thank you"))],
        widget=RADIO,
    )
    description = forms.CharField(
        label=_("Anything you want to tell the care coordinator? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want to stop?"),
        help_text=_("A short reason is enough, for example: I found help elsewhere."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class EvaluationForm(forms.Form):
    helped = forms.ChoiceField(label=_("Did it help you?"), choices=Helped.choices, widget=RADIO)
    grade = forms.TypedChoiceField(
        label=_("What grade do you give it? (1 is very bad, 10 is excellent)"),
        choices=[(n, str(n)) for n in range(1, 11)],
        coerce=int,
        widget=RADIO,
    )
    comment = forms.CharField(
        label=_("Comments (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

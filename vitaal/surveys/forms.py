"""Forms of the researcher pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import Organisation, Sector
from vitaal.surveys.models import Question, QuestionKind, Questionnaire, Wave

SECTOR_CHOICE = "sector"


class WaveForm(forms.Form):
    """A new wave: which questionnaire, and for whom (an organisation the user researches,
    or the whole sector for a sector admin)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects.none())
    target = forms.ChoiceField(label=_("For"))
    opens_on = forms.DateField(
        label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisations: list[Organisation], sectors: list[Sector], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.all()  # type: ignore[attr-defined]
        choices = [(f"org:{o.pk}", o.name) for o in organisations]
        choices += [
            (f"{SECTOR_CHOICE}:{s.pk}", _("Whole sector: %(name)s") % {"name": s.name}) for s in sectors
        ]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]
        self._organisations = {o.pk: o for o in organisations}
        self._sectors = {s.pk: s for s in sectors}

    def target_objects(self) -> tuple[Sector, Organisation | None]:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        if kind == SECTOR_CHOICE:
            return self._sectors[int(pk)], None
        organisation = self._organisations[int(pk)]
        return organisation.sector, organisation


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        help_text=_("One address per line. Each person gets a personal link that works once."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def addresses(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["emails"].replace(",", "\n").splitlines()
            if line.strip()
        ]


class ReminderForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, initial=_("Reminder: our survey"))
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=_(
            "Have you not filled in our survey yet, or did you stop halfway? Please use the link "
            "from our first email, or the link you got when you saved your answers."
        ),
    )


class PopulationForm(forms.Form):
    """Population figures per background question: one number per answer (a percentage or
    a head count; only the proportions matter)."""

    def __init__(self, *args: Any, wave: Wave, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[Question, list[str]]] = []
        for question in questions:
            if not question.background or question.kind != QuestionKind.SINGLE:
                continue
            names = []
            for option in question.options.all():
                name = f"{question.code}__{option.value}"
                self.fields[name] = forms.FloatField(
                    label=f"{question.localized('text')} – {option.localized('label')}",
                    required=False,
                    min_value=0,
                    initial=(wave.population or {}).get(question.code, {}).get(option.value),
                )
                names.append(name)
            self.groups.append((question, names))

    def shares(self) -> dict[str, dict[str, float]]:
        result: dict[str, dict[str, float]] = {}
        for question, names in self.groups:
            values = {n.split("__", 1)[1]: self.cleaned_data.get(n) for n in names}
            if any(v is not None for v in values.values()):
                result[question.code] = {k: float(v or 0) for k, v in values.items()}
        return result

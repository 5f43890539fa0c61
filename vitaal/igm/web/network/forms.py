"""Forms of the learning network pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vitaal.core.models import Organisation
from vitaal.igm.models import DevelopmentLine, Framework, PhaseNumber, PracticeKind, PracticeSource
from vitaal.igm.web.network.selectors import PracticeFilter

MAX_TEXT = 200


def default_lines() -> QuerySet[DevelopmentLine]:
    framework = Framework.objects.filter(is_default=True, published=True).order_by("-version").first()
    if framework is None:
        return DevelopmentLine.objects.none()
    return framework.lines.order_by("order")


class _Typed:
    """``self.fields[name]`` as the concrete field type, for setting choices or a queryset."""

    fields: dict[str, Any]

    def _field(self, name: str) -> Any:
        return self.fields[name]


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class PracticeFilterForm(_Typed, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_TEXT)
    line = forms.ChoiceField(label=_("Development line"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = pgettext_lazy("filter", "All")
        self.fields["q"].widget.input_type = "search"
        self._field("line").choices = _any(any_) + [(line.code, line.name) for line in default_lines()]
        self._field("phase").choices = _any(any_) + [(str(v), label) for v, label in PhaseNumber.choices]
        self._field("kind").choices = _any(any_) + list(PracticeKind.choices)
        self._field("source").choices = _any(any_) + list(PracticeSource.choices)

    def to_filter(self) -> PracticeFilter:
        if not self.is_valid():
            return PracticeFilter()
        data = self.cleaned_data
        return PracticeFilter(
            text=data["q"].strip(),
            line_code=data["line"],
            phase=int(data["phase"]) if data["phase"] else None,
            kind=data["kind"],
            source=data["source"],
        )


class LessonFilterForm(_Typed, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_TEXT)
    phase = forms.ChoiceField(label=_("Phase"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self._field("phase").choices = _any(pgettext_lazy("filter", "All")) + [
            (str(v), label) for v, label in PhaseNumber.choices
        ]

    def values(self) -> tuple[str, int | None]:
        if not self.is_valid():
            return "", None
        phase = self.cleaned_data["phase"]
        return self.cleaned_data["q"].strip(), int(phase) if phase else None


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MemberAddForm(_Typed, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    joined_on = forms.DateField(
        label=_("Member since"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("organisation").queryset = organisations


class PracticeSubmitForm(_Typed, forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences: what you did and why it worked."),
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "How others can do the same. Describe the approach, not people: no names or personal details."
        ),
    )
    lines = forms.ModelMultipleChoiceField(
        label=_("Development lines"),
        queryset=DevelopmentLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phases = forms.TypedMultipleChoiceField(
        label=_("Phases"),
        choices=PhaseNumber.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("organisation").queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self._field("lines").queryset = default_lines()

"""Forms of the care work area: referral, decisions, assignment, delivery, activities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care.models import (
    CareRequest,
    Intervention,
    Package,
    Provider,
    ProviderTariff,
    Verdict,
)
from vitaal.care.models.catalog import ROUTE_FIELDS
from vitaal.care.models.package import package_year
from vitaal.care.workflow import Outcome
from vitaal.core.access import get_actor
from vitaal.core.models import Organisation, Person
from vitaal.core.roles import Role


def referrer_roles_in(user: Any, organisation: Organisation) -> list[str]:
    """The referrer roles (manager, hr, company_doctor) the user holds in the organisation."""
    actor = get_actor(user)
    roles: list[str] = []
    if any(org_id == organisation.pk for org_id, _p in actor.units_for([Role.MANAGER])):
        roles.append(Role.MANAGER)
    for role in (Role.HR, Role.COMPANY_DOCTOR):
        if actor.has_role_in_org(organisation, [role]):
            roles.append(role)
    return roles


def referable_interventions(organisation: Organisation, roles: list[str]) -> QuerySet[Intervention]:
    """Interventions in this year's published package whose route allows one of the roles."""
    package = (
        Package.objects.published()
        .filter(sector_id=organisation.sector_id, year=package_year(timezone.localdate()))
        .first()
    )
    if package is None or not roles:
        return Intervention.objects.none()
    route_q = Q(pk__in=[])
    for role in roles:
        route_q |= Q(**{ROUTE_FIELDS[role]: True})
    return (
        Intervention.objects.filter(
            route_q,
            is_active=True,
            package_items__package=package,
            package_items__verdict__in=[Verdict.IN, Verdict.DISCUSS],
        )
        .distinct()
        .order_by("name_nl")
    )


PEOPLE_SHOWN = 20


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Validates against the whole scoped queryset (one query for the posted pk) but renders
    only the people ``offer`` was given: a search result, never the whole organisation."""

    widget = forms.RadioSelect

    def label_from_instance(self, obj: Any) -> str:
        name = f"{obj.last_name}, {obj.first_name}" if obj.first_name else obj.last_name
        unit = f" – {obj.unit.name}" if obj.unit_id else ""
        return f"{name} ({obj.employee_number}){unit}"

    def offer(self, people: list[Person]) -> None:
        self.widget.choices = [(p.pk, self.label_from_instance(p)) for p in people]


def search_people(people: QuerySet[Person], text: str) -> list[Person]:
    """At most ``PEOPLE_SHOWN + 1`` people whose name contains every word of ``text`` or
    whose employee number starts with it (one query; the caller shows the first 20)."""
    words = text.split()[:5]
    if not words:
        return []
    for word in words:
        name = Q(last_name__icontains=word) | Q(first_name__icontains=word)
        people = people.filter(name | Q(employee_number__istartswith=word))
    return list(people.select_related("unit")[: PEOPLE_SHOWN + 1])


class ReferralForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_("Employee"),
        empty_label=None,
        error_messages={
            "required": _("Search for the employee and choose them from the list."),
            "invalid_choice": _("You cannot refer this person. Search again and choose from the list."),
        },
    )
    intervention = forms.ModelChoiceField(queryset=Intervention.objects.none(), label=_("Intervention"))
    referrer_role = forms.ChoiceField(label=_("You refer as"), choices=())
    note = forms.CharField(
        label=_("Note for the employee"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the employee reads this. Do not write medical details."),
    )

    def __init__(
        self, *args: Any, user: Any, organisation: Organisation, search: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        roles = referrer_roles_in(user, organisation)
        labels = dict(Role.choices)
        field = self.fields["referrer_role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, labels[r]) for r in roles]
        if len(roles) == 1:
            field.initial = roles[0]
            field.widget = forms.HiddenInput()
        people = self.fields["person"]
        assert isinstance(people, forms.ModelChoiceField)
        people.queryset = (
            Person.objects.visible_to(user)
            .filter(organisation=organisation)
            .current()
            .exclude(user_id=user.pk)
            .order_by("last_name", "first_name", "pk")
        )
        self.search = search.strip()[:100]
        self.found = search_people(people.queryset, self.search)
        self.more_found = len(self.found) > PEOPLE_SHOWN
        self.found = self.found[:PEOPLE_SHOWN]
        chosen = self._chosen(people.queryset)
        assert isinstance(people, PersonChoiceField)
        people.offer(chosen + [p for p in self.found if p not in chosen])
        interventions = self.fields["intervention"]
        assert isinstance(interventions, forms.ModelChoiceField)
        interventions.queryset = referable_interventions(organisation, roles)

    def _chosen(self, people: QuerySet[Person]) -> list[Person]:
        """The person already chosen (posted, or preselected with ``?person=``), if in scope,
        so that a new search or a form error does not lose them."""
        value = self.data.get("person") if self.is_bound else self.initial.get("person")
        if not str(value or "").isdigit():
            return []
        return list(people.select_related("unit").filter(pk=int(str(value))))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The employee reads this. Keep it factual."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why you cannot take it"), max_length=2000, required=False)


def matching_providers(request: CareRequest) -> QuerySet[Provider]:
    """Active providers of the sector (or the organisation's own network) that offer the
    intervention, with their regions and expertise for the coordinator to compare."""
    return (
        Provider.objects.filter(
            is_active=True,
            sector_id=request.organisation.sector_id,
            interventions=request.intervention_id,
        )
        .filter(Q(added_by_organisation__isnull=True) | Q(added_by_organisation_id=request.organisation_id))
        .prefetch_related("regions", "expertise")
        .order_by("name")
        .distinct()
    )


def tariffs_for(request: CareRequest, providers: list[Provider]) -> dict[int, Any]:
    """The tariff in force today per provider for the request's intervention (one query)."""
    today = timezone.localdate()
    found: dict[int, Any] = {}
    rows = ProviderTariff.objects.filter(
        provider__in=providers, intervention_id=request.intervention_id, valid_from__lte=today
    ).order_by("provider_id", "-valid_from")
    for row in rows:
        found.setdefault(row.provider_id, row.tariff)
    return found


class AssignForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(), label=_("Provider"), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args: Any, request: CareRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = matching_providers(request)


class AcceptForm(forms.Form):
    sessions_planned = forms.IntegerField(label=_("Sessions planned"), min_value=1, max_value=100)

    def __init__(self, *args: Any, request: CareRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sessions_planned"]
        maximum = request.intervention.max_sessions
        if maximum:
            field.help_text = _("At most %(max)d sessions.") % {"max": maximum}
            field.initial = maximum


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    cost = forms.DecimalField(label=_("Cost (EUR)"), min_value=0, max_digits=9, decimal_places=2)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by the employee and the care coordinator; never on an invoice."),
    )

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be registered before it took place."))
        return day


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        required=False,
        empty_label=_("The whole sector"),
    )
    intervention = forms.ModelChoiceField(
        queryset=Intervention.objects.none(), label=_("Intervention"), required=False
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    enrolment_deadline = forms.DateTimeField(
        label=_("Enrolment deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("After this moment the activity goes ahead or is cancelled."),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)
    min_participants = forms.IntegerField(label=_("Minimum participants"), min_value=1, max_value=1000)

    def __init__(self, *args: Any, sector_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["organisation"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = Organisation.objects.filter(sector_id=sector_id).order_by("name")
        interventions = self.fields["intervention"]
        assert isinstance(interventions, forms.ModelChoiceField)
        interventions.queryset = Intervention.objects.filter(
            sector_id=sector_id, collective=True, is_active=True
        ).order_by("name_nl")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("capacity")
            and data.get("min_participants")
            and data["min_participants"] > data["capacity"]
        ):
            self.add_error("min_participants", _("The minimum cannot be more than the number of places."))
        start, deadline = data.get("starts_at"), data.get("enrolment_deadline")
        if start and deadline and deadline > start:
            self.add_error("enrolment_deadline", _("The enrolment deadline must fall before the start."))
        return data

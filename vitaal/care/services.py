"""Writes of the care app. Each service is keyword-only and typed, validates with
``full_clean()`` and runs in one transaction: bad input raises ValidationError with a
translatable message and changes nothing.

Catalog entries and providers are described by a *spec* (a plain dataclass), so the JSON
loader and, later, forms and the API go through the same code path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care.health import health_check_evaluate
from vitaal.care.models import (
    Expertise,
    HealthCheck,
    Intervention,
    Package,
    PackageItem,
    Provider,
    ProviderMember,
    ProviderTariff,
    Region,
)
from vitaal.care.models.catalog import (
    FINANCING_FIELDS,
    FORM_FIELDS,
    ROUTE_FIELDS,
    STAGE_FIELDS,
    set_flags,
)
from vitaal.care.models.package import PUBLISHED_IS_FINAL, PackageStatus
from vitaal.core.models import Organisation, Person, Sector, User

UNKNOWN_VALUES = _("Unknown value(s): %(values)s.")


def set_choices(obj: Any, mapping: Mapping[str, str], values: Iterable[str], name: str) -> None:
    """Set the boolean columns of a multi-valued property; unknown values are refused."""
    chosen = set(values)
    unknown = sorted(chosen - set(mapping))
    if unknown:
        raise ValidationError({name: UNKNOWN_VALUES % {"values": ", ".join(unknown)}})
    set_flags(obj, mapping, chosen)


# --- Catalog ----------------------------------------------------------------------------

INTERVENTION_SIMPLE_FIELDS = (
    "code",
    "name_nl",
    "name_en",
    "description_nl",
    "description_en",
    "theme",
    "individual",
    "collective",
    "duration_nl",
    "duration_en",
    "max_sessions",
    "tariff",
    "tariff_unit",
    "ceiling",
    "approval_required",
    "approver",
    "source",
    "is_active",
)


@dataclass(frozen=True, kw_only=True)
class InterventionSpec:
    """Everything that describes one catalog entry; multi-valued properties as sets of
    choice values (see the choices in ``vitaal.care.models.catalog``)."""

    code: str
    name_nl: str
    name_en: str
    theme: str
    tariff: Decimal
    tariff_unit: str
    stages: frozenset[str]
    forms: frozenset[str]
    routes: frozenset[str]
    individual: bool = True
    collective: bool = False
    description_nl: str = ""
    description_en: str = ""
    duration_nl: str = ""
    duration_en: str = ""
    max_sessions: int | None = None
    ceiling: Decimal | None = None
    approval_required: bool = False
    approver: str = ""
    financing: frozenset[str] = frozenset()
    source: str = ""
    is_active: bool = True

    def apply_to(self, obj: Intervention) -> None:
        for name in INTERVENTION_SIMPLE_FIELDS:
            setattr(obj, name, getattr(self, name))
        set_choices(obj, STAGE_FIELDS, self.stages, "stages")
        set_choices(obj, FORM_FIELDS, self.forms, "forms")
        set_choices(obj, ROUTE_FIELDS, self.routes, "routes")
        set_choices(obj, FINANCING_FIELDS, self.financing, "financing")


@transaction.atomic
def intervention_create(*, sector: Sector, spec: InterventionSpec) -> Intervention:
    intervention = Intervention(sector=sector)
    spec.apply_to(intervention)
    intervention.full_clean()
    intervention.save()
    return intervention


@transaction.atomic
def intervention_update(*, intervention: Intervention, spec: InterventionSpec) -> Intervention:
    """Replace the entry's description with ``spec``. Works on a fresh copy, so a refused
    change leaves the caller's object as it was."""
    fresh = Intervention.objects.select_for_update().get(pk=intervention.pk)
    spec.apply_to(fresh)
    fresh.full_clean()
    fresh.save()
    return fresh


# --- Providers --------------------------------------------------------------------------

PROVIDER_SIMPLE_FIELDS = (
    "code",
    "name",
    "city",
    "email",
    "website",
    "description_nl",
    "description_en",
    "quality_mark",
    "quality_mark_obtained_on",
    "quality_mark_valid_until",
    "is_active",
    "source",
)


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    """A provider's description: regions by province code, expertise by code, and the
    interventions it offers by catalog code."""

    code: str
    name: str
    city: str = ""
    email: str = ""
    website: str = ""
    description_nl: str = ""
    description_en: str = ""
    regions: frozenset[str] = frozenset()
    expertise: frozenset[str] = frozenset()
    interventions: frozenset[str] = frozenset()
    quality_mark: str = ""
    quality_mark_obtained_on: date | None = None
    quality_mark_valid_until: date | None = None
    is_active: bool = True
    source: str = ""


@dataclass
class _ProviderLinks:
    regions: list[Region] = field(default_factory=list)
    expertise: list[Expertise] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)


def _resolve_links(sector: Sector, spec: ProviderSpec) -> _ProviderLinks:
    links = _ProviderLinks(
        regions=list(Region.objects.filter(code__in=spec.regions)),
        expertise=list(Expertise.objects.filter(code__in=spec.expertise)),
        interventions=list(Intervention.objects.filter(sector=sector, code__in=spec.interventions)),
    )
    errors: dict[str, Any] = {}
    for name, wanted, found in (
        ("regions", spec.regions, {r.code for r in links.regions}),
        ("expertise", spec.expertise, {e.code for e in links.expertise}),
        ("interventions", spec.interventions, {i.code for i in links.interventions}),
    ):
        missing = sorted(set(wanted) - found)
        if missing:
            errors[name] = UNKNOWN_VALUES % {"values": ", ".join(missing)}
    if errors:
        raise ValidationError(errors)
    return links


def _save_provider(provider: Provider, spec: ProviderSpec) -> Provider:
    for name in PROVIDER_SIMPLE_FIELDS:
        setattr(provider, name, getattr(spec, name))
    links = _resolve_links(provider.sector, spec)
    if provider.pk is not None:
        dropped = provider.tariffs.exclude(intervention__in=links.interventions)
        if dropped.exists():
            raise ValidationError(
                {
                    "interventions": _(
                        "The provider still has tariffs for an intervention you want to remove from "
                        "its offer. Remove those tariffs first."
                    )
                }
            )
    provider.full_clean()
    provider.save()
    provider.regions.set(links.regions)
    provider.expertise.set(links.expertise)
    provider.interventions.set(links.interventions)
    return provider


@transaction.atomic
def provider_create(
    *, sector: Sector, spec: ProviderSpec, added_by_organisation: Organisation | None = None
) -> Provider:
    """A provider for the whole sector or, with ``added_by_organisation``, one that an
    organisation adds to its own network."""
    return _save_provider(Provider(sector=sector, added_by_organisation=added_by_organisation), spec)


@transaction.atomic
def provider_update(*, provider: Provider, spec: ProviderSpec) -> Provider:
    return _save_provider(Provider.objects.select_for_update().get(pk=provider.pk), spec)


@transaction.atomic
def provider_tariff_set(
    *, provider: Provider, intervention: Intervention, tariff: Decimal, valid_from: date
) -> ProviderTariff:
    """Set the provider's tariff for an intervention from a date (replacing the tariff
    that starts on that same date, if any)."""
    row = ProviderTariff.objects.filter(
        provider=provider, intervention=intervention, valid_from=valid_from
    ).first() or ProviderTariff(provider=provider, intervention=intervention, valid_from=valid_from)
    row.tariff = tariff
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def provider_member_add(*, provider: Provider, user: User) -> ProviderMember:
    member = ProviderMember(provider=provider, user=user)
    member.full_clean()
    member.save()
    return member


# --- Package ----------------------------------------------------------------------------


def _lock_editable(package: Package) -> Package:
    locked = Package.objects.select_for_update().get(pk=package.pk)
    if locked.status == PackageStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_IS_FINAL)
    return locked


@transaction.atomic
def package_create(*, sector: Sector, year: int) -> Package:
    package = Package(sector=sector, year=year)
    package.full_clean()
    package.save()
    return package


@transaction.atomic
def package_item_set(
    *,
    package: Package,
    intervention: Intervention,
    verdict: str,
    rationale_nl: str,
    rationale_en: str,
    alternative_nl: str = "",
    alternative_en: str = "",
    financing: Iterable[str] = (),
) -> PackageItem:
    """Add an intervention to a draft package or change its verdict and reasons."""
    locked = _lock_editable(package)
    item = PackageItem.objects.filter(package=locked, intervention=intervention).first() or PackageItem(
        package=locked, intervention=intervention
    )
    item.verdict = verdict
    item.rationale_nl = rationale_nl
    item.rationale_en = rationale_en
    item.alternative_nl = alternative_nl
    item.alternative_en = alternative_en
    set_choices(item, FINANCING_FIELDS, financing, "financing")
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def package_item_remove(*, item: PackageItem) -> None:
    _lock_editable(item.package)
    item.delete()


@transaction.atomic
def package_publish(*, package: Package) -> Package:
    """Make a draft package final and readable by everyone in the sector."""
    locked = _lock_editable(package)
    if not locked.items.exists():
        raise ValidationError(_("A package without interventions cannot be published."))
    locked.status = PackageStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.full_clean()
    locked.save()
    return locked


# --- Health check -----------------------------------------------------------------------


@transaction.atomic
def health_check_record(
    *, person: Person, who5: Sequence[int], work_ability: int, taken_on: date | None = None
) -> HealthCheck:
    """Store an employee's own health check with the scores derived from the answers."""
    if len(who5) != 5:
        raise ValidationError(_("The WHO-5 has exactly five questions."))
    check = HealthCheck(person=person, work_ability=work_ability, taken_on=taken_on or timezone.localdate())
    check.who5_1, check.who5_2, check.who5_3, check.who5_4, check.who5_5 = who5
    check.full_clean()
    result = health_check_evaluate(who5_answers=check.who5_answers, work_ability=check.work_ability)
    check.who5_raw = result.who5.raw
    check.who5_percentage = result.who5.percentage
    check.wellbeing_band = result.who5.band
    check.work_ability_band = result.work_ability_band
    check.poor_wellbeing = result.who5.poor_wellbeing
    check.depression_screen = result.who5.depression_screen
    check.low_item = result.who5.low_item
    check.save()
    return check

"""The catalog of interventions a sector's care arrangement can offer.

Multi-valued properties (chain stages, delivery forms, access routes, financing sources)
are stored as one boolean column per value: they filter with a plain ``WHERE`` on SQLite
and PostgreSQL alike, and check constraints can require at least one of them.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import reduce
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .bilingual import BilingualMixin


class Theme(models.TextChoices):
    PHYSICAL = "physical", _("Physical health")
    MENTAL = "mental", _("Mental health")
    LIFESTYLE = "lifestyle", _("Lifestyle")
    OTHER = "other", pgettext_lazy("care theme", "Other")


class ChainStage(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    COMPLAINTS = "complaints", _("Health complaints")
    ABSENCE = "absence", _("Absence")
    REINTEGRATION = "reintegration", _("Reintegration")


class DeliveryForm(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (online and face to face)")
    WORKSHOP = "workshop", _("Short workshop (a day at most)")
    COURSE = "course", _("Longer course")
    ON_SITE = "on_site", _("At the workplace")


class AccessRoute(models.TextChoices):
    DIRECT = "direct", _("Direct: the employee applies")
    MANAGER = "manager", _("Referral by the manager")
    HR = "hr", _("Referral by the HR advisor")
    COMPANY_DOCTOR = "company_doctor", _("Referral by the company doctor")


class Approver(models.TextChoices):
    """Who judges a request that needs approval. Never the line manager (DESIGN rule 1)."""

    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")


class FinancingSource(models.TextChoices):
    """Other schemes that may already pay for an intervention outside the package."""

    BASIC_INSURANCE = "basic_insurance", _("Basic health insurance")
    SUPPLEMENTARY_INSURANCE = "supplementary_insurance", _("Supplementary health insurance")
    SECTOR_FUNDS = "sector_funds", _("Sector funds")
    PROFESSIONALISATION = "professionalisation", _("Professionalisation scheme")


class TariffUnit(models.TextChoices):
    SESSION = "session", _("per session")
    TRAJECTORY = "trajectory", _("per trajectory")


# value -> boolean column, one mapping per multi-valued property
STAGE_FIELDS: dict[str, str] = {
    ChainStage.PREVENTION: "stage_prevention",
    ChainStage.COMPLAINTS: "stage_complaints",
    ChainStage.ABSENCE: "stage_absence",
    ChainStage.REINTEGRATION: "stage_reintegration",
}
FORM_FIELDS: dict[str, str] = {
    DeliveryForm.FACE_TO_FACE: "form_face_to_face",
    DeliveryForm.ONLINE: "form_online",
    DeliveryForm.BLENDED: "form_blended",
    DeliveryForm.WORKSHOP: "form_workshop",
    DeliveryForm.COURSE: "form_course",
    DeliveryForm.ON_SITE: "form_on_site",
}
ROUTE_FIELDS: dict[str, str] = {
    AccessRoute.DIRECT: "route_direct",
    AccessRoute.MANAGER: "route_manager",
    AccessRoute.HR: "route_hr",
    AccessRoute.COMPANY_DOCTOR: "route_company_doctor",
}
FINANCING_FIELDS: dict[str, str] = {
    FinancingSource.BASIC_INSURANCE: "covered_by_basic_insurance",
    FinancingSource.SUPPLEMENTARY_INSURANCE: "covered_by_supplementary_insurance",
    FinancingSource.SECTOR_FUNDS: "covered_by_sector_funds",
    FinancingSource.PROFESSIONALISATION: "covered_by_professionalisation",
}


def flags_of(obj: Any, mapping: Mapping[str, str]) -> list[str]:
    """The values whose boolean column is set, in the order of the mapping."""
    return [value for value, field in mapping.items() if getattr(obj, field)]


def set_flags(obj: Any, mapping: Mapping[str, str], values: Iterable[str]) -> None:
    chosen = set(values)
    for value, field in mapping.items():
        setattr(obj, field, value in chosen)


def any_flag(mapping: Mapping[str, str]) -> Q:
    """At least one of the mapping's boolean columns is set."""
    return reduce(operator.or_, (Q(**{field: True}) for field in mapping.values()))


NOT_NEGATIVE = Decimal("0")
NEGATIVE_TARIFF = _("A tariff cannot be negative.")
NEGATIVE_CEILING = _("A ceiling cannot be negative.")
TOO_FEW_SESSIONS = _("The maximum number of sessions must be at least 1.")


def _bool(label: Any) -> models.BooleanField[Any, Any]:
    return models.BooleanField(label, default=False)


class FinancingSources(models.Model):
    """The other financing sources that also pay for something (abstract)."""

    covered_by_basic_insurance = _bool(_("covered by basic health insurance"))
    covered_by_supplementary_insurance = _bool(_("covered by supplementary health insurance"))
    covered_by_sector_funds = _bool(_("covered by sector funds"))
    covered_by_professionalisation = _bool(_("covered by the professionalisation scheme"))

    class Meta:
        abstract = True

    @property
    def financing_sources(self) -> list[str]:
        return flags_of(self, FINANCING_FIELDS)

    def financing_source_labels(self) -> list[str]:
        return [str(FinancingSource(v).label) for v in self.financing_sources]


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def visible_to(self, user: Any) -> InterventionQuerySet:
        from vitaal.care.access import scope_interventions

        return scope_interventions(self, user)

    def with_stage(self, stage: str) -> InterventionQuerySet:
        return self.filter(**{STAGE_FIELDS[stage]: True})

    def with_form(self, form: str) -> InterventionQuerySet:
        return self.filter(**{FORM_FIELDS[form]: True})

    def with_route(self, route: str) -> InterventionQuerySet:
        return self.filter(**{ROUTE_FIELDS[route]: True})

    def unique_to_package(self) -> InterventionQuerySet:
        return self.exclude(any_flag(FINANCING_FIELDS))


class Intervention(BilingualMixin, FinancingSources):
    """One kind of support in a sector's catalog (a coaching trajectory, a health check,
    a workshop...), with what it costs, how employees reach it and which other schemes
    already pay for it."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.CASCADE, related_name="interventions", verbose_name=_("sector")
    )
    code = models.SlugField(_("code"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)

    stage_prevention = _bool(_("prevention"))
    stage_complaints = _bool(_("health complaints"))
    stage_absence = _bool(_("absence"))
    stage_reintegration = _bool(_("reintegration"))

    individual = _bool(_("individual"))
    collective = _bool(_("collective"))

    form_face_to_face = _bool(_("face to face"))
    form_online = _bool(_("online"))
    form_blended = _bool(_("blended"))
    form_workshop = _bool(_("short workshop"))
    form_course = _bool(_("longer course"))
    form_on_site = _bool(_("at the workplace"))

    duration_nl = models.CharField(_("expected duration (Dutch)"), max_length=200, blank=True)
    duration_en = models.CharField(_("expected duration (English)"), max_length=200, blank=True)
    max_sessions = models.PositiveSmallIntegerField(
        _("maximum number of sessions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=TOO_FEW_SESSIONS)],
    )
    tariff = models.DecimalField(
        _("tariff (EUR)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_TARIFF)],
    )
    tariff_unit = models.CharField(_("tariff unit"), max_length=20, choices=TariffUnit.choices)
    ceiling = models.DecimalField(
        _("ceiling per employee per year (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_CEILING)],
    )

    route_direct = _bool(_("direct access"))
    route_manager = _bool(_("referral by the manager"))
    route_hr = _bool(_("referral by the HR advisor"))
    route_company_doctor = _bool(_("referral by the company doctor"))

    approval_required = _bool(_("approval required"))
    approver = models.CharField(_("approved by"), max_length=20, choices=Approver.choices, blank=True)

    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the facts and figures of this entry come from.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["theme", "name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "code"],
                name="intervention_unique_code",
                violation_error_message=_("The sector already has an intervention with this code."),
            ),
            models.CheckConstraint(
                condition=Q(tariff__gte=0),
                name="intervention_tariff_not_negative",
                violation_error_message=NEGATIVE_TARIFF,
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(ceiling__gte=0),
                name="intervention_ceiling_not_negative",
                violation_error_message=NEGATIVE_CEILING,
            ),
            models.CheckConstraint(
                condition=Q(max_sessions__isnull=True) | Q(max_sessions__gte=1),
                name="intervention_max_sessions_positive",
                violation_error_message=TOO_FEW_SESSIONS,
            ),
            models.CheckConstraint(
                condition=any_flag(ROUTE_FIELDS),
                name="intervention_has_access_route",
                violation_error_message=_(
                    "Choose at least one access route: direct, or a referral by the manager, "
                    "the HR advisor or the company doctor."
                ),
            ),
            models.CheckConstraint(
                condition=any_flag(STAGE_FIELDS),
                name="intervention_has_chain_stage",
                violation_error_message=_("Choose at least one stage of the care chain."),
            ),
            models.CheckConstraint(
                condition=any_flag(FORM_FIELDS),
                name="intervention_has_delivery_form",
                violation_error_message=_("Choose at least one delivery form."),
            ),
            models.CheckConstraint(
                condition=Q(individual=True) | Q(collective=True),
                name="intervention_individual_or_collective",
                violation_error_message=_("An intervention is individual, collective or both."),
            ),
            models.CheckConstraint(
                condition=Q(approval_required=False)
                | Q(approver__in=[Approver.CARE_COORDINATOR, Approver.COMPANY_DOCTOR]),
                name="intervention_approval_has_approver",
                violation_error_message=_(
                    "Approval is required, so choose who approves: the care coordinator or the "
                    "company doctor."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approval_required=True) | Q(approver=""),
                name="intervention_approver_only_with_approval",
                violation_error_message=_("Choose an approver only when approval is required."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def duration(self) -> str:
        return self.localized("duration")

    @property
    def stages(self) -> list[str]:
        return flags_of(self, STAGE_FIELDS)

    @property
    def forms(self) -> list[str]:
        return flags_of(self, FORM_FIELDS)

    @property
    def routes(self) -> list[str]:
        return flags_of(self, ROUTE_FIELDS)

    @property
    def is_unique_to_package(self) -> bool:
        """True when no other scheme pays for it: the package is the only way to get it."""
        return not self.financing_sources

"""Care providers: who delivers interventions, where, with which expertise and at what
price."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualMixin
from .catalog import NEGATIVE_TARIFF, NOT_NEGATIVE

# A quality mark this close to its end date is shown as "expiring".
EXPIRY_WARNING_DAYS = 90

NOT_OFFERED = _("This provider does not offer this intervention; add it to the provider's offer first.")


class Province(models.TextChoices):
    """The twelve Dutch provinces, the regions providers say they serve."""

    GRONINGEN = "GR", "Groningen"
    FRYSLAN = "FR", "Fryslân"
    DRENTHE = "DR", "Drenthe"
    OVERIJSSEL = "OV", "Overijssel"
    FLEVOLAND = "FL", "Flevoland"
    GELDERLAND = "GE", "Gelderland"
    UTRECHT = "UT", "Utrecht"
    NOORD_HOLLAND = "NH", "Noord-Holland"
    ZUID_HOLLAND = "ZH", "Zuid-Holland"
    ZEELAND = "ZE", "Zeeland"
    NOORD_BRABANT = "NB", "Noord-Brabant"
    LIMBURG = "LI", "Limburg"


# Dutch and English names of the provinces; the data migration seeds Region from this.
PROVINCE_NAMES: dict[str, tuple[str, str]] = {
    "GR": ("Groningen", "Groningen"),
    "FR": ("Fryslân", "Friesland"),
    "DR": ("Drenthe", "Drenthe"),
    "OV": ("Overijssel", "Overijssel"),
    "FL": ("Flevoland", "Flevoland"),
    "GE": ("Gelderland", "Gelderland"),
    "UT": ("Utrecht", "Utrecht"),
    "NH": ("Noord-Holland", "North Holland"),
    "ZH": ("Zuid-Holland", "South Holland"),
    "ZE": ("Zeeland", "Zeeland"),
    "NB": ("Noord-Brabant", "North Brabant"),
    "LI": ("Limburg", "Limburg"),
}


class Region(BilingualMixin, models.Model):
    """A Dutch province a provider serves. Seeded by migration, one row per province."""

    code = models.CharField(_("code"), max_length=2, unique=True, choices=Province.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.localized("name")


class Expertise(BilingualMixin, models.Model):
    """A specialised subject a provider is good at (grief, divorce, fear of public
    speaking...), used to refer an employee to the right person."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise areas")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.localized("name")


class QualityMarkStatus(models.TextChoices):
    NONE = "none", _("no quality mark")
    VALID = "valid", _("valid")
    EXPIRING = "expiring", _("expires within 90 days")
    EXPIRED = "expired", _("expired")


class ProviderQuerySet(models.QuerySet["Provider"]):
    def visible_to(self, user: Any) -> ProviderQuerySet:
        from vitaal.care.access import scope_providers

        return scope_providers(self, user)

    def invoices_visible_to(self, user: Any) -> ProviderQuerySet:
        """Providers whose invoices the user reads (``care.access``)."""
        from vitaal.care.access import scope_invoice_providers

        return scope_invoice_providers(self, user)

    def in_region(self, code: str) -> ProviderQuerySet:
        return self.filter(regions__code=code).distinct()


class Provider(BilingualMixin, models.Model):
    """An organisation or practitioner that delivers interventions. Either contracted for
    the whole sector, or part of one organisation's own network (``added_by_organisation``),
    in which case only that organisation and the sector see it."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.CASCADE, related_name="care_providers", verbose_name=_("sector")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="providers", verbose_name=_("regions"))
    expertise = models.ManyToManyField(
        Expertise, blank=True, related_name="providers", verbose_name=_("expertise")
    )
    interventions = models.ManyToManyField(
        "care.Intervention", blank=True, related_name="providers", verbose_name=_("interventions offered")
    )
    quality_mark = models.CharField(_("quality mark"), max_length=200, blank=True)
    quality_mark_obtained_on = models.DateField(_("quality mark obtained on"), null=True, blank=True)
    quality_mark_valid_until = models.DateField(_("quality mark valid until"), null=True, blank=True)
    added_by_organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_care_providers",
        verbose_name=_("own network of"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.TextField(_("source"), blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "code"],
                name="provider_unique_code",
                violation_error_message=_("The sector already has a provider with this code."),
            ),
            models.CheckConstraint(
                condition=Q(quality_mark_obtained_on__isnull=True)
                | Q(quality_mark_valid_until__isnull=True)
                | Q(quality_mark_valid_until__gte=models.F("quality_mark_obtained_on")),
                name="provider_quality_mark_dates",
                violation_error_message=_("A quality mark cannot expire before it was obtained."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def is_own_network(self) -> bool:
        return self.added_by_organisation_id is not None

    def quality_mark_status_on(self, day: date) -> str:
        if not self.quality_mark:
            return QualityMarkStatus.NONE
        until = self.quality_mark_valid_until
        if until is None:
            return QualityMarkStatus.VALID
        if until < day:
            return QualityMarkStatus.EXPIRED
        if until <= day + timedelta(days=EXPIRY_WARNING_DAYS):
            return QualityMarkStatus.EXPIRING
        return QualityMarkStatus.VALID

    @property
    def quality_mark_status(self) -> str:
        return self.quality_mark_status_on(timezone.localdate())

    def tariff_for(self, intervention: Any, on: date | None = None) -> ProviderTariff | None:
        """The tariff in force on a day (today by default), or None."""
        day = on or timezone.localdate()
        return (
            self.tariffs.filter(intervention=intervention, valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.quality_mark and (self.quality_mark_obtained_on or self.quality_mark_valid_until):
            errors["quality_mark"] = _("Give the name of the quality mark these dates belong to.")
        org = self.added_by_organisation if self.added_by_organisation_id else None
        if org is not None and self.sector_id and org.sector_id != self.sector_id:
            errors["added_by_organisation"] = _("This organisation belongs to another sector.")
        if errors:
            raise ValidationError(errors)


class ProviderTariff(models.Model):
    """What a provider charges for one intervention from a date on (a new row for a new
    price, so costs booked earlier keep their tariff)."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("provider")
    )
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.CASCADE,
        related_name="provider_tariffs",
        verbose_name=_("intervention"),
    )
    tariff = models.DecimalField(
        _("tariff (EUR)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_TARIFF)],
    )
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("provider tariff")
        verbose_name_plural = _("provider tariffs")
        ordering = ["provider", "intervention", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "intervention", "valid_from"],
                name="provider_tariff_unique_start",
                violation_error_message=_("This provider already has a tariff for it from this date."),
            ),
            models.CheckConstraint(
                condition=Q(tariff__gte=0),
                name="provider_tariff_not_negative",
                violation_error_message=NEGATIVE_TARIFF,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} – {self.intervention}: {self.tariff} ({self.valid_from})"

    def clean(self) -> None:
        if not (self.provider_id and self.intervention_id):
            return
        if self.intervention.sector_id != self.provider.sector_id:
            raise ValidationError({"intervention": _("This intervention belongs to another sector.")})
        if not self.provider.interventions.filter(pk=self.intervention_id).exists():
            raise ValidationError({"intervention": NOT_OFFERED})


class ProviderMember(models.Model):
    """Links a login to the provider they work for. The ``provider`` role itself is held
    at sector level (core Membership); this says *which* provider."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="members", verbose_name=_("provider")
    )
    user = models.ForeignKey(
        "core.User", on_delete=models.CASCADE, related_name="care_provider_links", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("provider staff member")
        verbose_name_plural = _("provider staff members")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "user"],
                name="provider_member_unique",
                violation_error_message=_("This user is already linked to this provider."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"

    def clean(self) -> None:
        from vitaal.core.models import Membership
        from vitaal.core.roles import Role

        if not (self.provider_id and self.user_id):
            return
        holds_role = (
            Membership.objects.active()
            .filter(user_id=self.user_id, role=Role.PROVIDER, sector_id=self.provider.sector_id)
            .exists()
        )
        if not holds_role:
            raise ValidationError(
                {"user": _("This user does not hold the care provider role in the provider's sector.")}
            )

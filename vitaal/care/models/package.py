"""The care package: per sector and year, which catalog interventions are in, under
discussion or out, and why."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualMixin
from .catalog import FinancingSources

PUBLISHED_IS_FINAL = _(
    "This package has been published and can no longer be changed. Start a new package for "
    "the next year instead."
)


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Verdict(models.TextChoices):
    """The three columns of the package proposal (Bartels 2020, figure 4.1)."""

    IN = "in", _("In the package (+)")
    DISCUSS = "discuss", _("Under discussion (+/−)")
    OUT = "out", _("Out of the package (−)")


VERDICT_SYMBOLS: dict[str, str] = {Verdict.IN: "+", Verdict.DISCUSS: "+/−", Verdict.OUT: "−"}


class PackageQuerySet(models.QuerySet["Package"]):
    def visible_to(self, user: Any) -> PackageQuerySet:
        from vitaal.care.access import scope_packages

        return scope_packages(self, user)

    def published(self) -> PackageQuerySet:
        return self.filter(status=PackageStatus.PUBLISHED)


def package_year(day: date) -> int:
    """The package year a day falls in: academic years start on 1 September, so 2025 covers
    1 September 2025 to 31 August 2026."""
    return day.year if day.month >= 9 else day.year - 1


class Package(models.Model):
    """The interventions a sector's care arrangement covers in one year. ``year`` is the
    year the package starts (hbo works in academic years: 2025 means 2025-2026). A draft
    is worked on by the sector admin; once published it is final."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.CASCADE, related_name="care_packages", verbose_name=_("sector")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("care package")
        verbose_name_plural = _("care packages")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "year"],
                name="package_unique_year",
                violation_error_message=_("The sector already has a package for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.year + 1}"

    @property
    def is_published(self) -> bool:
        return self.status == PackageStatus.PUBLISHED


class PackageItem(BilingualMixin, FinancingSources):
    """One intervention's verdict in a package, with the reasons. For an intervention that
    leaves the package, ``alternative_*`` and the financing flags say where employees can
    still get it, so it does not silently disappear."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="items", verbose_name=_("package")
    )
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.PROTECT,
        related_name="package_items",
        verbose_name=_("intervention"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    rationale_nl = models.TextField(_("rationale (Dutch)"))
    rationale_en = models.TextField(_("rationale (English)"))
    alternative_nl = models.TextField(_("where else it is available (Dutch)"), blank=True)
    alternative_en = models.TextField(_("where else it is available (English)"), blank=True)

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["package", "verdict", "intervention__name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "intervention"],
                name="package_item_unique_intervention",
                violation_error_message=_("This intervention is already in the package."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.intervention}"

    @property
    def symbol(self) -> str:
        return VERDICT_SYMBOLS.get(self.verdict, "?")

    @property
    def rationale(self) -> str:
        return self.localized("rationale")

    @property
    def alternative(self) -> str:
        return self.localized("alternative")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.package_id:
            # Read the status from the database: the caller's copy may be stale.
            status = Package.objects.filter(pk=self.package_id).values_list("status", flat=True).first()
            if status == PackageStatus.PUBLISHED:
                raise ValidationError(PUBLISHED_IS_FINAL)
            if self.intervention_id and self.intervention.sector_id != self.package.sector_id:
                errors["intervention"] = _("This intervention belongs to another sector.")
        if self.verdict == Verdict.IN and (
            self.alternative_nl or self.alternative_en or self.financing_sources
        ):
            errors["alternative_nl"] = _(
                "Alternatives are recorded only for interventions that are out of the package or "
                "under discussion."
            )
        if errors:
            raise ValidationError(errors)

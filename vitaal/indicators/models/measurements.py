"""Measured values and norms per organisation (or unit) and period. A correction never
overwrites: it adds a new row and marks the old one as superseded, with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.models.library import Indicator, Source


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def current(self) -> MeasurementQuerySet:
        return self.filter(is_current=True)


class Measurement(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Empty: the whole organisation."),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    group_size = models.PositiveIntegerField(
        _("group size"),
        null=True,
        blank=True,
        help_text=_("Number of people the value rests on (for indicators derived from personal data)."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_current = models.BooleanField(_("current"), default=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("corrects"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "unit", "period_start", "recorded_at"]
        indexes = [models.Index(fields=["organisation", "indicator", "period_start"])]
        constraints = [
            # One current value per indicator, place and period (units and the whole
            # organisation separately).
            models.UniqueConstraint(
                fields=["organisation", "unit", "indicator", "period_start"],
                condition=models.Q(is_current=True, unit__isnull=False),
                name="measurement_one_current_per_unit",
            ),
            models.UniqueConstraint(
                fields=["organisation", "indicator", "period_start"],
                condition=models.Q(is_current=True, unit__isnull=True),
                name="measurement_one_current_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}: {self.value}"


class Norm(models.Model):
    """The target for an indicator in a place and period, optionally linked to a goal of a
    plan of approach. ``margin`` is how far short of the target still counts as "at risk"."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="norms", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    margin = models.DecimalField(
        _("at-risk margin"),
        max_digits=14,
        decimal_places=4,
        help_text=_("How far short of the target still counts as at risk, in the indicator's unit."),
    )
    goal = models.ForeignKey(
        "igm.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="norms",
        verbose_name=_("goal in the plan of approach"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("norms")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "indicator", "period_start"],
                condition=models.Q(unit__isnull=False),
                name="norm_one_per_unit_period",
            ),
            models.UniqueConstraint(
                fields=["organisation", "indicator", "period_start"],
                condition=models.Q(unit__isnull=True),
                name="norm_one_per_org_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.target}"

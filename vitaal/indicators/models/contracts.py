"""Management contracts per unit head and period (annex B2 of the TNO report): per
development line an objective, success factors, indicators with norms and actions, signed
by the unit head and by management. A signed contract is frozen; a change makes a new
version that points back to the one it replaces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.models.library import Indicator


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")
    REPLACED = "replaced", _("replaced by a newer version")


class ManagementContract(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit head")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    general = models.TextField(_("general agreements"), blank=True)
    head_signed_at = models.DateTimeField(_("signed by the unit head"), null=True, blank=True)
    management_signed_at = models.DateTimeField(_("signed by management"), null=True, blank=True)
    management_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for management by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("management contract")
        verbose_name_plural = _("management contracts")
        ordering = ["unit", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "version"], name="contract_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")), name="contract_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y}–{self.period_end:%Y} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != ContractStatus.DRAFT


class ContractLine(models.Model):
    contract = models.ForeignKey(
        ManagementContract, on_delete=models.CASCADE, related_name="lines", verbose_name=_("contract")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    line_code = models.SlugField(_("development line"), max_length=50)
    objective = models.TextField(_("objective"))
    success_factors = models.TextField(_("success factors"), blank=True)
    actions = models.TextField(_("actions"), blank=True)

    class Meta:
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        ordering = ["contract", "order"]
        constraints = [models.UniqueConstraint(fields=["contract", "line_code"], name="contract_line_once")]

    def __str__(self) -> str:
        return self.line_code


class ContractIndicator(models.Model):
    line = models.ForeignKey(ContractLine, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    norm = models.DecimalField(_("norm"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("contract indicator")
        verbose_name_plural = _("contract indicators")
        constraints = [models.UniqueConstraint(fields=["line", "indicator"], name="contract_indicator_once")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.norm}"

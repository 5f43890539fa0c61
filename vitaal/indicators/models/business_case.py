"""Saved business-case scenarios. The inputs are stored as JSON (see
vitaal.indicators.calculator.Inputs) so a scenario can always be recomputed; the outcome
is never stored, it follows from the inputs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.indicators.calculator import Inputs


class BusinessCase(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("scenario name"), max_length=120)
    inputs = models.JSONField(_("inputs"))
    implemented_on = models.DateField(
        _("implemented on"),
        null=True,
        blank=True,
        help_text=_("From this date, measured indicators show what was realised."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="business_case_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_inputs(self) -> Inputs:
        return Inputs.from_json(self.inputs)

"""The package recommendation matrix (Bartels 2020, figure 4.1): per intervention of the
sector's catalog, need (a survey wave), use (care requests), uniqueness (other financing
sources) and cost combine by an adjustable rule into +, +/- or −; the sector admin records
a decision and its rationale per intervention and carries the outcome into next year's
draft package. The rule itself lives in vitaal/surveys/matrix.py."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatrixVerdict(models.TextChoices):
    IN = "in", "+"
    DISCUSS = "discuss", "+/−"
    OUT = "out", "−"


class RecommendationMatrix(models.Model):
    """One year's recommendation for a sector, with its sources and its rule settings.

    ``need_mapping`` maps an intervention code to the survey answers that show a need for
    it: ``{"coaching": [{"question": "support_used", "options": ["coaching"]}]}``."""

    sector = models.ForeignKey(
        "core.Sector",
        on_delete=models.CASCADE,
        related_name="recommendation_matrices",
        verbose_name=_("sector"),
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("package year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    wave = models.ForeignKey(
        "surveys.Wave",
        on_delete=models.PROTECT,
        related_name="recommendation_matrices",
        verbose_name=_("survey wave"),
    )
    usage_from = models.DateField(_("care use from"))
    usage_to = models.DateField(_("care use to"))
    need_mapping = models.JSONField(_("need mapping"), default=dict, blank=True)
    need_high = models.FloatField(_("high need from (percentage of respondents)"), default=20.0)
    need_low = models.FloatField(_("some need from (percentage of respondents)"), default=5.0)
    use_high = models.FloatField(_("high use from (requests per 1,000 employees)"), default=20.0)
    use_low = models.FloatField(_("some use from (requests per 1,000 employees)"), default=5.0)
    cost_high = models.FloatField(_("high cost from (EUR per employee per year)"), default=10.0)
    plus_from = models.SmallIntegerField(_("+ from (points)"), default=3)
    discuss_from = models.SmallIntegerField(_("+/− from (points)"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation matrix")
        verbose_name_plural = _("recommendation matrices")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title


class MatrixDecision(models.Model):
    """The sector admin's decision on one intervention, with the reasons."""

    matrix = models.ForeignKey(
        RecommendationMatrix, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("matrix")
    )
    intervention = models.ForeignKey(
        "care.Intervention", on_delete=models.CASCADE, related_name="+", verbose_name=_("intervention")
    )
    verdict = models.CharField(_("decision"), max_length=10, choices=MatrixVerdict.choices)
    rationale = models.TextField(_("rationale"), max_length=4000)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matrix decision")
        verbose_name_plural = _("matrix decisions")
        constraints = [
            models.UniqueConstraint(fields=["matrix", "intervention"], name="matrix_decision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.get_verdict_display()}"

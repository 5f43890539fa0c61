"""Protected releases: every figure about groups of people that employer-side and sector
roles may see, stored once per sector, domain and closed period."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.core.models.organisation import ReportingPeriod, Sector


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    ROLLING = "rolling", _("Twelve months")


class Release(models.Model):
    """The protected figures of one domain (care and health) about every group of a
    sector — the sector, its organisations and their units — for one closed period.

    Computed once, with one suppression pattern across all of its tables, and never
    changed afterwards: every page, export, API answer, indicator and budget view about
    that population and period reads from here, so two outputs cannot disagree and a
    later event cannot move a published figure. Hidden cells are stored without a value.
    The day it was made is kept, not the moment: nothing here should line up with the
    events it counts."""

    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, related_name="releases", verbose_name=_("sector")
    )
    domain = models.CharField(_("domain"), max_length=20)
    kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting period")
    )
    threshold = models.PositiveSmallIntegerField(_("minimum cell size"))
    data = models.JSONField(_("protected figures"))
    released_on = models.DateField(_("released on"))

    class Meta:
        verbose_name = _("protected release")
        verbose_name_plural = _("protected releases")
        ordering = ["-end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "domain", "kind", "start"], name="release_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="release_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.period.label}"

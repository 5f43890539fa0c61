"""The usage figures an insurer sends in a spreadsheet: a separate source next to
vitaal's own requests. (Published figures are stored as protected releases,
``vitaal.core.models.Release``.)"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

YEAR_RANGE = [MinValueValidator(2000), MaxValueValidator(2100)]
QUARTER_RANGE = [MinValueValidator(1), MaxValueValidator(4)]


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, not yet applied")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class InsurerImportBatch(models.Model):
    """One uploaded insurer spreadsheet: checked as a whole, then applied in one
    transaction. The file's hash makes a second upload of the same file change nothing."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.CASCADE, related_name="insurer_imports", verbose_name=_("sector")
    )
    insurer = models.CharField(_("insurer"), max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    duplicates = models.JSONField(_("duplicate rows"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("insurer import")
        verbose_name_plural = _("insurer imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "content_sha256"],
                condition=Q(status="applied"),
                name="insurer_import_file_applied_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.insurer}: {self.filename}"


class InsurerUsageRow(models.Model):
    """Users of one intervention (or theme) in one organisation and quarter, for one
    combination of gender, age band and function group, as the insurer counted them."""

    batch = models.ForeignKey(
        InsurerImportBatch, on_delete=models.PROTECT, related_name="rows", verbose_name=_("import")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_RANGE)
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER_RANGE)
    theme = models.CharField(_("theme"), max_length=20)
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intervention"),
    )
    gender = models.CharField(_("gender"), max_length=1)
    age_band = models.CharField(_("age band"), max_length=10)
    function_group = models.CharField(_("function group"), max_length=20, blank=True)
    users = models.PositiveIntegerField(_("users"))
    cost = models.DecimalField(_("cost (EUR)"), max_digits=12, decimal_places=2, default=0)
    row_key = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("insurer usage row")
        verbose_name_plural = _("insurer usage rows")
        indexes = [models.Index(fields=["organisation", "year", "quarter"])]
        constraints = [
            models.UniqueConstraint(fields=["row_key"], name="insurer_usage_row_unique_key"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="insurer_row_quarter"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="insurer_row_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.row_key

"""Uploaded files waiting for, or done with, an import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file and what became of it. The file is validated whole on upload;
    applying it is a separate step (shown to the user as a preview first)."""

    class Kind(models.TextChoices):
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        REJECTED = "rejected", _("Rejected")
        VALIDATED = "validated", _("Checked, waiting for confirmation")
        QUEUED = "queued", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEOPLE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

"""Records of the privacy machinery itself: retention runs, erasure requests and the
aggregates kept of survey waves whose raw responses were removed."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of the retention job: which version of the table it applied and, per data
    class, how many rows it removed or anonymised (or would have, for a dry run)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    table_version = models.CharField(_("table version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    # {class key: {"deleted": n, "anonymised": n}}
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def total(self) -> int:
        return sum(sum(v.values()) for v in self.counts.values())


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for a decision")
    DONE = "done", _("Carried out")
    REFUSED = "refused", _("Refused")


class ErasureRequestQuerySet(models.QuerySet["ErasureRequest"]):
    def visible_to(self, user: Any) -> ErasureRequestQuerySet:
        from vitaal.privacy.access import scope_erasure_requests

        return scope_erasure_requests(self, user)


class ErasureRequest(models.Model):
    """An employee's request to erase their data (AVG art. 17), the privacy handler's
    decision, and the outcome: what was erased, anonymised and kept (with the reason)."""

    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="erasure_requests", verbose_name=_("employee")
    )
    # Copied from the person so scoping is one filter, as on care requests.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    reason = models.TextField(_("reason (optional)"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("explanation"), blank=True, max_length=2000)
    # A list of plan lines (see vitaal.privacy.erasure.PlanLine.as_dict).
    outcome = models.JSONField(default=list, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="requested"),
                name="erasure_one_open_request_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d} ({self.status})"


class RetainedSurveyAggregate(models.Model):
    """What stays of a survey wave once its raw responses pass their retention period:
    counts per answer for every closed question, and the number and mean of numeric
    answers. It names nobody; shown anywhere, it goes through disclosure control."""

    wave = models.OneToOneField(
        "surveys.Wave", on_delete=models.CASCADE, related_name="retained_aggregate", verbose_name=_("wave")
    )
    responses = models.PositiveIntegerField(_("responses"))
    # {question code: {"counts": {value: n}} or {"n": n, "mean": x}}
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retained survey aggregate")
        verbose_name_plural = _("retained survey aggregates")

    def __str__(self) -> str:
        return f"wave {self.wave_id}: {self.responses}"

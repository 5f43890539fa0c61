"""What happened in a phase, in the structure of annex A of the TNO pilot report, and the
signals the process watch stored for each active cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycle import Cycle, CyclePart, Phase

REGISTRATION_VERIFIED = _("This registration has been verified and can no longer be changed.")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    VERIFIED = "verified", _("Verified")


class Enthusiasm(models.TextChoices):
    """Whether the phase made people more or less keen on the IGM concept and method."""

    UNKNOWN = "", _("Not recorded")
    MORE = "more", _("More enthusiasm")
    UNCHANGED = "unchanged", _("Unchanged")
    LESS = "less", _("Less enthusiasm")


def _text(label: Any) -> models.TextField[str, str]:
    return models.TextField(label, blank=True)


class PhaseRegistration(models.Model):
    """The record of one phase: what went as planned and what did not, the process and its
    lessons, the content, the actors, the investments and the results (annex A). The
    advisor or coordinator keeps it; the organisation's contact person verifies it, after
    which it is frozen. ``shareable`` marks it as fit for the learning network."""

    phase = models.OneToOneField(
        Phase, on_delete=models.CASCADE, related_name="registration", verbose_name=_("phase")
    )
    # Progress of the planned activities
    activities_as_planned = _text(_("activities carried out as planned"))
    activities_not_as_planned = _text(_("planned activities that did not go as planned, and why"))
    tools_and_results = _text(_("tools used, and their results"))
    unplanned_activities = _text(_("unplanned activities that proved useful or necessary, and why"))
    sub_projects = _text(_("sub-projects started under the IGM umbrella"))
    # Course of the process and lessons learned
    went_easier = _text(_("what went easier or faster than expected, and why"))
    went_harder = _text(_("what went harder or slower than expected, and why"))
    dilemmas = _text(_("dilemmas"))
    decisive_arguments = _text(_("decisive arguments for choices made (or limits set)"))
    external_factors = _text(_("external factors that influenced the process"))
    internal_conditions = _text(_("internal preconditions that influenced the process"))
    enthusiasm = models.CharField(
        _("effect on enthusiasm for IGM"), max_length=10, choices=Enthusiasm.choices, blank=True
    )
    enthusiasm_note = _text(_("enthusiasm: explanation"))
    lessons_learned = _text(_("lessons learned"))
    # Content
    content_focus = _text(
        _("what was central in content (health, its relation to productivity and operations)")
    )
    content_expression = _text(_("how that showed"))
    # Actors
    actors_key_positive = _text(_("actors with a (positive) key role"))
    actors_negative_or_missing = _text(_("actors with a negative role, or missing while needed"))
    advisor_role = _text(_("role of the advisor"))
    communication = _text(_("how process and results were communicated, and to whom"))
    actors_changed = _text(_("actors whose attitude or behaviour noticeably changed"))
    # Results
    investment_hours = models.DecimalField(
        _("investment in time (hours)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    investment_time_note = _text(_("investment in time: explanation"))
    investment_eur = models.DecimalField(
        _("investment in money (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    investment_money_note = _text(_("investment in money and third-party services: explanation"))
    process_results = _text(_("process results (commitments, projects)"))
    tangible_results = _text(_("tangible results (health improvements, financial returns)"))
    intangible_results = _text(_("intangible results (culture, behaviour, insights)"))
    # Other observations
    most_striking = _text(_("most striking in this phase"))

    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    shareable = models.BooleanField(
        _("shareable with the learning network"),
        default=False,
        help_text=_("Only verified registrations marked shareable are offered to the learning network."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Annex-A content fields, in form order (services accept exactly these).
    CONTENT_FIELDS = (
        "activities_as_planned",
        "activities_not_as_planned",
        "tools_and_results",
        "unplanned_activities",
        "sub_projects",
        "went_easier",
        "went_harder",
        "dilemmas",
        "decisive_arguments",
        "external_factors",
        "internal_conditions",
        "enthusiasm",
        "enthusiasm_note",
        "lessons_learned",
        "content_focus",
        "content_expression",
        "actors_key_positive",
        "actors_negative_or_missing",
        "advisor_role",
        "communication",
        "actors_changed",
        "investment_hours",
        "investment_time_note",
        "investment_eur",
        "investment_money_note",
        "process_results",
        "tangible_results",
        "intangible_results",
        "most_striking",
        "shareable",
    )

    class Meta:
        verbose_name = _("phase registration")
        verbose_name_plural = _("phase registrations")
        ordering = ["phase"]

    def __str__(self) -> str:
        return f"{self.phase} – {self.get_status_display()}"

    @property
    def cycle(self) -> Cycle:
        return self.phase.cycle

    @property
    def organisation(self) -> Any:
        return self.phase.cycle.organisation

    @property
    def is_verified(self) -> bool:
        return self.status == RegistrationStatus.VERIFIED


class SignalSeverity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    ALERT = "alert", _("Alert")


class StoredSignal(CyclePart):
    """A process-watch signal as computed by the periodic job, kept so start pages can
    show it without recomputing. Rows of a cycle are replaced on every run; the message is
    rendered from ``kind`` and ``params`` when shown, in the reader's language."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="signals", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=30)
    severity = models.CharField(_("severity"), max_length=8, choices=SignalSeverity.choices)
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    computed_for = models.DateField(_("computed for"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored signal")
        verbose_name_plural = _("stored signals")
        ordering = ["cycle", "kind", "subject_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "subject_type", "subject_id"], name="igm_signal_unique_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id}"

    @property
    def message(self) -> str:
        from vitaal.igm.process_watch import render_message

        return render_message(self.kind, self.params)

"""The documents of the start of a cycle, kept as structured forms so that they can be
exported to DOCX and PDF in one house style: the management letter (management's
commitment), the start memo (why, what it should yield, goals, scope, organisation,
communication) and the communication plan (who hears what, how, when, from whom).

One of each per cycle; the cycle's editors write them, its readers read them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cycle import DATES_OUT_OF_ORDER, Cycle, CyclePart


class DocumentKind(models.TextChoices):
    MANAGEMENT_LETTER = "management-letter", _("Management letter")
    START_MEMO = "start-memo", _("Start memo")
    COMMUNICATION_PLAN = "communication-plan", _("Communication plan")


class CycleDocument(CyclePart):
    """Shared by the three documents: one per cycle, who changed it last and when."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        abstract = True


class ManagementLetter(CycleDocument):
    """Management states why it wants integral health management and what it commits."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="management_letter", verbose_name=_("cycle")
    )
    addressed_to = models.CharField(_("addressed to"), max_length=200)
    letter_date = models.DateField(_("date of the letter"))
    reason = models.TextField(_("why management wants this"))
    commitment = models.TextField(_("what management commits to"))
    resources = models.TextField(_("time and money made available"), blank=True)
    signatory = models.CharField(_("signed by (name and position)"), max_length=200)

    class Meta:
        verbose_name = _("management letter")
        verbose_name_plural = _("management letters")

    def __str__(self) -> str:
        return str(_("Management letter"))


class StartMemo(CycleDocument):
    """The start memo (startnotitie) of the cycle."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="start_memo", verbose_name=_("cycle")
    )
    motives = models.TextField(_("motives"))
    yield_concrete = models.TextField(_("expected yield: concrete"))
    yield_strategic = models.TextField(_("expected yield: strategic"))
    goals = models.TextField(_("goals"))
    scope = models.TextField(_("scope"))
    project_organisation = models.TextField(_("project organisation"))
    communication = models.TextField(_("communication"))

    class Meta:
        verbose_name = _("start memo")
        verbose_name_plural = _("start memos")

    def __str__(self) -> str:
        return str(_("Start memo"))


class CommunicationPlan(CycleDocument):
    """The communication plan: an introduction and one row per audience and moment."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="communication_plan", verbose_name=_("cycle")
    )
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")

    def __str__(self) -> str:
        return str(_("Communication plan"))


class CommunicationItem(models.Model):
    """Who hears what, through which channel, when and from whom."""

    plan = models.ForeignKey(
        CommunicationPlan,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("communication plan"),
    )
    audience = models.CharField(_("audience"), max_length=200)
    message = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=200)
    starts_on = models.DateField(pgettext_lazy("period", "from"))
    ends_on = models.DateField(pgettext_lazy("period", "until"), null=True, blank=True)
    owner = models.CharField(_("sent by"), max_length=200)

    class Meta:
        verbose_name = _("communication item")
        verbose_name_plural = _("communication items")
        ordering = ["plan", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="igm_communicationitem_dates_in_order",
                violation_error_message=DATES_OUT_OF_ORDER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.audience}: {self.channel}"

    @property
    def organisation(self) -> Any:
        return self.plan.cycle.organisation

    def clean(self) -> None:
        if self.ends_on is not None and self.starts_on is not None and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": DATES_OUT_OF_ORDER})


class DigestPreference(models.Model):
    """A user's opt-in for the weekly e-mail digest of process-watch signals. The mail
    only says how many signals of which kind are open and links to the signal page; it
    never carries health details."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="igm_digest", verbose_name=_("user")
    )
    weekly = models.BooleanField(_("weekly e-mail with open signals"), default=False)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.weekly}"

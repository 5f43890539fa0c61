"""Meter sessions: one filling-in of an instrument for an organisation or one of its units,
by a group together or by individuals who each rate on their own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .framework import Instrument, Item


class MeterMode(models.TextChoices):
    GROUP = "group", _("Group (one consensus rating per item)")
    INDIVIDUAL = "individual", _("Individual (every participant rates)")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CLOSED = "closed", _("Closed")


class SessionPurpose(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    EVALUATION = "evaluation", _("Evaluation (re-measurement)")
    OTHER = "other", _("Other")


class Answer(models.TextChoices):
    """What a rater chose: a level of the scale, or one of the two explicit escapes."""

    LEVEL = "level", _("A level of the scale")
    NOT_APPLICABLE = "na", _("Not applicable")
    DONT_KNOW = "dk", _("Don't know")


class MeterSessionQuerySet(models.QuerySet["MeterSession"]):
    def visible_to(self, user: Any, action: str = "view") -> MeterSessionQuerySet:
        from vitaal.igm.access import scope_meter_sessions

        return scope_meter_sessions(self, user, action)


class MeterSession(models.Model):
    """One measurement with the IGM-meter (a meting): at the start of a cycle (baseline),
    at its end (evaluation) or in between, for the whole organisation (no unit) or for one
    unit. In group mode the group agrees on one rating per item; in individual mode every
    participant rates alone and only aggregates are shown to others."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="meter_sessions",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meter_sessions",
        verbose_name=_("unit"),
        help_text=_("Leave empty for the whole organisation."),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("instrument")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=MeterMode.choices)
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=SessionPurpose.choices, default=SessionPurpose.BASELINE
    )
    # A free number until the cycle model exists; it will become a foreign key.
    cycle_number = models.PositiveSmallIntegerField(_("cycle number"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = MeterSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter session")
        verbose_name_plural = _("meter sessions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "date"], name="igm_session_org_status")]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else self.organisation.name
        return f"{self.instrument.name} – {where} – {self.date}"

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.unit is not None
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            errors["unit"] = _("The unit belongs to another organisation.")
        if self.instrument_id and not self.instrument.published:
            errors["instrument"] = _("Only a published instrument can be used for a measurement.")
        if errors:
            raise ValidationError(errors)


class SessionParticipant(models.Model):
    """Someone taking part in a meter session: in individual mode the people who rate, in
    group mode the people present at the discussion."""

    session = models.ForeignKey(
        MeterSession, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meter session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meter_participations",
        verbose_name=_("user"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="igm_participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session_id}"


class RatingBase(models.Model):
    """Shared fields of a rating: the item and the answer (a level, or N/A, or don't know)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices, default=Answer.LEVEL)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(answer="level", level__isnull=False)
                    | models.Q(~models.Q(answer="level"), level__isnull=True)
                ),
                name="%(app_label)s_%(class)s_level_iff_answer",
            ),
        ]

    def clean_rating(self, session: MeterSession, mode: str) -> None:
        errors: dict[str, Any] = {}
        if session.is_closed:
            raise ValidationError(_("This meter session is closed; its ratings can no longer be changed."))
        if session.mode != mode:
            raise ValidationError(
                _("This meter session is filled in as a group; individual ratings are not accepted.")
                if mode == MeterMode.INDIVIDUAL
                else _("This meter session is filled in individually; a group rating is not accepted.")
            )
        if self.item_id and self.item.instrument_id != session.instrument_id:
            errors["item"] = _("The item belongs to another instrument than this meter session uses.")
        if self.answer == Answer.LEVEL:
            low, high = session.instrument.scale.bounds()
            if self.level is None:
                errors["level"] = _("Choose a level, or 'not applicable' or 'don't know'.")
            elif self.level not in session.instrument.scale.level_values():
                errors["level"] = _("The level must lie between %(low)s and %(high)s.") % {
                    "low": low,
                    "high": high,
                }
        elif self.level is not None:
            errors["level"] = _("A level cannot be given together with 'not applicable' or 'don't know'.")
        if errors:
            raise ValidationError(errors)


class GroupRating(RatingBase):
    """The rating a group agreed on for one item in a group-mode session, with a note of
    the discussion (what was said, which evidence was used)."""

    session = models.ForeignKey(
        MeterSession, on_delete=models.CASCADE, related_name="group_ratings", verbose_name=_("meter session")
    )
    note = models.TextField(_("discussion note"), blank=True)

    class Meta(RatingBase.Meta):
        verbose_name = _("group rating")
        verbose_name_plural = _("group ratings")
        constraints = [
            *RatingBase.Meta.constraints,
            models.UniqueConstraint(fields=["session", "item"], name="igm_group_rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.item_id}: {self.level or self.answer}"

    def clean(self) -> None:
        if self.session_id:
            self.clean_rating(self.session, MeterMode.GROUP)


class IndividualRating(RatingBase):
    """One participant's own rating of one item in an individual-mode session. Only the
    rater ever reads it back; everyone else sees aggregates (see ``selectors``)."""

    session = models.ForeignKey(
        MeterSession,
        on_delete=models.CASCADE,
        related_name="individual_ratings",
        verbose_name=_("meter session"),
    )
    participant = models.ForeignKey(
        SessionParticipant, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("participant")
    )

    class Meta(RatingBase.Meta):
        verbose_name = _("individual rating")
        verbose_name_plural = _("individual ratings")
        constraints = [
            *RatingBase.Meta.constraints,
            models.UniqueConstraint(fields=["participant", "item"], name="igm_individual_rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.item_id}/{self.participant_id}"

    def clean(self) -> None:
        if self.session_id:
            if self.participant_id and self.participant.session_id != self.session_id:
                raise ValidationError(
                    {"participant": _("This person does not take part in this meter session.")}
                )
            self.clean_rating(self.session, MeterMode.INDIVIDUAL)

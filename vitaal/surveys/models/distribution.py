"""Waves, invitations, responses and answers: how a questionnaire reaches respondents.

Anonymity is structural (docs/surveys.md, "Anonymity"):

- an invitation keeps only the SHA-256 hash of its link token and one boolean
  (``started``: the link is spent), no timestamp;
- a response has no foreign key, token or hash that leads to an invitation, so nothing
  stored connects an answer to the person who was invited;
- responses and answers get a random primary key (``random_pk``), so their ids do not
  follow the order in which they were written and cannot be matched to the order in
  which invitations were spent;
- a response is found again only through its own resume key (also stored as a hash), which
  the respondent holds as a code, never in an address.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vitaal.core.models import Organisation, Sector

from .questionnaire import Question, Questionnaire, Statement


def new_token() -> str:
    """A random link token: 192 bits, URL-safe, without the '.' we use as a separator."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def random_pk() -> int:
    """A random positive 62-bit primary key. A sequence would number responses and answers
    in the order they were written, which could be lined up with the order in which
    invitations were spent; a random key carries no order. 2**62 values make a collision
    practically impossible (and the primary key constraint would refuse one)."""
    return secrets.randbelow(2**62 - 1) + 1


class WaveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey wave status", "Open")
    CLOSED = "closed", _("Closed")


class Wave(models.Model):
    """One round of a questionnaire, for one organisation or (organisation empty) for the
    whole sector."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="waves")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="survey_waves")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_waves"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=WaveStatus.choices, default=WaveStatus.DRAFT
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    open_link_hash = models.CharField(max_length=64, blank=True, default="")
    # Population shares per background question and answer code, for representativeness
    # and raking weights: {"gender": {"woman": 52.0, "man": 47.0, "x": 1.0}, ...}.
    population = models.JSONField(_("population figures"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["open_link_hash"], condition=~Q(open_link_hash=""), name="surveys_wave_open_link"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sector_wave(self) -> bool:
        return self.organisation_id is None

    @property
    def has_open_link(self) -> bool:
        return bool(self.open_link_hash)


class Invitation(models.Model):
    """One personal invitation: where to send it and reminders, the hash of its one-time
    code, and whether the code was used (``started``). It is never linked to a response: the
    code is spent in a transaction of its own, and nothing is written on the invitation when
    answers are saved or sent (so there is no "finished" flag and no time of use)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True)
    started = models.BooleanField(_("started"), default=False)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        ordering = ["wave", "pk"]
        constraints = [models.UniqueConstraint(fields=["wave", "email"], name="surveys_invitation_email")]

    def __str__(self) -> str:
        return self.email


class ResponseStatus(models.TextChoices):
    PARTIAL = "partial", _("Partial")
    COMPLETE = "complete", _("Complete")


class ResponseSource(models.TextChoices):
    LINK = "link", _("Personal link")
    OPEN_LINK = "open_link", _("Open link")
    INTERVIEW = "interview", _("Interview")
    IMPORT = "import", _("Imported file")


class SurveyResponse(models.Model):
    """One respondent's answers in one wave. Dates are kept by the day only, and the key is
    random, so neither the moment nor the order in which a response was written can be
    matched to an invitation."""

    id = models.BigIntegerField(primary_key=True, default=random_pk, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    resume_key_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.PARTIAL
    )
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    current_page = models.PositiveSmallIntegerField(default=1)
    started_on = models.DateField(_("started on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["wave", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.PARTIAL, submitted_on__isnull=True)
                | Q(status=ResponseStatus.COMPLETE, submitted_on__isnull=False),
                name="surveys_response_submitted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class Answer(models.Model):
    """One answer: a code (single choice, agreement, matrix row), a list of codes
    (multiple choice), a number (grade, number) or text (open, and "other, namely").
    The key is random for the same reason as the response's."""

    id = models.BigIntegerField(primary_key=True, default=random_pk, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    choice = models.CharField(max_length=40, blank=True)
    choices = models.JSONField(default=list, blank=True)
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__position", "statement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(statement__isnull=True),
                name="surveys_answer_one",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "statement"],
                condition=Q(statement__isnull=False),
                name="surveys_answer_one_per_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}={self.choice or self.choices or self.number or self.text}"


class UsedRight(models.Model):
    """A spent right to start one response (docs/surveys.md, "Anonymity"). Opening a
    personal or open link gives the browser a signed right with a random nonce; the nonce
    is stored here, hashed, in the same transaction that creates the response, so a copied
    right cannot start a second response. The nonce was never stored with the invitation,
    so this row links to nothing but the wave. Rows are removed when the wave closes."""

    # The hash is the key: a sequential id would number rights in the order they were used.
    nonce_hash = models.CharField(max_length=64, primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.nonce_hash[:8]

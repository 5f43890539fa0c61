"""Open-answer coding: a codebook per open question of a wave, researchers' codings of
the answers (one or more codes each; at most two coders per answer), and the agreed set
when two coders differed.

A codebook belongs to one wave and one question, not to the question alone: questionnaires
are shared by the waves of many organisations, and one organisation's codes must not change
another's analysis. Codes are never deleted once used: a code is *retired* (no longer
offered to coders) and keeps its assignments, so earlier figures can still be explained.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vitaal.care.models.bilingual import BilingualMixin

from .distribution import Answer, Wave
from .questionnaire import Question


class Codebook(models.Model):
    """The codes of one open question in one wave."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="codebooks")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="codebooks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wave", "question__position"]
        constraints = [models.UniqueConstraint(fields=["wave", "question"], name="surveys_codebook_one")]

    def __str__(self) -> str:
        return f"{self.wave} / {self.question.code}"


class Code(BilingualMixin, models.Model):
    """One code of a codebook. ``value`` is the variable's category in exports and
    analysis and cannot change once the code exists; labels and descriptions can."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codes")
    value = models.SlugField(_("code"), max_length=40)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    description_nl = models.CharField(_("description (Dutch)"), max_length=500, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["codebook", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["codebook", "value"], name="surveys_code_value")]

    def __str__(self) -> str:
        return self.value

    @property
    def localized_label(self) -> str:
        return self.localized("label")

    @property
    def localized_description(self) -> str:
        return self.localized("description")


class Coding(models.Model):
    """One coder's codes for one answer. An answer has at most two codings (double
    coding); the service refuses a third coder."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_codings"
    )
    codes = models.ManyToManyField(Code, related_name="codings")
    coded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["answer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "coder"], name="surveys_coding_one_per_coder")
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} by {self.coder_id}"


class AgreedCoding(models.Model):
    """The codes two coders settled on for an answer they coded differently."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="agreed")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="agreed_coding")
    codes = models.ManyToManyField(Code, related_name="agreed_codings")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_agreed_codings"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["answer"]

    def __str__(self) -> str:
        return f"{self.answer_id} agreed"

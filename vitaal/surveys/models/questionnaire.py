"""Questionnaires: versioned, bilingual lists of questions for one audience.

A questionnaire is data (DESIGN §3 rule 6): it is loaded from a file, identified by a code
and a version, and never edited once a wave uses it; a change is a new version. Skip logic
is stored on the question that is skipped: it shows only when an earlier question's answer
is one of the listed values.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vitaal.care.models.bilingual import BilingualMixin


class Audience(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    HR = "hr", _("HR")
    WORKS_COUNCIL = "works_council", _("Works council")
    CUSTOM = "custom", _("Custom")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    AGREEMENT = "agreement", _("Agreement scale")
    GRADE = "grade", _("Grade 1 to 10")
    NUMBER = "number", _("Number")
    OPEN = "open", _("Open text")
    MATRIX = "matrix", _("Matrix of statements")


class Background(models.TextChoices):
    """The background questions breakdowns and weighting use. They are always optional."""

    GENDER = "gender", _("Gender")
    FUNCTION_GROUP = "function_group", _("Function group")
    AGE_BAND = "age_band", _("Age band")
    ORGANISATION = "organisation", _("Organisation")


# The one agreement scale every agreement and matrix question uses, so results compare
# across questions and questionnaires. Codes are the scale points; labels are translated.
AGREEMENT_SCALE: list[tuple[str, object]] = [
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
]
GRADE_MIN, GRADE_MAX = 1, 10
OTHER = "other"


class Questionnaire(BilingualMixin, models.Model):
    """One version of a questionnaire for one audience (employee survey, HR interview
    guide, works-council interview guide, or a custom list)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_interview = models.BooleanField(
        _("interview guide"), default=False, help_text=_("Answers are entered by the researcher.")
    )
    # SHA-256 of the loaded file's canonical form: loading the same version again with
    # other content is refused, so a version always means one fixed list of questions.
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="surveys_questionnaire_version")
        ]

    def __str__(self) -> str:
        return f"{self.localized('title')} (v{self.version})"

    @property
    def localized_title(self) -> str:
        return self.localized("title")

    @property
    def localized_intro(self) -> str:
        return self.localized("intro")


class Question(BilingualMixin, models.Model):
    """One question, on one page of the questionnaire. ``code`` is the variable name in
    exports and analysis."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    page = models.PositiveSmallIntegerField(_("page"), default=1)
    code = models.SlugField(_("variable name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    chapter_nl = models.CharField(_("chapter (Dutch)"), max_length=200, blank=True)
    chapter_en = models.CharField(_("chapter (English)"), max_length=200, blank=True)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"))
    help_nl = models.CharField(_("help (Dutch)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    background = models.CharField(
        _("background variable"), max_length=20, choices=Background.choices, blank=True
    )
    allow_other = models.BooleanField(_('"Other, namely" option'), default=False)
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("show only if question"),
    )
    show_if_values = models.JSONField(_("has one of the answers"), default=list, blank=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="surveys_question_code"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="surveys_question_position"),
            # Background questions may always be skipped (the respondent decides what to tell).
            models.CheckConstraint(
                condition=Q(background="") | Q(required=False), name="surveys_background_optional"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def localized_text(self) -> str:
        return self.localized("text")

    @property
    def localized_help(self) -> str:
        return self.localized("help")


class Option(BilingualMixin, models.Model):
    """One answer option of a single or multiple choice question; ``value`` is the code
    stored in answers and exports."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    value = models.CharField(_("value"), max_length=40)
    label_nl = models.CharField(_("label (Dutch)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)

    class Meta:
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="surveys_option_value")]

    def __str__(self) -> str:
        return self.value


class Statement(BilingualMixin, models.Model):
    """One row of a matrix question, answered on the agreement scale."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("variable name"), max_length=40)
    text_nl = models.CharField(_("statement (Dutch)"), max_length=300)
    text_en = models.CharField(_("statement (English)"), max_length=300)

    class Meta:
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="surveys_statement_code")]

    def __str__(self) -> str:
        return self.code

    @property
    def localized_text(self) -> str:
        return self.localized("text")

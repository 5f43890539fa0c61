"""Frameworks, their development lines, and the IGM-meter instruments that score them.

All of this is versioned reference data, loaded from JSON files (``vitaal load-framework``).
Once a version is published it is frozen: organisations compare measurements over years,
and a silently edited item would make a baseline and its evaluation incomparable. A change
is published as a new version (a new row with the same code and a higher version).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Messages for edits of frozen (published) versions
FRAMEWORK_FROZEN = _("This framework version is published and cannot be changed; publish a new version.")
LINES_FROZEN = _("The lines of a published framework version cannot be edited; publish a new version.")
INSTRUMENT_FROZEN = _("This instrument version is published and cannot be changed; publish a new version.")
ITEMS_FROZEN = _("The items of a published instrument cannot be edited; publish a new version.")


def localized(obj: Any, field: str) -> str:
    """The English or Dutch variant of a bilingual field, following the active language."""
    suffix = "en" if (get_language() or "nl").startswith("en") else "nl"
    return str(getattr(obj, f"{field}_{suffix}") or getattr(obj, f"{field}_nl"))


def _changed_fields(obj: models.Model, fields: tuple[str, ...]) -> list[str]:
    """The content fields whose value differs from the stored row (empty for a new row)."""
    if obj.pk is None:
        return []
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*fields).first()
    if stored is None:
        return []
    return [f for f in fields if stored[f] != getattr(obj, f)]


def _refuse_published_edit(obj: models.Model, fields: tuple[str, ...]) -> None:
    """Refuse adding or changing a part (scale, level) of a published framework version."""
    if obj.pk is None:
        raise ValidationError(
            _("This framework version is published: nothing can be added to it; publish a new version.")
        )
    changed = _changed_fields(obj, fields)
    if changed:
        raise ValidationError(dict.fromkeys(changed, FRAMEWORK_FROZEN))


class Framework(models.Model):
    """A set of development lines an organisation develops along, in one version.

    The default is the seven-line IGM framework of TNO; a sector may load its own pillars
    the same way. ``code`` names the framework across versions, ``version`` counts up.
    """

    CONTENT_FIELDS = ("code", "version", "name_nl", "name_en", "description_nl", "description_en")

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_default = models.BooleanField(_("default framework"), default=False)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="igm_framework_unique_version"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="igm_framework_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{localized(self, 'name')} (v{self.version})"

    @property
    def name(self) -> str:
        return localized(self, "name")

    def stored_published(self) -> bool:
        if self.pk is None:
            return False
        return bool(Framework.objects.filter(pk=self.pk, published=True).exists())

    def clean(self) -> None:
        if self.stored_published():
            if not self.published:
                raise ValidationError(
                    {
                        "published": _(
                            "A published framework version cannot be withdrawn; publish a new version."
                        )
                    }
                )
            changed = _changed_fields(self, self.CONTENT_FIELDS)
            if changed:
                raise ValidationError(dict.fromkeys(changed, FRAMEWORK_FROZEN))


class DevelopmentLine(models.Model):
    """One development line (ontwikkelingslijn) of a framework, e.g. "a healthy physical
    work environment". The scope text says what the line covers and what it leaves to
    other lines; the pilots showed that open questions without it lead to discussions that
    get lost in a single example."""

    CONTENT_FIELDS = (
        "order",
        "code",
        "name_nl",
        "name_en",
        "scope_nl",
        "scope_en",
        "examples_nl",
        "examples_en",
    )

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="lines", verbose_name=_("framework")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=50)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    scope_nl = models.TextField(_("scope (Dutch)"))
    scope_en = models.TextField(_("scope (English)"))
    examples_nl = models.JSONField(_("examples (Dutch)"), default=list, blank=True)
    examples_en = models.JSONField(_("examples (English)"), default=list, blank=True)

    class Meta:
        verbose_name = _("development line")
        verbose_name_plural = _("development lines")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="igm_line_unique_code"),
        ]

    def __str__(self) -> str:
        return localized(self, "name")

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("examples_nl", "examples_en"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                errors[field] = _("Examples must be a list of non-empty texts.")
        if errors:
            raise ValidationError(errors)
        if self.framework_id and self.framework.stored_published():
            if self.pk is None:
                raise ValidationError(
                    _("This framework version is published: lines cannot be added; publish a new version.")
                )
            changed = _changed_fields(self, self.CONTENT_FIELDS)
            if changed:
                raise ValidationError(dict.fromkeys(changed, LINES_FROZEN))


class RatingScale(models.Model):
    """The answer scale of an instrument: numbered levels with a description each, plus
    the two explicit escapes "not applicable" and "don't know", which count as no answer
    in every score."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="scales", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=50)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    not_applicable_nl = models.CharField(
        _("'not applicable' label (Dutch)"), max_length=100, default="Niet van toepassing"
    )
    not_applicable_en = models.CharField(
        _("'not applicable' label (English)"), max_length=100, default="Not applicable"
    )
    dont_know_nl = models.CharField(_("'don't know' label (Dutch)"), max_length=100, default="Weet ik niet")
    dont_know_en = models.CharField(_("'don't know' label (English)"), max_length=100, default="Don't know")

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="igm_scale_unique_code"),
        ]

    def __str__(self) -> str:
        return localized(self, "name")

    CONTENT_FIELDS = (
        "code",
        "name_nl",
        "name_en",
        "not_applicable_nl",
        "not_applicable_en",
        "dont_know_nl",
        "dont_know_en",
    )

    def clean(self) -> None:
        if self.framework_id and self.framework.stored_published():
            _refuse_published_edit(self, self.CONTENT_FIELDS)

    def level_values(self) -> list[int]:
        return sorted(self.levels.values_list("value", flat=True))

    def bounds(self) -> tuple[int, int]:
        values = self.level_values()
        if not values:
            raise ValueError(f"Rating scale {self.code!r} has no levels.")
        return values[0], values[-1]


class ScaleLevel(models.Model):
    """One level of a rating scale, e.g. 3 = "structural: part of the regular policy
    cycle", with a description so that raters read the same thing into a number."""

    scale = models.ForeignKey(
        RatingScale, on_delete=models.CASCADE, related_name="levels", verbose_name=_("rating scale")
    )
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="igm_level_unique_value"),
        ]

    CONTENT_FIELDS = ("value", "label_nl", "label_en", "description_nl", "description_en")

    def __str__(self) -> str:
        return f"{self.value} {localized(self, 'label')}"

    def clean(self) -> None:
        if self.scale_id and self.scale.framework.stored_published():
            _refuse_published_edit(self, self.CONTENT_FIELDS)


class InstrumentVariant(models.TextChoices):
    LONG = "long", _("Long version")
    SHORT = "short", _("Short version (SME)")


class Instrument(models.Model):
    """A version of the IGM-meter (or another framework's meter): a questionnaire whose
    items each belong to one development line and are answered on one rating scale.

    The long variant gives a fuller picture; the short "MKB" (SME) variant was developed
    for small firms and served most pilots as a discussion starter."""

    CONTENT_FIELDS = (
        "code",
        "version",
        "variant",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "scale_id",
    )

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("framework")
    )
    scale = models.ForeignKey(
        RatingScale, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("rating scale")
    )
    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    variant = models.CharField(_("variant"), max_length=10, choices=InstrumentVariant.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["framework", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code", "version"], name="igm_instrument_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{localized(self, 'name')} (v{self.version})"

    @property
    def name(self) -> str:
        return localized(self, "name")

    def stored_published(self) -> bool:
        if self.pk is None:
            return False
        return bool(Instrument.objects.filter(pk=self.pk, published=True).exists())

    def clean(self) -> None:
        if self.framework_id and self.scale_id and self.scale.framework_id != self.framework_id:
            raise ValidationError({"scale": _("The rating scale belongs to another framework.")})
        if self.published and self.framework_id and not self.framework.published:
            raise ValidationError(
                {"published": _("An instrument can only be published once its framework is published.")}
            )
        if self.stored_published():
            if not self.published:
                raise ValidationError(
                    {"published": _("A published instrument cannot be withdrawn; publish a new version.")}
                )
            changed = _changed_fields(self, self.CONTENT_FIELDS)
            if changed:
                raise ValidationError({f.removesuffix("_id"): INSTRUMENT_FROZEN for f in changed})


class Item(models.Model):
    """One statement of an instrument, rated on the instrument's scale, belonging to one
    development line. ``weight`` (1-3) says how strongly the evidence links the practice
    to health and how large its impact is, in the way the CDC Worksite Health ScoreCard
    weights its items; line scores are weighted means."""

    CONTENT_FIELDS = ("line_id", "code", "order", "text_nl", "text_en", "weight")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="items", verbose_name=_("instrument")
    )
    line = models.ForeignKey(
        DevelopmentLine, on_delete=models.PROTECT, related_name="items", verbose_name=_("development line")
    )
    code = models.SlugField(_("code"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="igm_item_unique_code"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=3), name="igm_item_weight_1_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {localized(self, 'text')}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    def clean(self) -> None:
        if self.instrument_id and self.line_id and self.line.framework_id != self.instrument.framework_id:
            raise ValidationError(
                {"line": _("The development line belongs to another framework than the instrument.")}
            )
        if self.instrument_id and self.instrument.stored_published():
            if self.pk is None:
                raise ValidationError(
                    _("This instrument version is published: items cannot be added; publish a new version.")
                )
            changed = _changed_fields(self, self.CONTENT_FIELDS)
            if changed:
                raise ValidationError({f.removesuffix("_id"): ITEMS_FROZEN for f in changed})

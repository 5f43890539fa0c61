"""Sector, organisations and their unit tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    """Kinds of aggregated data, each with its own minimum cell size."""

    CARE = "care", _("Care usage and health")
    SURVEY = "survey", _("Survey opinions")
    FREE_TEXT = "free_text", _("Free-text comments")


class Sector(models.Model):
    """A branch of industry that runs one collective care arrangement (e.g. hbo)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    contribution_per_employee = models.DecimalField(
        _("contribution per employee per year (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("55.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_cell_care = models.PositiveSmallIntegerField(
        _("minimum group size for care usage and health data"),
        default=10,
        validators=[MinValueValidator(2)],
    )
    min_cell_survey = models.PositiveSmallIntegerField(
        _("minimum group size for survey opinions"), default=5, validators=[MinValueValidator(2)]
    )
    min_cell_free_text = models.PositiveSmallIntegerField(
        _("minimum group size for free-text comments"),
        default=10,
        validators=[MinValueValidator(2)],
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    def thresholds(self) -> dict[str, int]:
        return {
            DataClass.CARE: self.min_cell_care,
            DataClass.SURVEY: self.min_cell_survey,
            DataClass.FREE_TEXT: self.min_cell_free_text,
        }


class ReportingPeriod(models.Model):
    """A period that reports are made for; its disclosure thresholds freeze once reported,
    so a later change of the sector setting cannot make an old report reveal more."""

    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("label"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    frozen_thresholds = models.JSONField(_("frozen thresholds"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["sector", "label"], name="period_unique_label"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
        ]
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date lies before the start date.")})


class FunctionGroup(models.Model):
    """A function group within a sector, e.g. OP (teaching) and OBP (support) in hbo."""

    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="function_groups")
    code = models.CharField(_("code"), max_length=20)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("function group")
        verbose_name_plural = _("function groups")
        constraints = [models.UniqueConstraint(fields=["sector", "code"], name="function_group_unique_code")]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class SizeClass(models.TextChoices):
    """Size classes as the sector reports them (up to 250, 250-1,000, over 1,000 staff)."""

    SMALL = "small", _("up to 250 staff")
    MEDIUM = "medium", _("250 to 1,000 staff")
    LARGE = "large", _("more than 1,000 staff")

    @classmethod
    def for_headcount(cls, headcount: int) -> SizeClass:
        if headcount < 250:
            return cls.SMALL
        if headcount <= 1000:
            return cls.MEDIUM
        return cls.LARGE


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        from vitaal.core.access import scope_organisations

        return scope_organisations(self, user)


class Organisation(models.Model):
    """An employer in the sector, e.g. one university of applied sciences."""

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    FACULTY = "faculty", _("Faculty")
    SERVICE = "service", _("Service")
    DEPARTMENT = "department", _("Department")
    REGION = "region", _("Region")
    TEAM = "team", _("Team")


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: Any) -> UnitQuerySet:
        from vitaal.core.access import scope_units

        return scope_units(self, user)

    def subtree(self, unit: Unit) -> UnitQuerySet:
        return self.filter(organisation_id=unit.organisation_id, path__startswith=unit.path)


class Unit(models.Model):
    """A node in an organisation's tree: faculty or service, department, region, team.

    ``path`` is a materialised path of zero-padded ids ("000012/000031/") so that a whole
    subtree is one indexed prefix query.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    manager = models.ForeignKey(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
        verbose_name=_("manager"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="unit_unique_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The path needs the primary key, so a new unit is written twice.
        super().save(*args, **kwargs)
        prefix = self.parent.path if self.parent_id and self.parent else ""
        path = f"{prefix}{self.pk:06d}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 1
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("The parent unit belongs to another organisation.")})
        if self.pk and self.parent and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A unit cannot be placed below itself.")})

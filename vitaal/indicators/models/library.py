"""The indicator library: definitions shared by a sector (or by every sector when
``sector`` is empty), mapped to an IGM development line, a Balanced Scorecard perspective
and an INK/EFQM area."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vitaal.core.models.organisation import DataClass


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class Perspective(models.TextChoices):
    """The four perspectives of the Balanced Scorecard."""

    FINANCIAL = "financial", _("financial")
    CUSTOMER = "customer", _("customer")
    INTERNAL = "internal", _("internal processes")
    LEARNING = "learning", _("learning and growth")


class EfqmArea(models.TextChoices):
    """The nine areas of the INK management model (the Dutch EFQM variant)."""

    LEADERSHIP = "leadership", _("leadership")
    STRATEGY = "strategy", _("strategy and policy")
    PEOPLE = "people", _("management of employees")
    RESOURCES = "resources", _("management of resources")
    PROCESSES = "processes", _("management of processes")
    CUSTOMER_RESULTS = "customer-results", _("customer results")
    PEOPLE_RESULTS = "people-results", _("employee results")
    SOCIETY_RESULTS = "society-results", _("society results")
    KEY_RESULTS = "key-results", _("key results")


class Source(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("indicator source", "entered by hand")
    IMPORT = "import", pgettext_lazy("indicator source", "imported")
    COMPUTED = "computed", pgettext_lazy("indicator source", "computed from the other pillars")


class Computation(models.TextChoices):
    """Indicators the platform computes itself from the other pillars."""

    NONE = "", _("not computed")
    CARE_UPTAKE = "care-uptake", _("uptake of the care package (percentage of employees)")
    WHO5_MEAN = "who5-mean", _("WHO-5 mean score")
    SURVEY_MEAN = "survey-mean", _("employee-survey mean grade")


class Indicator(models.Model):
    sector = models.ForeignKey(
        "core.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("sector"),
        help_text=_("Empty: part of the library every sector can use."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("formula or description (Dutch)"))
    description_en = models.TextField(_("formula or description (English)"))
    unit = models.CharField(_("unit"), max_length=30, help_text=_("For example %, days, count, EUR."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices)
    computation = models.CharField(
        _("computed as"), max_length=20, choices=Computation.choices, blank=True, default=""
    )
    line_code = models.SlugField(
        _("development line"), max_length=50, help_text=_("Code of the IGM development line it belongs to.")
    )
    perspective = models.CharField(
        _("Balanced Scorecard perspective"), max_length=12, choices=Perspective.choices
    )
    efqm_area = models.CharField(_("INK/EFQM area"), max_length=20, choices=EfqmArea.choices)
    data_class = models.CharField(
        _("derived from personal data of kind"),
        max_length=20,
        choices=DataClass.choices,
        blank=True,
        default="",
        help_text=_(
            "Empty when the values do not rest on data about individual employees; otherwise the "
            "kind of data, whose disclosure threshold applies at every level."
        ),
    )
    min_value = models.DecimalField(
        _("lowest possible value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest possible value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["line_code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "code"], name="indicator_unique_code_per_sector"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(sector__isnull=True), name="indicator_unique_library_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def personal_data(self) -> bool:
        return bool(self.data_class)

    @property
    def name(self) -> str:
        return self.name_nl if (get_language() or "nl").startswith("nl") else self.name_en

    @property
    def description(self) -> str:
        return self.description_nl if (get_language() or "nl").startswith("nl") else self.description_en

    def clean(self) -> None:
        if self.min_value is not None and self.max_value is not None and self.min_value >= self.max_value:
            raise ValidationError({"max_value": _("The highest value must be above the lowest value.")})
        if self.source == Source.COMPUTED and not self.computation:
            raise ValidationError({"computation": _("Say how a computed indicator is computed.")})

    def check_value(self, value: Decimal) -> None:
        """Refuse a value outside the indicator's possible range."""
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("%(value)s is below the lowest possible value of %(name)s (%(min)s).")
                % {"value": value, "name": self.name, "min": self.min_value.normalize()}
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                _("%(value)s is above the highest possible value of %(name)s (%(max)s).")
                % {"value": value, "name": self.name, "max": self.max_value.normalize()}
            )


class TrackedElsewhere(models.Model):
    """An organisation already monitors this indicator in another system; the report warns
    against monitoring the same thing twice, so the platform shows it as tracked elsewhere."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="tracked_elsewhere", verbose_name=_("indicator")
    )
    system = models.CharField(
        _("tracked in"), max_length=200, help_text=_("For example the HR system or the BI dashboard.")
    )

    class Meta:
        verbose_name = _("indicator tracked elsewhere")
        verbose_name_plural = _("indicators tracked elsewhere")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "indicator"], name="indicator_tracked_once"),
        ]

    def __str__(self) -> str:
        return self.system

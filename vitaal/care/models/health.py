"""The employee's own health check: WHO-5 answers, work ability and the derived scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vitaal.care.health import HealthCheckResult

WHO5_RANGE = [MinValueValidator(0), MaxValueValidator(5)]


class HealthCheckQuerySet(models.QuerySet["HealthCheck"]):
    def visible_to(self, user: Any) -> HealthCheckQuerySet:
        from vitaal.care.access import scope_health_checks

        return scope_health_checks(self, user)


def _item(label: Any) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(label, validators=WHO5_RANGE)


class HealthCheck(models.Model):
    """One health check an employee filled in for themself: the five WHO-5 answers and
    the work ability score, with the scores derived from them. It belongs to the employee:
    nobody on the employer's side, and not the care coordinator, sees it."""

    person = models.ForeignKey(
        "core.Person", on_delete=models.CASCADE, related_name="health_checks", verbose_name=_("person")
    )
    taken_on = models.DateField(_("date"), default=timezone.localdate)
    who5_1 = _item(_("WHO-5 item 1"))
    who5_2 = _item(_("WHO-5 item 2"))
    who5_3 = _item(_("WHO-5 item 3"))
    who5_4 = _item(_("WHO-5 item 4"))
    who5_5 = _item(_("WHO-5 item 5"))
    work_ability = models.PositiveSmallIntegerField(
        _("work ability (0-10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    # Derived by the service from the answers (vitaal.care.health); stored so that
    # history and the employee's own trend need no recomputation.
    who5_raw = models.PositiveSmallIntegerField(_("WHO-5 raw score (0-25)"), editable=False, default=0)
    who5_percentage = models.PositiveSmallIntegerField(_("WHO-5 score (0-100)"), editable=False, default=0)
    wellbeing_band = models.CharField(_("well-being"), max_length=20, editable=False, blank=True)
    work_ability_band = models.CharField(_("work ability band"), max_length=20, editable=False, blank=True)
    poor_wellbeing = models.BooleanField(_("poor well-being"), editable=False, default=False)
    depression_screen = models.BooleanField(_("depression screen positive"), editable=False, default=False)
    low_item = models.BooleanField(_("an item answered 0 or 1"), editable=False, default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HealthCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["-taken_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(who5_1__lte=5, who5_2__lte=5, who5_3__lte=5, who5_4__lte=5, who5_5__lte=5),
                name="health_check_who5_range",
                violation_error_message=_("Each WHO-5 answer is a number from 0 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(work_ability__lte=10),
                name="health_check_work_ability_range",
                violation_error_message=_("The work ability score is a number from 0 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.taken_on}"

    @property
    def who5_answers(self) -> list[int]:
        return [self.who5_1, self.who5_2, self.who5_3, self.who5_4, self.who5_5]

    def result(self) -> HealthCheckResult:
        """Scores, bands, advice and suggested themes, recomputed from the answers."""
        from vitaal.care.health import health_check_evaluate

        return health_check_evaluate(who5_answers=self.who5_answers, work_ability=self.work_ability)

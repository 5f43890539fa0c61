"""Financing of the care arrangement: the financing model of a package, applications for
the company-bound budget, and the ledger of commitments and actual costs.

Writes go through ``vitaal.care.finance``. Ledger entries are evidence: append-only, like
the history of a request.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.models.append_only import AppendOnlyModel

from .catalog import NOT_NEGATIVE

SHARE_RANGE = _("The co-payment share lies between 0 and 1 (0.5 means the employer pays half).")
NEGATIVE_AMOUNT = _("An amount cannot be negative.")
LEDGER_IS_FINAL = _("The ledger cannot be changed; add a new entry instead.")


class FinancingModel(models.Model):
    """How a package is paid for: a contribution per employee per year (empty: the
    sector's), the employer's co-payment share of each use, and a company-bound budget
    per employee per year that organisations spend on their own initiatives."""

    package = models.OneToOneField(
        "care.Package",
        on_delete=models.CASCADE,
        related_name="financing",
        verbose_name=_("package"),
    )
    contribution_per_employee = models.DecimalField(
        _("contribution per employee per year (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_AMOUNT)],
        help_text=_("Leave empty to use the sector's contribution."),
    )
    co_payment_share = models.DecimalField(
        _("employer co-payment share per use"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
        validators=[
            MinValueValidator(Decimal("0"), message=SHARE_RANGE),
            MaxValueValidator(Decimal("1"), message=SHARE_RANGE),
        ],
        help_text=_("Between 0 and 1: 0.5 means the employer pays half of each use."),
    )
    company_budget_per_employee = models.DecimalField(
        _("company-bound budget per employee per year (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_AMOUNT)],
    )

    class Meta:
        verbose_name = _("financing model")
        verbose_name_plural = _("financing models")
        constraints = [
            models.CheckConstraint(
                condition=Q(co_payment_share__gte=0, co_payment_share__lte=1),
                name="financing_co_payment_share_range",
                violation_error_message=SHARE_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(contribution_per_employee__isnull=True) | Q(contribution_per_employee__gte=0),
                name="financing_contribution_not_negative",
                violation_error_message=NEGATIVE_AMOUNT,
            ),
            models.CheckConstraint(
                condition=Q(company_budget_per_employee__gte=0),
                name="financing_company_budget_not_negative",
                violation_error_message=NEGATIVE_AMOUNT,
            ),
        ]

    def __str__(self) -> str:
        return str(self.package)

    @property
    def contribution(self) -> Decimal:
        """The contribution per employee per year: this model's, else the sector's."""
        if self.contribution_per_employee is not None:
            return self.contribution_per_employee
        return Decimal(self.package.sector.contribution_per_employee)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetApplication(models.Model):
    """An organisation's application to spend part of its company-bound budget on its own
    initiative. The sector admin decides."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="budget_applications",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    purpose = models.TextField(_("purpose"), max_length=4000)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The amount must be more than zero."))],
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("budget application")
        verbose_name_plural = _("budget applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_application_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="budget_application_period_order",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="submitted") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="budget_application_decided_with_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: EUR {self.amount}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class LedgerKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    ACTUAL = "actual", _("Actual cost")
    RELEASE = "release", _("Release of a commitment")


class LedgerEntry(AppendOnlyModel):
    """One amount booked for an organisation and year: a commitment (money promised to a
    care request or an approved budget application), an actual cost, or the release of
    part of a commitment once the actual cost is known. Amounts are positive; the kind
    says which way they count. Append-only."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(NOT_NEGATIVE, message=NEGATIVE_AMOUNT)],
    )
    care_request = models.ForeignKey(
        "care.CareRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("care request"),
    )
    session = models.ForeignKey(
        "care.DeliverySession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("delivery session"),
    )
    budget_application = models.ForeignKey(
        BudgetApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("budget application"),
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    change_refused = LEDGER_IS_FINAL
    removal_refused = LEDGER_IS_FINAL
    append_only_error = ValidationError

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "year", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(care_request__isnull=True) | Q(budget_application__isnull=True),
                name="ledger_one_source",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(care_request__isnull=False),
                name="ledger_session_with_request",
            ),
            # One commitment per request or application; one actual cost and one release
            # per session, so booking twice is impossible.
            models.UniqueConstraint(
                fields=["care_request"],
                condition=Q(kind="commitment", care_request__isnull=False),
                name="ledger_one_commitment_per_request",
            ),
            models.UniqueConstraint(
                fields=["budget_application"],
                condition=Q(kind="commitment", budget_application__isnull=False),
                name="ledger_one_commitment_per_application",
            ),
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=Q(session__isnull=False),
                name="ledger_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} EUR {self.amount}"

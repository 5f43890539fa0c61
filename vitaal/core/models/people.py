"""Users, employee records and role memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.roles import MEMBERSHIP_ROLES, ROLE_SCOPES, Role, Scope

from .organisation import FunctionGroup, Organisation, Sector, Unit


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A login. Who the user *is* in an organisation lives in Person and Membership."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        blank=True,
        choices=[("nl", "Nederlands"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class UserSession(models.Model):
    """Which sessions belong to which user, so that deactivating ends them all at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other")
    UNKNOWN = "u", _("Unknown")


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Any, action: str = "view") -> PersonQuerySet:
        from vitaal.core.access import scope_people

        return scope_people(self, user, action)

    def employed_on(self, day: Any) -> PersonQuerySet:
        return self.filter(
            models.Q(employment_start__lte=day) | models.Q(employment_start__isnull=True),
            models.Q(employment_end__gte=day) | models.Q(employment_end__isnull=True),
        )

    def current(self) -> PersonQuerySet:
        return self.employed_on(timezone.localdate())


class Person(models.Model):
    """An employee record as the HR system knows it; keyed by employee number per
    organisation. Leavers keep their record with an end date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    employee_number = models.CharField(_("employee number"), max_length=40)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("work e-mail"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unit"),
    )
    function_group = models.ForeignKey(
        FunctionGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("function group"),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    weekly_hours = models.DecimalField(
        _("weekly hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    employment_start = models.DateField(_("start of employment"), null=True, blank=True)
    employment_end = models.DateField(_("end of employment"), null=True, blank=True)
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="person_unique_employee_number"
            )
        ]
        indexes = [models.Index(fields=["organisation", "unit"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.employment_end is None or self.employment_end >= today

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.employment_start and self.employment_end and self.employment_end < self.employment_start:
            errors["employment_end"] = _("The end of employment lies before its start.")
        if self.unit_id and self.unit and self.unit.organisation_id != self.organisation_id:
            errors["unit"] = _("This unit belongs to another organisation.")
        if (
            self.function_group_id
            and self.function_group
            and self.function_group.sector_id != self.organisation.sector_id
        ):
            errors["function_group"] = _("This function group belongs to another sector.")
        if errors:
            raise ValidationError(errors)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        today = timezone.localdate()
        return self.filter(
            models.Q(valid_from__lte=today) | models.Q(valid_from__isnull=True),
            models.Q(valid_until__gte=today) | models.Q(valid_until__isnull=True),
        )


class Membership(models.Model):
    """A role a user holds, at the scope of a sector, an organisation or one unit (and the
    units below it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=[(r.value, r.label) for r in MEMBERSHIP_ROLES])
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        # One constraint per scope level: NULLs never compare equal in a unique index.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "sector"],
                condition=models.Q(organisation__isnull=True, unit__isnull=True),
                name="membership_unique_sector",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(organisation__isnull=False, unit__isnull=True),
                name="membership_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="membership_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        target = self.unit or self.organisation or self.sector
        return f"{self.get_role_display()} – {target}"

    @property
    def scope(self) -> str:
        if self.unit_id:
            return Scope.UNIT
        if self.organisation_id:
            return Scope.ORGANISATION
        return Scope.SECTOR

    def clean(self) -> None:
        if self.unit_id and self.unit:
            self.organisation_id = self.unit.organisation_id
        if self.organisation_id and self.organisation:
            self.sector_id = self.organisation.sector_id
        allowed = ROLE_SCOPES.get(Role(self.role), frozenset()) if self.role else frozenset()
        if self.role and self.scope not in allowed:
            raise ValidationError(
                {
                    "role": _("This role cannot be held at this level (%(scope)s).")
                    % {"scope": Scope(self.scope).label}
                }
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date lies before the start date.")})

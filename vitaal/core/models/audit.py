"""The access log: who read or changed whose personal data, when, and on what basis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.roles import Role

from .append_only import AppendOnlyModel, AppendOnlyQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .people import User


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")


class DataClass(models.TextChoices):
    """What kind of personal data an entry is about; decides who may read the entry.

    Only ``personnel`` entries reach an employer-side log reader. Anything else -- care,
    health, erasure, reads of the log itself, and every kind of data nobody classified --
    stays with the subject and the sector's privacy officer (DESIGN rule 5)."""

    PERSONNEL = "personnel", _("personnel data")
    HEALTH = "health", _("care or health data")
    LOG = "log", _("the access log itself")


# The whitelist of object types whose entries the employer may read: the personnel record
# and login account it keeps itself, and reads of reports that name nobody. A new kind of
# data is care/health until someone decides otherwise here.
PERSONNEL_OBJECT_TYPES = frozenset(
    {"person", "account", "care_usage_report", "igm_meter_session", "igm_plan", "igm_signal"}
)
LOG_OBJECT_TYPE = "access_log"
# Who read it can be health data too: the company doctor (or the care desk, a provider)
# opening someone's personnel record tells the employer that person has a medical matter.
CARE_BASES = frozenset({Role.COMPANY_DOCTOR, Role.CARE_COORDINATOR, Role.PROVIDER})


def data_class_for(object_type: str, basis: str = "") -> str:
    """The data class of an entry about ``object_type`` reached through ``basis``."""
    if object_type == LOG_OBJECT_TYPE:
        return DataClass.LOG
    if object_type in PERSONNEL_OBJECT_TYPES and basis not in CARE_BASES:
        return DataClass.PERSONNEL
    return DataClass.HEALTH


# Entries store stable English codes (they are evidence and must not change with the
# reader's language); these labels translate them for display.
OBJECT_TYPE_LABELS = {
    "person": _("employee record"),
    "account": _("login account"),
    "care_request": _("request for support"),
    "referral": _("referral"),
    "delivery_session": _("support session"),
    "access_log": _("access log"),
}
DESCRIPTION_LABELS = {
    "person record": _("record opened"),
    "people list": _("shown in a list of people"),
    "people export": _("exported to a spreadsheet"),
    "API person record": _("read by a linked system"),
    "API people list": _("read by a linked system (list)"),
    "account deactivated": _("login blocked"),
    "people import: created": _("added by an HR import"),
    "people import: changed": _("changed by an HR import"),
    "people import: marked as leaver": _("marked as leaver by an HR import"),
    "care request submitted": _("request submitted"),
    "care request awaiting approval": _("waiting for approval"),
    "care request approved": _("approved"),
    "care request assigned to a provider": _("assigned to a care provider"),
    "care request accepted by the provider": _("accepted by the care provider"),
    "care request declined by the provider": _("declined by the care provider"),
    "care request completed": _("completed"),
    "care request rejected": _("rejected"),
    "care request withdrawn": _("withdrawn"),
    "care request list": _("shown in a list of requests"),
    "care request opened": _("request opened"),
    "referral created": _("referral made"),
    "referral answered": _("referral answered"),
    "referral list": _("shown in a list of referrals"),
    "referred request status": _("status looked up by the referring company doctor"),
    "delivery session registered": _("session registered by the care provider"),
    "access log read": _("access log read"),
    "referrals made list": _("shown in the list of referrals made"),
}


# Organisation roles that read their organisation's log (personnel entries only), and the
# sector role that reads all of it.
ACCESS_LOG_ORG_ROLES = frozenset({Role.ORG_ADMIN})
ACCESS_LOG_SECTOR_ROLES = frozenset({Role.PRIVACY_OFFICER})


class AccessLogQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user: User | AnonymousUser | None) -> AccessLogQuerySet:
        """The entries this user may read -- the one place that decides it (DESIGN rule 5).

        - the subject: every entry about themself;
        - the privacy officer: every entry of the organisations of their sector, and the
          entries that belong to no organisation (sector-level reads);
        - an organisation's log reader (org admin): only ``personnel`` entries of that
          organisation, never care, health or log entries;
        - nobody else anything (the sector admin and advisor included).
        """
        from vitaal.core.access import get_actor

        actor = get_actor(user)
        if not actor.is_authenticated:
            return self.none()
        q = Q(pk__in=[])
        if actor.person is not None:
            q |= Q(subject_id=actor.person.pk)
        sectors = actor.sectors_for(ACCESS_LOG_SECTOR_ROLES)
        if sectors:
            q |= Q(organisation__sector_id__in=sectors) | Q(organisation__isnull=True)
        orgs = actor.orgs_for(ACCESS_LOG_ORG_ROLES)
        if orgs:
            q |= Q(organisation_id__in=orgs, data_class=DataClass.PERSONNEL)
        return self.filter(q)


class AccessLogEntry(AppendOnlyModel):
    """One access to personal data (NEN 7513 style). Append-only: the model refuses
    updates and deletes, and on PostgreSQL a trigger refuses them too."""

    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    subject = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("whose data"),
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=10, choices=AccessAction.choices)
    object_type = models.CharField(_("kind of data"), max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    basis = models.CharField(_("basis of access"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, default="web")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data_class = models.CharField(
        _("kind of personal data"), max_length=10, choices=DataClass.choices, blank=True
    )

    # The base declares the append-only manager; this one adds visible_to to it.
    objects = AccessLogQuerySet.as_manager()  # type: ignore[misc]

    change_refused = "Access-log entries cannot be changed."
    removal_refused = "Access-log entries cannot be deleted."

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["subject", "-timestamp"]),
            models.Index(fields=["organisation", "-timestamp"]),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Classified when written, so that who may read it never depends on a later mapping.
        if not self.data_class:
            self.data_class = data_class_for(self.object_type, self.basis)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    @property
    def object_label(self) -> str:
        return str(OBJECT_TYPE_LABELS.get(self.object_type, self.object_type))

    @property
    def basis_label(self) -> str:
        from vitaal.core.roles import Role

        if self.basis in Role.values:
            return str(Role(self.basis).label)
        return {"self": str(_("own data")), "system": str(_("system"))}.get(self.basis, self.basis)

    @property
    def description_label(self) -> str:
        return str(DESCRIPTION_LABELS.get(self.description, self.description))

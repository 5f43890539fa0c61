"""The access log: who read or changed whose personal data, when, and on what basis."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")


# Entries store stable English codes (they are evidence and must not change with the
# reader's language); these labels translate them for display.
OBJECT_TYPE_LABELS = {
    "person": _("employee record"),
    "account": _("login account"),
    "care_request": _("request for support"),
    "referral": _("referral"),
    "delivery_session": _("support session"),
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
}


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

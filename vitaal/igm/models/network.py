"""The learning network and its toolbox.

Organisations of a sector learn from each other in a network (the pilots' "learning network
meetings"): the sector admin keeps its membership; member organisations share good
practices, and the lessons of their verified phase registrations that they marked
shareable. The toolbox holds practices taken from the TNO pilot report itself, loaded from
``vitaal/igm/data/toolbox.json``; it is reference content, not tied to a network.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cycle import PhaseNumber
from .framework import DevelopmentLine, localized


class LearningNetworkQuerySet(models.QuerySet["LearningNetwork"]):
    def visible_to(self, user: Any) -> LearningNetworkQuerySet:
        from vitaal.igm.web.network.access import scope_networks

        return scope_networks(self, user)


class LearningNetwork(models.Model):
    """A group of organisations of one sector that share practices and lessons."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.CASCADE, related_name="learning_networks", verbose_name=_("sector")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        "core.Organisation",
        through="NetworkMembership",
        related_name="learning_networks",
        verbose_name=_("member organisations"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LearningNetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning network")
        verbose_name_plural = _("learning networks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="igm_network_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        LearningNetwork, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("organisation"),
    )
    joined_on = models.DateField(_("member since"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["network", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="igm_network_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.network}"

    def clean(self) -> None:
        if self.network_id and self.organisation_id and self.organisation.sector_id != self.network.sector_id:
            raise ValidationError(
                {"organisation": _("Only organisations of the network's own sector can join it.")}
            )


class PracticeKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity or campaign")
    APPROACH = "approach", _("Way of working")
    TEMPLATE = "template", _("Template or example text")
    INSTRUMENT = "instrument", _("Instrument or indicator set")


class PracticeSource(models.TextChoices):
    TOOLBOX = "toolbox", _("Toolbox")
    NETWORK = "network", _("Shared in a network")


def phases_to_text(phases: list[int] | tuple[int, ...] | set[int]) -> str:
    """Phase numbers as stored: ``",1,3,"`` so that ``phases__contains=",3,"`` filters."""
    numbers = sorted({int(p) for p in phases})
    return "," + ",".join(str(n) for n in numbers) + "," if numbers else ""


class Practice(models.Model):
    """A good practice: an example others can reuse, tagged by development line and phase.

    Toolbox entries (``source=toolbox``) come from the report and carry a ``code``; network
    practices are written by a coordinator or advisor of a member organisation and are seen
    by the members of that network until it is withdrawn (the row is kept, hidden from
    everyone). A practice describes a way of working, never people."""

    source = models.CharField(_("source"), max_length=10, choices=PracticeSource.choices)
    code = models.SlugField(_("code"), max_length=60, blank=True)
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("network"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PracticeKind.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_nl = models.TextField(_("description (Dutch)"), blank=True)
    body_en = models.TextField(_("description (English)"), blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    lines = models.ManyToManyField(
        DevelopmentLine, blank=True, related_name="practices", verbose_name=_("development lines")
    )
    phases = models.CharField(_("phases"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["source", "title_nl", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(source="toolbox"),
                name="igm_practice_unique_toolbox_code",
            ),
            models.CheckConstraint(
                condition=Q(source="toolbox", network__isnull=True)
                | Q(source="network", network__isnull=False, organisation__isnull=False),
                name="igm_practice_source_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or self.title_en

    @property
    def summary(self) -> str:
        return localized(self, "summary") or self.summary_en

    @property
    def body(self) -> str:
        return localized(self, "body") or self.body_en

    @property
    def phase_numbers(self) -> list[int]:
        return [int(p) for p in self.phases.strip(",").split(",") if p]

    @property
    def phase_labels(self) -> list[str]:
        return [str(PhaseNumber(n).label) for n in self.phase_numbers]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_toolbox(self) -> bool:
        return self.source == PracticeSource.TOOLBOX

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not (self.title_nl.strip() or self.title_en.strip()):
            errors["title_nl"] = _("Give the practice a title.")
        if not (self.summary_nl.strip() or self.summary_en.strip()):
            errors["summary_nl"] = _("Describe the practice in a few sentences.")
        bad = [p for p in self.phase_numbers if p not in PhaseNumber.values]
        if bad:
            errors["phases"] = _("Phases run from 0 to 5.")
        network_id, organisation_id = self.network_id, self.organisation_id
        if (
            self.source == PracticeSource.NETWORK
            and network_id is not None
            and organisation_id is not None
            and not NetworkMembership.objects.filter(
                network_id=network_id, organisation_id=organisation_id
            ).exists()
        ):
            errors["network"] = _("Your organisation is not a member of this network.")
        if errors:
            raise ValidationError(errors)

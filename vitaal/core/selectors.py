"""Reads of the core app. Every function takes the asking user and scopes through the
access layer; none of them filters by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.access import get_actor
from vitaal.core.models import AccessLogEntry, Membership, Organisation, Person, Unit
from vitaal.core.roles import MFA_ROLES, Role


def organisations_for_nav(user: Any) -> QuerySet[Organisation]:
    """Organisations the user holds an organisation- or unit-level role in."""
    actor = get_actor(user)
    return Organisation.objects.filter(pk__in=actor.all_org_ids).order_by("name")


@dataclass
class Figure:
    label: str
    value: int | str
    url: str | None = None


@dataclass
class Task:
    label: str
    count: int
    url: str | None = None


@dataclass
class StartSection:
    title: str
    figures: list[Figure] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


def _people_section(user: Any, org: Organisation, title: str) -> StartSection:
    from django.urls import reverse

    people = Person.objects.visible_to(user).filter(organisation=org)
    today = timezone.localdate()
    stats = people.aggregate(
        current=Count("pk", filter=Q(employment_end__isnull=True) | Q(employment_end__gte=today)),
        leavers=Count("pk", filter=Q(employment_end__lt=today, employment_end__year=today.year)),
        no_unit=Count(
            "pk",
            filter=Q(unit__isnull=True) & (Q(employment_end__isnull=True) | Q(employment_end__gte=today)),
        ),
    )
    url = reverse("core:person_list", args=[org.slug])
    section = StartSection(
        title=title,
        figures=[
            Figure(_("People in your scope"), stats["current"], url),
            Figure(_("Left this year"), stats["leavers"]),
        ],
    )
    if stats["no_unit"]:
        section.tasks.append(Task(_("People without a unit"), stats["no_unit"], url + "?unit=none"))
    return section


def start_page(user: Any) -> list[StartSection]:
    """The sections of the start page, one per role the user holds, with true numbers."""
    from django.urls import reverse

    from vitaal.core.models.imports import ImportJob

    actor = get_actor(user)
    sections: list[StartSection] = []
    today = timezone.localdate()
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=actor.all_org_ids)}

    for org_id in sorted(actor.orgs_for([Role.HR, Role.ORG_ADMIN, Role.COMPANY_DOCTOR])):
        org = orgs[org_id]
        section = _people_section(user, org, org.name)
        if user.has_perm("core.import_people", org):
            pending = ImportJob.objects.filter(organisation=org, status=ImportJob.Status.VALIDATED).count()
            if pending:
                section.tasks.append(
                    Task(
                        _("Imports waiting for confirmation"),
                        pending,
                        reverse("core:person_import", args=[org.slug]),
                    )
                )
            no_manager = Unit.objects.filter(organisation=org, manager__isnull=True, kind="team").count()
            if no_manager:
                section.tasks.append(
                    Task(
                        _("Teams without a manager"),
                        no_manager,
                        reverse("core:organisation_detail", args=[org.slug]),
                    )
                )
        if actor.has_role_in_org(org, [Role.ORG_ADMIN]):
            without_mfa = (
                Membership.objects.active()
                .filter(organisation=org, role__in=MFA_ROLES)
                .exclude(user__authenticator__type="totp")
                .values("user")
                .distinct()
                .count()
            )
            if without_mfa:
                section.tasks.append(Task(_("Staff accounts without two-step login"), without_mfa))
        sections.append(section)

    manager_orgs = {o for o, _p in actor.units_for([Role.MANAGER])}
    for org_id in sorted(manager_orgs - actor.orgs_for([Role.HR, Role.ORG_ADMIN, Role.COMPANY_DOCTOR])):
        sections.append(
            _people_section(user, orgs[org_id], _("My team – %(org)s") % {"org": orgs[org_id].name})
        )

    reader_orgs = actor.orgs_for([Role.WORKS_COUNCIL, Role.MANAGEMENT, Role.COORDINATOR, Role.ADVISOR])
    reader_orgs -= actor.orgs_for([Role.HR, Role.ORG_ADMIN, Role.COMPANY_DOCTOR])
    if reader_orgs:
        counts = (
            Person.objects.current()
            .filter(organisation_id__in=reader_orgs)
            .values("organisation_id")
            .annotate(n=Count("pk"))
        )
        by_org = {row["organisation_id"]: row["n"] for row in counts}
        units = (
            Unit.objects.filter(organisation_id__in=reader_orgs)
            .values("organisation_id")
            .annotate(n=Count("pk"))
        )
        units_by_org = {row["organisation_id"]: row["n"] for row in units}
        for org_id in sorted(reader_orgs):
            org = orgs[org_id]
            sections.append(
                StartSection(
                    title=org.name,
                    figures=[
                        Figure(
                            _("Employees"),
                            by_org.get(org_id, 0),
                            reverse("core:organisation_detail", args=[org.slug]),
                        ),
                        Figure(_("Units"), units_by_org.get(org_id, 0)),
                    ],
                )
            )

    sector_ids = actor.sectors_for([Role.SECTOR_ADMIN, Role.CARE_COORDINATOR, Role.PROVIDER])
    if sector_ids:
        org_count = Organisation.objects.filter(sector_id__in=sector_ids, is_active=True).count()
        people = Person.objects.current().filter(organisation__sector_id__in=sector_ids).count()
        section = StartSection(
            title=_("Sector"),
            figures=[Figure(_("Organisations"), org_count), Figure(_("Employees covered"), people)],
        )
        if actor.has_role(Role.SECTOR_ADMIN):
            from vitaal.core.models import ReportingPeriod

            unfrozen = ReportingPeriod.objects.filter(
                sector_id__in=sector_ids, end__lt=today, frozen_at__isnull=True
            ).count()
            if unfrozen:
                section.tasks.append(Task(_("Ended reporting periods not yet frozen"), unfrozen))
        sections.append(section)

    from vitaal.core.hooks import start_sections

    sections.extend(start_sections(user))

    if actor.person is not None:
        since = timezone.now() - timedelta(days=30)
        looked = AccessLogEntry.objects.filter(subject=actor.person, timestamp__gte=since).count()
        sections.append(
            StartSection(
                title=_("Your own data"),
                figures=[
                    Figure(
                        _("Times others opened your data in the last 30 days"),
                        looked,
                        reverse("core:me_access_log"),
                    )
                ],
            )
        )
    return sections

"""The ten key pages and who asks for them, picked from the data deterministically.

Each pick takes the subject with the most data the page shows (the employee with the
most requests, the biggest organisation, the wave with the most responses), ties broken
by primary key, so two runs on the same database measure the same pages. Roles come from
the demo accounts (``vitaal.core.demo.demo_email``); the employee pages need a person with
a login, which in the demo are the demo employees.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import escape

from bench.timing import BenchError, Target

FLOOR = "floor"
PAGE_KEYS = (
    "portal_start",
    "health_check_result",
    "request_detail",
    "referral_form",
    "coordinator_queue",
    "provider_assignments",
    "org_scorecard",
    "unit_scorecard",
    "usage_report",
    "survey_report",
)


def floor_target() -> Target:
    """The floor; it is asked for with the session of the page measured next to it."""
    return Target(FLOOR, "floor (1 query, small template)", "/bench/floor/", "", "organisations</p>")


def _one(queryset, what: str):  # type: ignore[no-untyped-def]
    found = queryset.first()
    if found is None:
        raise BenchError(f"the benchmark database has no {what}; build it with `vitaal demo`")
    return found


def biggest_organisation():  # type: ignore[no-untyped-def]
    from vitaal.core.models import Organisation

    return _one(
        Organisation.objects.filter(is_active=True)
        .annotate(n=Count("people", filter=Q(people__employment_end__isnull=True)))
        .order_by("-n", "pk"),
        "organisation",
    )


def _email(role: str, org_slug: str | None = None) -> str:
    from vitaal.core.demo import demo_email
    from vitaal.core.models import User

    email = demo_email(role, org_slug)
    if not User.objects.filter(email=email, is_active=True).exists():
        raise BenchError(f"no demo account {email}; the database was not built by `vitaal demo`")
    return email


def employee_targets() -> list[Target]:
    """The portal start, a health check result and a request detail of an employee with a
    login: the one with the most care requests (for the check: the most checks)."""
    from vitaal.care.models import CareRequest, HealthCheck
    from vitaal.core.models import Person

    with_login = Person.objects.filter(user__isnull=False, user__is_active=True)
    person = _one(with_login.annotate(n=Count("care_requests")).order_by("-n", "pk"), "employee with a login")
    care_request = _one(
        CareRequest.objects.filter(person=person).annotate(n=Count("events")).order_by("-n", "-pk"),
        f"care request of {person.user.email}",
    )
    checker = _one(
        with_login.annotate(n=Count("health_checks")).filter(n__gt=0).order_by("-n", "pk"),
        "employee with a login and a health check",
    )
    check = _one(HealthCheck.objects.filter(person=checker).order_by("-pk"), "health check")
    return [
        Target(
            "portal_start",
            "employee portal start",
            reverse("care:portal"),
            person.user.email,
            'id="find-h"',
            f"{person.user.email}, {CareRequest.objects.filter(person=person).count()} requests",
        ),
        Target(
            "health_check_result",
            "health check result",
            reverse("care:portal_health_check_detail", args=[check.pk]),
            checker.user.email,
            'id="suggestions-h"',
            f"{checker.user.email}, check #{check.pk}",
        ),
        Target(
            "request_detail",
            "request detail (employee)",
            reverse("care:portal_request_detail", args=[care_request.pk]),
            person.user.email,
            'class="timeline"',
            f"request #{care_request.pk} with {care_request.n} events",
        ),
    ]


def work_targets(organisation) -> list[Target]:  # type: ignore[no-untyped-def]
    """The HR advisor's referral form (biggest organisation), the care coordinator's queue
    and the assignments of the provider account with the most requests."""
    from vitaal.care.models import CareRequest
    from vitaal.core.roles import Role

    provider_email = _email(Role.PROVIDER)
    assigned = CareRequest.objects.filter(provider__isnull=False).count()
    return [
        Target(
            "referral_form",
            "HR referral form",
            # A broad search (most names contain an "e"): the form offers at most 20 people.
            reverse("care:referral_create", args=[organisation.slug]) + "?q=e",
            _email(Role.HR, organisation.slug),
            'id="person-results"',
            f"HR advisor of {organisation.slug}",
        ),
        Target(
            "coordinator_queue",
            "care coordinator queue",
            reverse("care:queue"),
            _email(Role.CARE_COORDINATOR),
            "<h1>Care queue</h1>",
            "the sector's care coordinator",
        ),
        Target(
            "provider_assignments",
            "provider assignments",
            reverse("care:assignment_list"),
            provider_email,
            "<h1>Assignments</h1>",
            f"demo provider account ({assigned} assigned requests in the sector)",
        ),
    ]


def management_targets(organisation) -> list[Target]:  # type: ignore[no-untyped-def]
    """The organisation scorecard (what management opens first), the scorecard of the unit
    with the most measurements, and the last complete quarter's usage report."""
    from vitaal.care.usage_counts import current_quarter
    from vitaal.core.models import Unit
    from vitaal.core.roles import Role

    management = _email(Role.MANAGEMENT, organisation.slug)
    from vitaal.indicators.models import Measurement

    most = (
        Measurement.objects.filter(organisation=organisation, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    units = Unit.objects.filter(organisation=organisation)
    if most is not None:
        unit, measured = units.get(pk=most["unit_id"]), most["n"]
    else:  # no unit has measurements: the biggest unit
        unit = _one(units.annotate(n=Count("people")).order_by("-n", "pk"), f"unit of {organisation.slug}")
        measured = 0
    quarter = current_quarter().previous()
    return [
        Target(
            "org_scorecard",
            "organisation scorecard (management)",
            reverse("indicators:scorecard", args=[organisation.slug]),
            management,
            reverse("indicators:pc_export", args=[organisation.slug]),
            f"management of {organisation.slug}",
        ),
        Target(
            "unit_scorecard",
            "unit scorecard",
            reverse("indicators:unit_scorecard", args=[organisation.slug, unit.pk]),
            management,
            escape(unit.name),
            f"{unit.name} ({measured} measurements)",
        ),
        Target(
            "usage_report",
            "quarterly usage report",
            reverse("care:usage_report", args=[organisation.slug]) + f"?quarter={quarter.label}",
            _email(Role.HR, organisation.slug),
            reverse("care:usage_report_xlsx", args=[organisation.slug]),
            f"{organisation.slug}, {quarter.label}, HR advisor",
        ),
    ]


def survey_target() -> Target:
    """The report of the wave with the most responses, read by who may: the sector admin
    for a sector-wide wave, the organisation's HR advisor otherwise."""
    from vitaal.core.roles import Role
    from vitaal.surveys.models import Wave

    wave = _one(Wave.objects.annotate(n=Count("responses")).order_by("-n", "pk"), "survey wave")
    if wave.organisation_id is None:
        email = _email(Role.SECTOR_ADMIN)
    else:
        email = _email(Role.HR, wave.organisation.slug)
    return Target(
        "survey_report",
        "survey report",
        reverse("surveys:wave_report", args=[wave.pk]),
        email,
        reverse("surveys:wave_report_xlsx", args=[wave.pk]),
        f"wave #{wave.pk} with {wave.n} responses",
    )


def key_pages() -> list[Target]:
    organisation = biggest_organisation()
    pages = [
        *employee_targets(),
        *work_targets(organisation),
        *management_targets(organisation),
        survey_target(),
    ]
    assert tuple(p.key for p in pages) == PAGE_KEYS
    return pages

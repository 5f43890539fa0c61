"""The care demo builder: a believable, repeatable year of use on a small demo."""

from __future__ import annotations

import pytest
from django.db.models import Count

from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    HealthCheck,
    LedgerEntry,
    Package,
    Provider,
    Referral,
    RequestStatus,
)
from vitaal.core.demo import build_demo, demo_email
from vitaal.core.models import Organisation, Person
from vitaal.core.roles import Role

pytestmark = pytest.mark.django_db


def test_care_demo(db):
    """One small demo, checked as a whole (each build takes seconds)."""
    demo = build_demo(people=600, organisations=3)
    _a_year_of_care_use(demo)
    _sessions_respect_ceilings_and_maximum_sessions()
    _packages_and_own_network()
    _demo_employee_has_own_story()


def _a_year_of_care_use(demo):
    assert any(line.startswith("care requests:") for line in demo.extra)
    staff = Person.objects.filter(employment_end__isnull=True).count()
    users = CareRequest.objects.values("person").distinct().count()
    assert 0.02 * staff <= users <= 0.09 * staff
    by_theme = dict(CareRequest.objects.values_list("intervention__theme").annotate(n=Count("pk")))
    assert by_theme.get("mental", 0) > by_theme.get("physical", 0) > 0
    statuses = set(CareRequest.objects.values_list("status", flat=True))
    assert RequestStatus.COMPLETED in statuses
    # and some still under way (how many depends on how recent the last requests are)
    assert statuses & {RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.APPROVED}
    assert DeliverySession.objects.exists() and Evaluation.objects.exists()
    assert Referral.objects.filter(answer="accepted").exists()
    assert LedgerEntry.objects.filter(kind="actual").count() == DeliverySession.objects.count()


def _sessions_respect_ceilings_and_maximum_sessions():
    for request in CareRequest.objects.select_related("intervention").prefetch_related("sessions"):
        intervention = request.intervention
        sessions = list(request.sessions.all())
        if intervention.max_sessions:
            assert len(sessions) <= intervention.max_sessions
        if intervention.ceiling is not None:
            assert sum(s.cost for s in sessions) <= intervention.ceiling


def _packages_and_own_network():
    assert Package.objects.filter(status="published").exists()
    assert Package.objects.filter(status="draft").exists()
    assert Provider.objects.filter(added_by_organisation__isnull=False).count() >= 2
    assert Provider.objects.values("regions").distinct().count() >= 5


def _demo_employee_has_own_story():
    for org in Organisation.objects.all():
        person = Person.objects.get(user__email=demo_email(Role.EMPLOYEE, org.slug))
        completed = CareRequest.objects.get(person=person, status=RequestStatus.COMPLETED)
        assert Evaluation.objects.filter(request=completed).exists()
        assert Referral.objects.filter(person=person, answer="open").count() == 1
        assert HealthCheck.objects.filter(person=person).count() == 3


class _Undo(Exception):
    """Rolls the first build back (a flush cannot run inside a test transaction on
    PostgreSQL)."""


def test_demo_is_repeatable(db):
    from django.db import transaction

    try:
        with transaction.atomic():
            first = build_demo(people=200, organisations=3).extra
            raise _Undo
    except _Undo:
        pass
    second = build_demo(people=200, organisations=3).extra
    care = [line for line in first if line.startswith("care")]
    assert care and care == [line for line in second if line.startswith("care")]

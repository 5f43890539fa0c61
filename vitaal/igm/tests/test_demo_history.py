"""A small history build (``vitaal demo --years 2``) for the IGM, indicators and surveys
pillars: the volumes are in the expected ranges, the pages that the benchmarks measure
open on it, and a second build from the same seed gives identical data."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from vitaal.core.demo import build_demo, demo_email, reset_database_content
from vitaal.core.models import Organisation, Person, Unit
from vitaal.core.roles import Role
from vitaal.core.testing import login
from vitaal.igm.models import (
    Action,
    Cycle,
    CycleStatus,
    GroupRating,
    MeterSession,
    PhaseRegistration,
    Plan,
    PlanStatus,
    SessionPurpose,
)
from vitaal.indicators.models import (
    ContractIndicator,
    ContractStatus,
    ManagementContract,
    Measurement,
    Norm,
)
from vitaal.surveys.models import Answer, ResponseStatus, SurveyResponse, Wave

pytestmark = pytest.mark.django_db

# What the fingerprint covers; secrets and moments of writing are left out (they differ
# between builds on purpose: resume keys, unusable passwords, created_at ...).
FINGERPRINTED: list[type[models.Model]] = [
    Cycle,
    MeterSession,
    GroupRating,
    Plan,
    Action,
    PhaseRegistration,
    Measurement,
    Norm,
    ManagementContract,
    ContractIndicator,
]
LEFT_OUT = {"resume_key_hash"}


def _fingerprint() -> dict[str, str]:
    out = {}
    for model in FINGERPRINTED:
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.DateTimeField) and f.name not in LEFT_OUT
        ]
        digest = hashlib.sha256()
        for row in model._default_manager.order_by("pk").values_list(*names):
            digest.update(repr(row).encode())
        out[model.__name__] = digest.hexdigest()
    out["SurveyResponse"] = _responses_fingerprint()
    return out


def _responses_fingerprint() -> str:
    """Survey responses with their answers. Their keys are random on purpose (drawn anew
    each build, docs/surveys.md "Anonymity"), so each response is described by its own
    fields and its answers' fields without keys, and the responses are hashed in the order
    of those descriptions: two builds match when every response and answer does."""
    response_names = [
        f.attname for f in SurveyResponse._meta.concrete_fields if f.name not in {"id", *LEFT_OUT}
    ]
    answer_names = [f.attname for f in Answer._meta.concrete_fields if f.name not in {"id", "response"}]
    answers: dict[int, list[str]] = {}
    for response_id, *values in Answer.objects.order_by().values_list("response_id", *answer_names):
        answers.setdefault(response_id, []).append(repr(values))
    described = sorted(
        repr((values, sorted(answers.pop(pk, []))))
        for pk, *values in SurveyResponse.objects.order_by().values_list("pk", *response_names)
    )
    assert not answers  # every answer belongs to a response
    digest = hashlib.sha256()
    for description in described:
        digest.update(description.encode())
    return f"{len(described)}:{digest.hexdigest()}"


def _build() -> Any:
    # Start from an empty database with its id sequences restarted, as `vitaal demo
    # --reset` does: the fingerprint holds primary and foreign keys, and PostgreSQL does
    # not roll sequences back, so earlier tests in the same run would otherwise shift them.
    reset_database_content()
    return build_demo(people=400, organisations=2, years=2)


def test_history_build_sizes_pages_and_determinism() -> None:
    report = _build()
    orgs = list(Organisation.objects.order_by("pk"))
    assert len(orgs) == 2
    assert any(line.startswith("igm history: 2 organisations") for line in report.extra)

    # IGM: the first organisation completed a cycle and is in its second; the other is mid-cycle.
    first, second = orgs
    closed = Cycle.objects.get(organisation=first, status=CycleStatus.CLOSED)
    active = Cycle.objects.get(organisation=first, status=CycleStatus.ACTIVE)
    assert active.number == 2 and active.previous == closed
    assert closed.closed_on is not None and closed.closed_on < active.started_on
    assert Cycle.objects.filter(organisation=second, status=CycleStatus.ACTIVE).count() == 1
    old = MeterSession.objects.filter(organisation=first, cycle_number=1)
    assert old.filter(purpose=SessionPurpose.BASELINE).count() == old.filter(purpose="evaluation").count() > 2
    assert GroupRating.objects.count() == 40 * MeterSession.objects.count()
    assert set(Plan.objects.filter(cycle=closed).values_list("status", flat=True)) == {PlanStatus.SIGNED_OFF}
    assert not Action.objects.filter(goal__improvement_point__plan_line__plan__cycle=closed).exclude(
        status="done"
    )
    assert PhaseRegistration.objects.filter(phase__cycle=closed, status="verified").count() == 6

    # Indicators: 24 months for every organisation, corrections that keep the old value,
    # yearly norms, signed contracts for a share of the teams.
    for org in orgs:
        months = Measurement.objects.current().filter(
            organisation=org, unit=None, indicator__code="absence-pct"
        )
        assert months.count() == 24
        corrected = Measurement.objects.filter(organisation=org, is_current=False)
        assert corrected.exists() and all(m.replaced_by.correction_reason for m in corrected)
        assert Norm.objects.filter(organisation=org, unit=None).count() >= 2
    signed = ManagementContract.objects.filter(status=ContractStatus.SIGNED)
    assert signed.count() >= 4 and signed.exclude(unit__manager__user=models.F("head")).count() == 0

    # Surveys: about one response per member of staff, one in six partial.
    wave = Wave.objects.get(questionnaire__code="employee-survey")
    responses = SurveyResponse.objects.filter(wave=wave)
    staff = Person.objects.current().count()
    assert responses.count() == staff
    assert 0.1 < responses.filter(status=ResponseStatus.PARTIAL).count() / staff < 0.25
    assert Answer.objects.filter(response__wave=wave).count() > 10 * staff

    # The pages the benchmarks measure open on this data.
    coordinator = login(Client(HTTP_ACCEPT_LANGUAGE="en"), _user(Role.COORDINATOR, first))
    unit = Unit.objects.filter(organisation=first, kind="team").order_by("pk").first()
    assert unit is not None
    for url in (
        reverse("igm:overview", args=[first.slug]),
        reverse("indicators:scorecard", args=[first.slug]),
        reverse("indicators:unit_scorecard", args=[first.slug, unit.pk]),
    ):
        assert coordinator.get(url).status_code == 200, url
    admin = login(Client(HTTP_ACCEPT_LANGUAGE="en"), _user(Role.SECTOR_ADMIN, None))
    assert admin.get(reverse("surveys:wave_report", args=[wave.pk])).status_code == 200

    fingerprint = _fingerprint()
    _build()
    assert _fingerprint() == fingerprint


def _user(role: str, org: Organisation | None) -> Any:
    from vitaal.core.models import User

    return User.objects.get(email=demo_email(role, org.slug if org else None))

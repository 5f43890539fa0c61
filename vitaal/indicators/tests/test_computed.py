"""Indicators computed from the care pillar: only aggregates are stored, with the group
size that decides disclosure; recomputing keeps history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vitaal.care.health import who5_score
from vitaal.care.models import CareRequest, HealthCheck
from vitaal.care.tests.support import intervention
from vitaal.core.models import Person
from vitaal.indicators.computed import compute_care_uptake, compute_pillar_indicators, compute_who5_mean
from vitaal.indicators.models import Measurement

pytestmark = pytest.mark.django_db


def _people(cast, unit, n):
    return [
        Person.objects.create(
            organisation=cast.a.organisation, employee_number=f"X{unit.pk}-{i}", last_name="T", unit=unit
        )
        for i in range(n)
    ]


def test_care_uptake_per_place(cast, library) -> None:
    org = cast.a.organisation
    team1 = _people(cast, cast.a.team1, 10)
    _people(cast, cast.a.team2, 10)
    coaching = intervention(cast.sector)
    when = datetime(2025, 2, 10, 12, tzinfo=UTC)
    for person in team1[:3]:
        CareRequest.objects.create(
            person=person,
            organisation=org,
            intervention=coaching,
            route="direct",
            status="submitted",
            created_at=when,
        )
    assert compute_care_uptake(org, date(2025, 1, 1)) > 0
    team1_value = Measurement.objects.current().get(unit=cast.a.team1, indicator__code="care-uptake")
    assert team1_value.group_size == 3  # three users: below every threshold, so never shown
    staff_team1 = Person.objects.current().filter(unit=cast.a.team1).count()
    assert float(team1_value.value) == pytest.approx(300 / staff_team1, abs=0.01)
    assert compute_care_uptake(org, date(2025, 1, 1)) == 0  # nothing changed, nothing stored
    assert not Measurement.objects.filter(indicator__code="care-uptake", is_current=False).exists()


def _check(person, taken_on, answers):
    score = who5_score(answers)
    items = {f"who5_{i}": a for i, a in enumerate(answers, start=1)}
    return HealthCheck.objects.create(
        person=person,
        taken_on=taken_on,
        work_ability=6,
        who5_raw=score.raw,
        who5_percentage=score.percentage,
        **items,
    )


def test_who5_mean_uses_each_persons_latest_check(cast, library) -> None:
    org = cast.a.organisation
    people = _people(cast, cast.a.team2, 4)
    for i, person in enumerate(people):
        _check(person, date(2025, 3, 1), [1, 1, 1, 1, 1])
        _check(person, date(2025, 9, 1), [3, 3, 3, 3, 3 + (i % 2)])
    compute_who5_mean(org, 2025)
    value = Measurement.objects.current().get(unit=cast.a.team2, indicator__code="who5-mean")
    assert value.group_size == 4
    assert str(value.value) in ("62.00", "62.0000")  # (60 + 64 + 60 + 64) / 4


def test_periodic_job_runs_for_every_organisation(cast, library) -> None:
    totals = compute_pillar_indicators(today=date(2025, 5, 1))
    assert set(totals) == {"care-uptake", "who5-mean"}

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
    """The uptake is the usage report's users over the headcount, from the quarter's care
    release: shown where the release shows the count, absent where it hides it."""
    org = cast.a.organisation
    team1 = _people(cast, cast.a.team1, 12)
    team2 = _people(cast, cast.a.team2, 10)
    coaching = intervention(cast.sector)
    when = datetime(2025, 2, 10, 12, tzinfo=UTC)
    for person in team1:
        CareRequest.objects.create(
            person=person,
            organisation=org,
            intervention=coaching,
            route="direct",
            status="submitted",
            created_at=when,
        )
    # a withdrawn request is no use of the arrangement, as in the usage report
    CareRequest.objects.create(
        person=team2[5],
        organisation=org,
        intervention=coaching,
        route="direct",
        status="withdrawn",
        created_at=when,
    )
    assert compute_care_uptake(org, date(2025, 1, 1), today=date(2025, 3, 31)) == 0  # still running
    assert compute_care_uptake(org, date(2025, 1, 1), today=date(2025, 4, 1)) > 0
    team1_value = Measurement.objects.current().get(unit=cast.a.team1, indicator__code="care-uptake")
    assert team1_value.group_size == 12
    staff_team1 = Person.objects.current().filter(unit__path__startswith=cast.a.team1.path).count()
    assert float(team1_value.value) == pytest.approx(1200 / staff_team1, abs=0.01)
    team2_value = Measurement.objects.current().get(unit=cast.a.team2, indicator__code="care-uptake")
    assert (team2_value.group_size, float(team2_value.value)) == (0, 0.0)
    assert compute_care_uptake(org, date(2025, 1, 1), today=date(2025, 4, 1)) == 0  # nothing changed
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
    people = _people(cast, cast.a.team2, 10)
    for i, person in enumerate(people):
        _check(person, date(2025, 3, 1), [1, 1, 1, 1, 1])
        _check(person, date(2025, 9, 1), [3, 3, 3, 3, 3 + (i % 2)])
    assert compute_who5_mean(org, 2025, today=date(2025, 12, 31)) == 0  # the year still runs
    compute_who5_mean(org, 2025, today=date(2026, 1, 1))
    value = Measurement.objects.current().get(unit=cast.a.team2, indicator__code="who5-mean")
    assert value.group_size == 10
    assert str(value.value) in ("62.00", "62.0000")  # (60 + 64) / 2, five of each


def test_periodic_job_runs_for_every_organisation(cast, library) -> None:
    totals = compute_pillar_indicators(today=date(2025, 5, 1))
    assert set(totals) == {"care-uptake", "who5-mean"}

"""The usage aggregation service: every kind of cell goes through disclosure control, the
breakdowns add up, and the quarterly job stores frozen reports once."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from vitaal.care.models import (
    CareRequest,
    DeliverySession,
    Evaluation,
    ImportStatus,
    InsurerImportBatch,
    InsurerUsageRow,
    Intervention,
)
from vitaal.care.report_tasks import last_complete_quarter, store_reports
from vitaal.care.usage import Quarter, localise, organisation_report, sector_report
from vitaal.care.usage_counts import age_band
from vitaal.core.models import Organisation, Person, Release
from vitaal.core.releases import ReleasePeriod

QUARTER = Quarter(2025, 2)
WHEN = datetime(2025, 5, 15, 12, 0, tzinfo=UTC)
_numbers = itertools.count(1000)


def add_users(
    world: Any,
    organisation: Organisation,
    intervention: Intervention,
    n: int,
    *,
    gender: str = "f",
    birth_year: int = 1980,
    group: Any = None,
    cost: Decimal | None = None,
    grade: int | None = None,
    helped: str = "yes",
    when: datetime = WHEN,
) -> list[Person]:
    """n employees of the organisation, each with one request for the intervention in
    the quarter; optionally a delivered session with its cost and an evaluation."""
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                employee_number=f"u{next(_numbers)}",
                last_name="Gebruiker",
                gender=gender,
                birth_year=birth_year,
                function_group=group,
            )
            for _i in range(n)
        ]
    )
    for person in people:
        delivered = cost is not None or grade is not None
        request = CareRequest.objects.create(
            person=person,
            organisation=organisation,
            intervention=intervention,
            route="direct",
            created_at=when,
            status="completed" if delivered else "submitted",
            provider=world.balans if delivered else None,
        )
        if cost is not None:
            DeliverySession.objects.create(
                request=request,
                provider=world.balans,
                date=when.date(),
                duration_minutes=60,
                cost=cost,
                registered_by=world.cast.user("provider"),
            )
        if grade is not None:
            evaluation = Evaluation.objects.create(request=request, helped=helped, grade=grade)
            Evaluation.objects.filter(pk=evaluation.pk).update(created_at=when)
    return people


def populate(world: Any) -> None:
    """Organisation A: 12 mental (coaching), 11 other (budget coaching), 3 physical
    (physio); organisation B: 3 physical. The sector threshold is 10."""
    cast = world.cast
    a, b = cast.a.organisation, cast.b.organisation
    add_users(world, a, world.coaching, 12, group=cast.op, cost=Decimal("95"), grade=8, helped="yes")
    add_users(world, a, world.budget, 11, group=cast.op, cost=Decimal("40"), grade=7, helped="partly")
    add_users(
        world,
        a,
        world.physio,
        3,
        gender="m",
        birth_year=1995,
        group=cast.obp,
        cost=Decimal("50"),
        grade=6,
        helped="no",
    )
    add_users(
        world, b, world.physio, 3, gender="m", birth_year=1995, group=cast.obp, cost=Decimal("50"), grade=6
    )


def cells(data: Any) -> list[dict[str, Any]]:
    """Every count cell anywhere in a report."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if {"value", "suppressed"} <= set(data) <= {"value", "suppressed", "withheld"}:
            return [data]
        for value in data.values():
            found += cells(value)
    elif isinstance(data, list):
        for item in data:
            found += cells(item)
    return found


def assert_no_small_cell(report: dict[str, Any]) -> None:
    k = report["threshold"]
    for cell in cells(report):
        if cell["suppressed"]:
            assert cell["value"] is None
        else:
            assert cell["value"] == 0 or cell["value"] >= k, cell


def shown(value: int) -> dict[str, Any]:
    return {"value": value, "suppressed": False, "withheld": False}


HIDDEN = {"value": None, "suppressed": True, "withheld": False}


def row(section: dict[str, Any], breakdown: str, key: str) -> dict[str, Any]:
    found = next(b for b in section["breakdowns"] if b["key"] == breakdown)
    return next(r for r in found["rows"] if r["key"] == key)


def test_quarters():
    assert (QUARTER.start, QUARTER.end, QUARTER.label) == (date(2025, 4, 1), date(2025, 6, 30), "2025-Q2")
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter.containing(date(2025, 12, 31)) == Quarter(2025, 4)
    assert last_complete_quarter(date(2026, 1, 5)) == ReleasePeriod.of_quarter(2025, 4)
    with pytest.raises(ValueError):
        Quarter(2025, 5)
    assert [age_band(y, date(2025, 6, 30)) for y in (2000, 1985, 1975, 1960, None)] == [
        "<35",
        "35-44",
        "45-54",
        "55+",
        "unknown",
    ]


@pytest.mark.django_db
def test_uptake_breakdowns_suppress_small_groups_and_their_partners(world):
    populate(world)
    report = organisation_report(world.cast.a.organisation, QUARTER)
    sector = sector_report(world.cast.sector, QUARTER)
    assert report["threshold"] == 10
    uptake = report["uptake"]
    # B's 3 users are the sector total minus A's: with two organisations one of the two
    # totals has to go, and A's is the smaller.
    assert uptake["total"]["suppressed"] and sector["uptake"]["total"] == shown(29)
    assert row(uptake, "theme", "mental")["cell"] == shown(12)
    assert row(uptake, "theme", "physical")["cell"] == HIDDEN
    assert row(uptake, "theme", "lifestyle")["cell"] == shown(0)
    # every breakdown: gender, age band, function group, chain stage, intervention
    assert row(uptake, "gender", "m")["cell"]["suppressed"]
    assert row(uptake, "age_band", "<35")["cell"]["suppressed"]
    assert row(uptake, "function_group", "OBP")["cell"]["suppressed"]
    assert row(uptake, "intervention", str(world.physio.pk))["cell"]["suppressed"]
    assert row(uptake, "intervention", str(world.coaching.pk))["cell"] == shown(12)
    assert {b["key"] for b in uptake["breakdowns"]} == {
        "theme",
        "intervention",
        "chain_stage",
        "function_group",
        "gender",
        "age_band",
    }
    for breakdown in uptake["breakdowns"]:
        hidden = [r for r in breakdown["rows"] if r["cell"]["suppressed"]]
        assert len(hidden) != 1, breakdown["key"]
    assert_no_small_cell(report)
    # The benchmark row of A is the same cells as A's own report.
    bench = next(r for r in sector["benchmark"]["rows"] if r["key"] == "a")
    themes = [c["key"] for c in sector["benchmark"]["columns"]]
    for theme, cell in zip(themes, bench["cells"], strict=True):
        assert cell == row(uptake, "theme", theme)["cell"]
    assert bench["total"] == uptake["total"]


@pytest.mark.django_db
def test_costs_evaluations_and_rates_ride_on_protected_counts(world):
    populate(world)
    report = organisation_report(world.cast.a.organisation, QUARTER)
    delivered = {r["key"]: r for r in report["delivered"]["rows"]}
    assert delivered["mental"]["cell"]["value"] == 12 and delivered["mental"]["cost"] == "1140.00"
    assert delivered["physical"]["cell"]["suppressed"] and delivered["physical"]["cost"] is None
    assert delivered["other"]["cost"] is None
    assert report["delivered"]["cost_total"] is None
    evaluations = {r["key"]: r for r in report["evaluations"]["rows"]}
    assert (evaluations["mental"]["mean_grade"], evaluations["mental"]["helped_pct"]) == (8.0, 100)
    assert evaluations["physical"]["mean_grade"] is None and evaluations["physical"]["helped_pct"] is None
    assert report["evaluations"]["total"]["suppressed"]  # the same 26 people as the users
    assert report["evaluations"]["mean_grade"] is None
    # rates ride on the total, which the sector total gives away here (see above)
    assert report["users_per_1000"] is None
    # spend is released for calendar years only
    assert report["finance"]["spend_hidden"] is True and report["finance"]["actual"] is None
    year = organisation_report(world.cast.a.organisation, ReleasePeriod.of_year(2025))
    assert year["finance"]["spend_hidden"] is year["uptake"]["total"]["suppressed"]


@pytest.mark.django_db
def test_a_small_organisation_shows_nothing_about_its_users(world):
    populate(world)
    report = organisation_report(world.cast.b.organisation, QUARTER)
    assert report["uptake"]["total"] == HIDDEN
    assert report["users_per_1000"] is None
    assert report["delivered"]["total"]["suppressed"] and report["delivered"]["cost_total"] is None
    assert report["evaluations"]["mean_grade"] is None
    assert report["finance"]["spend_hidden"] is True
    assert report["finance"]["actual"] is None and report["finance"]["remaining"] is None
    assert_no_small_cell(report)
    # the sector as a whole (29 users) is large enough to compare with
    assert report["sector_users_per_1000"] is not None


@pytest.mark.django_db
def test_sector_benchmark_protects_the_organisation_table(world):
    populate(world)
    report = sector_report(world.cast.sector, QUARTER)
    rows = {r["key"]: r for r in report["benchmark"]["rows"]}
    assert rows["b"]["total"]["suppressed"] and rows["b"]["users_per_1000"] is None
    physical = [c["key"] for c in report["benchmark"]["columns"]].index("physical")
    assert rows["a"]["cells"][physical]["suppressed"]
    assert report["benchmark"]["totals"]["total"] == shown(29)
    assert "theme" not in {b["key"] for b in report["uptake"]["breakdowns"]}
    assert_no_small_cell(report)


@pytest.mark.django_db
def test_insurer_rows_are_a_separate_protected_source(world):
    populate(world)
    cast = world.cast
    batch = InsurerImportBatch.objects.create(
        sector=cast.sector,
        insurer="Zilveren Zorg",
        filename="x.csv",
        content=b"x",
        content_sha256="1" * 64,
        status=ImportStatus.APPLIED,
        uploaded_by=cast.user("sector_admin"),
    )
    for i, (theme, gender, band, users, cost) in enumerate(
        [
            ("mental", "f", "<35", 20, "1000"),
            ("physical", "m", "35-44", 2, "100"),
            ("lifestyle", "f", "<35", 15, "300"),
        ]
    ):
        InsurerUsageRow.objects.create(
            batch=batch,
            organisation=cast.a.organisation,
            year=2025,
            quarter=2,
            theme=theme,
            gender=gender,
            age_band=band,
            users=users,
            cost=Decimal(cost),
            row_key=str(i),
        )
    report = organisation_report(cast.a.organisation, QUARTER)
    insurer = report["insurer"]
    assert insurer["insurers"] == ["Zilveren Zorg"]
    assert insurer["total"]["value"] == 37
    assert row(insurer, "theme", "physical")["cell"]["suppressed"]
    assert row(insurer, "theme", "physical")["cost"] is None
    assert row(insurer, "theme", "mental")["cost"] == "1000.00"
    assert row(insurer, "gender", "m")["cell"]["suppressed"]
    # never added to vitaal's own figures
    assert sector_report(cast.sector, QUARTER)["uptake"]["total"]["value"] == 29
    assert_no_small_cell(report)


@pytest.mark.django_db
def test_each_user_counts_once_under_their_first_request(world):
    cast = world.cast
    person = add_users(world, cast.a.organisation, world.coaching, 1)[0]
    CareRequest.objects.create(
        person=person,
        organisation=cast.a.organisation,
        intervention=world.physio,
        route="direct",
        created_at=datetime(2025, 6, 1, tzinfo=UTC),
    )
    add_users(world, cast.a.organisation, world.coaching, 10)
    CareRequest.objects.filter(person__in=add_users(world, cast.a.organisation, world.physio, 4)).update(
        status="withdrawn"
    )
    uptake = organisation_report(cast.a.organisation, QUARTER)["uptake"]
    assert uptake["total"]["value"] == 11
    # Every user's first request was mental: showing the theme breakdown would tell each
    # user's theme, so it is withheld as a whole.
    themes = next(b for b in uptake["breakdowns"] if b["key"] == "theme")
    assert themes["withheld"] and all(r["cell"]["value"] is None for r in themes["rows"])
    interventions = next(b for b in uptake["breakdowns"] if b["key"] == "intervention")
    assert interventions["withheld"]


@pytest.mark.django_db
def test_releases_are_made_once_and_stay_frozen(world):
    populate(world)
    sector = world.cast.sector
    # the quarter, and the twelve months to its end with the three quarters before it
    assert store_reports(QUARTER, [sector]) == 5
    release = Release.objects.get(sector=sector, kind="quarter", start=QUARTER.start)
    before = organisation_report(world.cast.b.organisation, QUARTER)
    assert release.period.frozen_thresholds["care"] == 10
    # more data and a lower threshold later change nothing in what was published
    add_users(world, world.cast.a.organisation, world.coaching, 5)
    sector.min_cell_care = 3
    sector.save()
    assert store_reports(QUARTER, [sector]) == 0
    assert organisation_report(world.cast.b.organisation, QUARTER) == before
    assert before["threshold"] == 10  # the frozen period keeps its threshold
    assert (
        localise(release.data["organisations"][str(world.cast.a.organisation.pk)], "en")["uptake"][
            "breakdowns"
        ][0]["label"]
        == "Theme"
    )


@pytest.mark.django_db
def test_a_running_period_has_no_release(world):
    from vitaal.core.releases import PeriodRunning

    populate(world)
    with pytest.raises(PeriodRunning):
        organisation_report(world.cast.a.organisation, QUARTER, today=date(2025, 6, 30))
    assert not Release.objects.exists()
    assert organisation_report(world.cast.a.organisation, QUARTER, today=date(2025, 7, 1))["threshold"] == 10

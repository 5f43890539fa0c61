"""The scorecard pages: disclosure at every level, who sees what, bad input, the import,
the planning & control export and query counts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vitaal.core.models import Unit
from vitaal.core.testing import login
from vitaal.indicators.models import Indicator, Measurement, Norm

pytestmark = pytest.mark.django_db


def _measure(org, code, period, value, unit=None, group_size=None):
    return Measurement.objects.create(
        organisation=org,
        unit=unit,
        indicator=Indicator.objects.get(code=code),
        period_start=period,
        value=D(value),
        group_size=group_size,
        source="manual",
    )


@pytest.fixture
def world(cast, library):
    org = cast.a.organisation
    _measure(org, "absence-pct", date(2025, 1, 1), "5.37", group_size=300)
    _measure(org, "absence-pct", date(2025, 1, 1), "4.71", unit=cast.a.team1, group_size=4)  # too small
    _measure(org, "absence-pct", date(2025, 1, 1), "6.13", unit=cast.a.team2, group_size=40)
    _measure(org, "errors-complaints", date(2025, 1, 1), "17", unit=cast.a.team1)
    return cast


def test_small_groups_are_hidden_at_every_level(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("management"))
    page = client.get(
        reverse("indicators:unit_scorecard", args=[org.slug, world.a.team1.pk])
    ).content.decode()
    assert "4.71" not in page and "4,71" not in page and "hidden (group too small)" in page
    assert "17" in page  # not personal data: always shown
    detail = client.get(
        reverse("indicators:indicator_detail", args=[org.slug, "absence-pct"]) + f"?unit={world.a.team1.pk}"
    ).content.decode()
    assert "4,71" not in detail and "4.71" not in detail
    other = client.get(
        reverse("indicators:unit_scorecard", args=[org.slug, world.a.team2.pk])
    ).content.decode()
    assert "6,13" in other or "6.13" in other
    top = client.get(reverse("indicators:scorecard", args=[org.slug])).content.decode()
    assert "5,37" in top or "5.37" in top


def test_unit_head_sees_only_their_own_unit(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("manager"))
    assert (
        client.get(reverse("indicators:unit_scorecard", args=[org.slug, world.a.team1.pk])).status_code == 200
    )
    assert (
        client.get(reverse("indicators:unit_scorecard", args=[org.slug, world.a.team2.pk])).status_code == 403
    )
    assert client.get(reverse("indicators:scorecard", args=[org.slug])).status_code == 403
    page = client.get(
        reverse("indicators:unit_scorecard", args=[org.slug, world.a.team1.pk])
    ).content.decode()
    assert reverse("indicators:library", args=[org.slug]) not in page  # no links to refused pages
    assert f'href="{reverse("indicators:scorecard", args=[org.slug])}"' not in page
    login(client, world.user("manager_b"))
    assert (
        client.get(reverse("indicators:unit_scorecard", args=[org.slug, world.a.team1.pk])).status_code == 404
    )


def test_works_council_reads_the_organisation_level_only(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("works_council"))
    page = client.get(reverse("indicators:scorecard", args=[org.slug])).content.decode()
    assert "Drill down" not in page
    assert (
        client.get(reverse("indicators:unit_scorecard", args=[org.slug, world.a.team2.pk])).status_code == 403
    )
    assert "Add a value" not in page


def test_nav_points_unit_heads_to_their_unit(client, world) -> None:
    login(client, world.user("manager"))
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("indicators:unit_scorecard", args=[world.a.organisation.slug, world.a.team1.pk]) in page
    login(client, world.user("management"))
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("indicators:scorecard", args=[world.a.organisation.slug]) in page


def test_grouping_by_line_is_remembered(client, world) -> None:
    login(client, world.user("coordinator"))
    url = reverse("indicators:scorecard", args=[world.a.organisation.slug])
    assert "Group by development line" in client.get(url + "?group=line").content.decode()
    assert client.session["indicators_group_by"] == "line"


def test_adding_values_and_bad_input(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("coordinator"))
    url = reverse("indicators:measurement_add", args=[org.slug, "errors-complaints"])
    before = Measurement.objects.count()
    bad = client.post(url, {"m-period": "2025-02", "m-value": "3"})  # monthly period, quarterly indicator
    assert bad.status_code == 400 and "quarterly" in bad.content.decode()
    bad = client.post(url, {"m-period": "2025-Q2", "m-value": "many"})
    assert bad.status_code == 400 and "not a number" in bad.content.decode()
    assert Measurement.objects.count() == before
    ok = client.post(url, {"m-period": "2025-Q2", "m-value": "4", "unit": world.a.team2.pk})
    assert ok.status_code == 302
    assert Measurement.objects.get(unit=world.a.team2, indicator__code="errors-complaints").value == 4


def test_correction_through_the_page_keeps_history(client, world) -> None:
    org = world.a.organisation
    m = Measurement.objects.get(indicator__code="errors-complaints")
    login(client, world.user("management"))
    url = reverse("indicators:measurement_correct", args=[org.slug, m.pk])
    assert client.post(url, {"c-value": "15", "c-reason": ""}).status_code == 400
    assert client.post(url, {"c-value": "15", "c-reason": "Double count"}).status_code == 302
    assert list(
        Measurement.objects.filter(indicator__code="errors-complaints").values_list("value", "is_current")
    ) == [
        (D(17), False),
        (D(15), True),
    ]


def test_norm_in_the_wrong_direction_through_the_page(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("management"))
    url = reverse("indicators:norm_set", args=[org.slug, "absence-pct"])
    response = client.post(url, {"n-period": "2025-06", "n-target": "6", "n-margin": "0.5"})
    assert response.status_code == 400 and "cannot be above" in response.content.decode()
    assert not Norm.objects.exists()
    assert client.post(url, {"n-period": "2025-06", "n-target": "4,5", "n-margin": "0,5"}).status_code == 302
    assert Norm.objects.get().target == D("4.5")


def test_import_page(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("org_admin"))
    url = reverse("indicators:measurement_import", args=[org.slug])
    before = Measurement.objects.count()
    bad = SimpleUploadedFile("m.csv", b"indicator,period,value\nabsence-pct,2025-02,x\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "Row 2" in response.content.decode()
    assert Measurement.objects.count() == before
    good = SimpleUploadedFile(
        "m.csv", b"indicator,unit,period,value,group_size\nabsence-pct,F1-T1,2025-02,5.5,30\n"
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert Measurement.objects.count() == before + 1


def test_planning_and_control_export(client, world) -> None:
    org = world.a.organisation
    login(client, world.user("management"))
    response = client.get(reverse("indicators:pc_export", args=[org.slug]) + "?quarter=2025-Q1")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    team1_absence = next(r for r in rows if r[0] == "Team 1" and r[1] == "absence-pct")
    assert team1_absence[5] in (None, "") and team1_absence[6] == "suppressed"
    org_absence = next(r for r in rows if r[0] == org.name and r[1] == "absence-pct")
    assert str(org_absence[5]) in ("5.37", "5.3700")
    assert (
        client.get(reverse("indicators:pc_export", args=[org.slug]) + "?quarter=nonsense").status_code == 404
    )


def test_scorecard_queries_do_not_grow(client, world, django_assert_max_num_queries) -> None:
    org = world.a.organisation
    login(client, world.user("management"))
    url = reverse("indicators:scorecard", args=[org.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for i in range(12):
        unit = Unit.objects.create(organisation=org, parent=world.a.faculty, name=f"Extra {i}", kind="team")
        for month in range(1, 7):
            _measure(org, "absence-pct", date(2024, month, 1), "5", unit=unit, group_size=50)
            _measure(org, "overtime", date(2024, month, 1), "3") if i == 0 else None
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_norm_linked_to_a_plan_goal(client, world) -> None:
    from vitaal.igm.tests.access_plans import build_plans

    org = world.a.organisation
    build_plans(world)
    from vitaal.igm.models import Goal

    goal = Goal.objects.filter(improvement_point__plan_line__plan__cycle__organisation=org).first()
    assert goal is not None
    Goal.objects.filter(pk=goal.pk).update(indicator_code="absence-pct")
    login(client, world.user("management"))
    detail = client.get(
        reverse("indicators:indicator_detail", args=[org.slug, "absence-pct"])
    ).content.decode()
    assert 'name="n-goal"' in detail
    url = reverse("indicators:norm_set", args=[org.slug, "absence-pct"])
    assert (
        client.post(
            url, {"n-period": "2025-06", "n-target": "4.5", "n-margin": "0.5", "n-goal": goal.pk}
        ).status_code
        == 302
    )
    assert Norm.objects.get().goal == goal


def test_unit_scorecard_queries_do_not_grow(client, world) -> None:
    # A faculty's scorecard: more teams below it and more periods must not add queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    org = world.a.organisation
    login(client, world.user("management"))
    url = reverse("indicators:unit_scorecard", args=[org.slug, world.a.faculty.pk])
    _measure(org, "absence-pct", date(2024, 1, 1), "5", unit=world.a.faculty, group_size=60)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(8):
        unit = Unit.objects.create(organisation=org, parent=world.a.faculty, name=f"Extra {i}", kind="team")
        for month in range(1, 7):
            _measure(org, "absence-pct", date(2024, month, 1), "5", unit=unit, group_size=50)
    for month in range(2, 7):
        _measure(org, "absence-pct", date(2024, month, 1), "5", unit=world.a.faculty, group_size=60)
    assert count() == few

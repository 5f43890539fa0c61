"""The package recommendation matrix: the rule by hand, the evidence with disclosure
control, decisions, carrying over into a draft package, and access."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vitaal.care.models import CareRequest, Intervention, Package, PackageItem
from vitaal.core.models import Person
from vitaal.core.testing import login
from vitaal.surveys import matrix as m
from vitaal.surveys.models import MatrixVerdict, RecommendationMatrix

from .support import fill

pytestmark = pytest.mark.django_db

T = m.Thresholds()  # need 5/20 %, use 5/20 per 1,000, cost 10 EUR, + from 3, +/- from 1


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.mark.parametrize(
    ("need", "use", "unique", "cost", "points", "verdict"),
    [
        (50.0, 60.0, True, 30.0, 2 + 2 + 1 - 1, MatrixVerdict.IN),  # high need, high use, unique, costly
        (50.0, 60.0, False, 30.0, 2 + 2 - 1 - 1, MatrixVerdict.DISCUSS),  # available elsewhere
        (10.0, 2.0, True, 1.0, 1 + 0 + 1, MatrixVerdict.DISCUSS),  # some need only
        (20.0, 5.0, True, None, 2 + 1 + 1, MatrixVerdict.IN),  # thresholds are inclusive
        (4.9, 4.9, False, None, 0 + 0 - 1, MatrixVerdict.OUT),
        (None, None, True, None, 1, MatrixVerdict.DISCUSS),  # unknown need and hidden use count as low
        (None, None, False, 10.0, -2, MatrixVerdict.OUT),
    ],
)
def test_rule_by_hand(need, use, unique, cost, points, verdict) -> None:
    assert m.points(need=need, use=use, unique=unique, cost=cost, t=T) == points
    assert m.verdict_for(points, T) == verdict


def test_adjusted_thresholds_change_the_advice() -> None:
    strict = m.Thresholds(plus_from=5, discuss_from=3)
    score = m.points(need=50.0, use=60.0, unique=True, cost=30.0, t=strict)
    assert score == 4 and m.verdict_for(score, strict) == MatrixVerdict.DISCUSS


def _intervention(cast, code, **extra) -> Intervention:
    values = {
        "sector": cast.sector,
        "code": code,
        "name_nl": code,
        "name_en": code.title(),
        "theme": "mental",
        "tariff": 100,
        "tariff_unit": "session",
        "max_sessions": 5,
        "route_direct": True,
        "stage_prevention": True,
        "form_online": True,
        "individual": True,
    }
    values.update(extra)
    return Intervention.objects.create(**values)


@pytest.fixture
def setup(cast, wave):
    coaching = _intervention(cast, "coaching")
    physio = _intervention(cast, "physio", covered_by_basic_insurance=True, tariff=50, max_sessions=None)
    workshop = _intervention(cast, "workshop", tariff=2000, tariff_unit="trajectory")
    # 12 respondents: 6 ticked coaching, nobody physio
    fill(wave, [{"support_used": ["coaching"]}] * 6 + [{"support_used": ["sport"]}] * 6)
    # 200 employees on the last day of the period
    Person.objects.filter(organisation=cast.a.organisation).update(employment_end=datetime.date(2000, 1, 1))
    Person.objects.bulk_create(
        Person(organisation=cast.a.organisation, employee_number=f"m{i}", last_name="M") for i in range(200)
    )
    staff = list(Person.objects.filter(organisation=cast.a.organisation, employee_number__startswith="m"))
    when = timezone.make_aware(datetime.datetime(2025, 6, 1, 12))
    late = timezone.make_aware(datetime.datetime(2026, 2, 1, 12))

    def requests(people, intervention, at):
        return [
            CareRequest(
                person=person,
                organisation=cast.a.organisation,
                intervention=intervention,
                route="direct",
                created_at=at,
            )
            for person in people
        ]

    # Users in 2025: 12 of coaching, 3 of physio, 10 of the workshop (hidden with the
    # physio users, so that 3 cannot be worked out from the total); 4 more in 2026.
    CareRequest.objects.bulk_create(
        [
            *requests(staff[:12], coaching, when),
            *requests(staff[12:15], physio, when),
            *requests(staff[15:25], workshop, when),
            *requests(staff[25:29], coaching, late),
        ]
    )
    matrix = RecommendationMatrix.objects.create(
        sector=cast.sector,
        title="Package 2027",
        year=2027,
        wave=wave,
        usage_from=datetime.date(2025, 1, 1),
        usage_to=datetime.date(2025, 12, 31),
        need_mapping={
            "coaching": [{"question": "support_used", "options": ["coaching"]}],
            "physio": [{"question": "support_used", "options": ["physio"]}],
        },
    )
    return matrix, coaching, physio, workshop


def test_evidence_and_advice_by_hand(setup) -> None:
    matrix, *_objects = setup
    rows = {row.intervention.code: row for row in m.evidence(matrix)}
    c = rows["coaching"]
    assert (c.need, c.need_n) == (50.0, 12)
    assert c.requests == 12 and c.use == pytest.approx(60.0)  # 12 / 200 x 1,000 (the 4 of 2026 are out)
    assert c.cost_per_request == 500.0 and c.cost == pytest.approx(30.0)  # 500 x 60 / 1,000
    assert c.unique and c.points == 4 and c.advice == MatrixVerdict.IN
    p = rows["physio"]
    assert p.need == 0.0
    assert p.requests is None and p.use is None  # 3 users < the care threshold of 10
    assert not p.unique and p.sources == ["Basic health insurance"]
    assert p.points == -1 and p.advice == MatrixVerdict.OUT
    w = rows["workshop"]
    assert not w.need_mapped and w.need is None and w.requests is None  # hidden beside physio
    assert w.cost_per_request == 2000.0 and w.points == 1 and w.advice == MatrixVerdict.DISCUSS


def test_need_from_too_few_respondents_is_hidden(cast, wave) -> None:
    fill(wave, [{"support_used": ["coaching"]}] * 3)
    _intervention(cast, "coaching")
    matrix = RecommendationMatrix.objects.create(
        sector=cast.sector,
        title="Small",
        year=2027,
        wave=wave,
        usage_from=datetime.date(2025, 1, 1),
        usage_to=datetime.date(2025, 12, 31),
        need_mapping={"coaching": [{"question": "support_used", "options": ["coaching"]}]},
    )
    (row,) = m.evidence(matrix)
    assert row.need is None and row.need_n is None


def test_carry_over_creates_draft_items_and_updates_them(setup) -> None:
    matrix, coaching, physio, _w = setup
    m.decision_set(matrix=matrix, intervention=coaching, verdict="in", rationale="Much needed, only here.")
    m.decision_set(matrix=matrix, intervention=physio, verdict="out", rationale="Basic insurance pays.")
    package = m.carry_over(matrix=matrix)
    assert package.year == 2027 and not package.is_published
    items = {i.intervention.code: i for i in package.items.select_related("intervention")}
    assert items["coaching"].verdict == "in" and items["coaching"].rationale_en == "Much needed, only here."
    assert items["physio"].verdict == "out" and items["physio"].covered_by_basic_insurance
    m.decision_set(matrix=matrix, intervention=coaching, verdict="discuss", rationale="Costly.")
    m.carry_over(matrix=matrix)
    assert PackageItem.objects.get(package=package, intervention=coaching).verdict == "discuss"
    assert PackageItem.objects.filter(package=package).count() == 2


def test_carry_over_refuses_a_published_package(setup) -> None:
    matrix, coaching, _p, _w = setup
    Package.objects.create(sector=matrix.sector, year=2027, status="published", published_at=timezone.now())
    m.decision_set(matrix=matrix, intervention=coaching, verdict="in", rationale="r")
    with pytest.raises(ValidationError, match="has been published"):
        m.carry_over(matrix=matrix)
    assert not PackageItem.objects.exists()


def test_bad_decisions_and_settings_change_nothing(setup) -> None:
    matrix, coaching, _p, _w = setup
    with pytest.raises(ValidationError):
        m.decision_set(matrix=matrix, intervention=coaching, verdict="in", rationale="  ")
    with pytest.raises(ValidationError):
        m.matrix_save(matrix=matrix, mapping_lines="coaching = support_used: nonsense")
    with pytest.raises(ValidationError):
        m.matrix_save(matrix=RecommendationMatrix.objects.get(pk=matrix.pk), need_low=30.0, need_high=20.0)
    matrix.refresh_from_db()
    assert matrix.need_low == 5.0 and "coaching" in matrix.need_mapping
    assert not matrix.decisions.exists()


def test_pages_for_the_sector_admin(client, cast, setup) -> None:
    matrix, coaching, _p, _w = setup
    login(client, cast.user("sector_admin"))
    page = client.get(reverse("surveys:matrix_detail", args=[matrix.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "50.0% of 12 respondents" in html and "12 users, 60.0 per 1,000 employees" in html
    assert "also paid by: Basic health insurance" in html
    response = client.post(
        reverse("surveys:matrix_settings", args=[matrix.pk]),
        {
            "need_low": 5,
            "need_high": 20,
            "use_low": 5,
            "use_high": 20,
            "cost_high": 10,
            "discuss_from": 1,
            "plus_from": 3,
            "mapping": "coaching = support_used: coaching, physio",
        },
    )
    assert response.status_code == 302
    matrix.refresh_from_db()
    assert matrix.need_mapping == {
        "coaching": [{"question": "support_used", "options": ["coaching", "physio"]}]
    }
    bad = client.post(
        reverse("surveys:matrix_settings", args=[matrix.pk]),
        {
            "need_low": 5,
            "need_high": 20,
            "use_low": 5,
            "use_high": 20,
            "cost_high": 10,
            "discuss_from": 1,
            "plus_from": 3,
            "mapping": "coaching support_used",
        },
    )
    assert bad.status_code == 400
    prefix = f"i{coaching.pk}"
    client.post(
        reverse("surveys:matrix_decide", args=[matrix.pk, coaching.pk]),
        {f"{prefix}-verdict": "in", f"{prefix}-rationale": "Needed."},
    )
    assert matrix.decisions.get().rationale == "Needed."
    client.post(reverse("surveys:matrix_carry", args=[matrix.pk]))
    assert Package.objects.get(sector=cast.sector, year=2027).items.count() == 1
    created = client.post(
        reverse("surveys:matrix_list"),
        {
            "title": "Next",
            "year": 2028,
            "wave": matrix.wave.pk,
            "usage_from": "2026-01-01",
            "usage_to": "2026-12-31",
        },
    )
    assert created.status_code == 302 and RecommendationMatrix.objects.filter(title="Next").exists()


@pytest.mark.parametrize("role", ["hr", "org_admin", "care_coordinator", "employee"])
def test_matrix_refuses_other_roles(client, cast, setup, role) -> None:
    matrix, *_objects = setup
    login(client, cast.user(role))
    assert client.get(reverse("surveys:matrix_detail", args=[matrix.pk])).status_code == 403
    assert client.post(reverse("surveys:matrix_carry", args=[matrix.pk])).status_code == 403
    assert client.get(reverse("surveys:matrix_list")).status_code == 403
    assert not Package.objects.exists()


def test_matrix_of_another_sector_is_not_found(client, cast, setup) -> None:
    from vitaal.core.models import Sector

    matrix, *_rest = setup
    other = Sector.objects.create(name="Other", slug="other")
    RecommendationMatrix.objects.filter(pk=matrix.pk).update(sector=other)
    login(client, cast.user("sector_admin"))
    assert client.get(reverse("surveys:matrix_detail", args=[matrix.pk])).status_code == 404


def test_matrix_page_queries_do_not_grow(client, cast, setup, django_assert_max_num_queries) -> None:
    matrix, *_rest = setup
    login(client, cast.user("sector_admin"))
    m.evidence(matrix)  # the care release is made once, by the nightly job or its first reader
    with django_assert_max_num_queries(40):
        client.get(reverse("surveys:matrix_detail", args=[matrix.pk]))
    for i in range(5):
        _intervention(cast, f"extra-{i}")
    with django_assert_max_num_queries(40):
        assert client.get(reverse("surveys:matrix_detail", args=[matrix.pk])).status_code == 200


def test_demo_matrix_maps_only_catalog_interventions(cast, employee_questionnaire) -> None:
    import random

    from vitaal.core.hooks import DemoContext
    from vitaal.surveys import demo_matrix, services

    services.wave_create(questionnaire=employee_questionnaire, sector=cast.sector, title="Sector survey")
    _intervention(cast, "mental-coaching")
    demo_matrix.build(DemoContext(sector=cast.sector, organisations=[], rng=random.Random(1)))
    matrix = RecommendationMatrix.objects.get()
    assert list(matrix.need_mapping) == ["mental-coaching"]
    rows = {row.intervention.code: row for row in m.evidence(matrix)}
    assert rows["mental-coaching"].need_mapped

"""The care API: every endpoint refuses the wrong role, another organisation and another
employee; employer-side roles never get someone else's request or health check (asserted
on the response content); writes go through the workflow and are audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from vitaal.api.models import ApiToken
from vitaal.care import services, workflow
from vitaal.care.models import CareRequest, DeliverySession, HealthCheck, Intervention, RequestStatus
from vitaal.core.models import AccessLogEntry, Membership, Sector, User
from vitaal.core.roles import Role
from vitaal.core.testing import ORG_ROLES, TEST_PASSWORD

from .access_api import ApiWorld, assigned_request, build_world, own_request

pytestmark = pytest.mark.django_db

BASE = "/api/v1/care"
SECRET = "Ik heb last van paniekaanvallen"  # the employee's own words: health data
EMPLOYER_SIDE = [r for r in ORG_ROLES if r != "employee"] + ["sector_admin"]


def bearer(user: User) -> APIClient:
    _token, raw = ApiToken.issue(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def world(cast) -> ApiWorld:
    return build_world(cast)


@pytest.fixture
def secret_request(cast, world) -> CareRequest:
    return own_request(cast, world, SECRET)


@pytest.fixture
def secret_check(cast) -> HealthCheck:
    return services.health_check_record(
        person=cast.a.people["employee"], who5=[1, 0, 2, 1, 1], work_ability=3
    )


# --- Catalog and package ----------------------------------------------------------------


def test_catalog_lists_the_own_sector_only(cast, world):
    other = Sector.objects.create(name="Mbo", slug="mbo")
    services.intervention_create(
        sector=other, spec=services.InterventionSpec(**{**_spec(), "code": "elsewhere"})
    )
    data = bearer(cast.user("employee")).get(f"{BASE}/interventions/").json()
    codes = {row["code"] for row in data["results"]}
    assert codes == {"api-coaching", "api-physio"}
    physio = next(r for r in data["results"] if r["code"] == "api-physio")
    assert physio["unique_to_package"] is False
    assert physio["financing_sources"] == ["supplementary_insurance"]
    elsewhere = Intervention.objects.get(code="elsewhere")
    assert bearer(cast.user("employee")).get(f"{BASE}/interventions/{elsewhere.pk}/").status_code == 404


def _spec() -> dict:
    from .access_api import COACHING

    return {f: getattr(COACHING, f) for f in COACHING.__dataclass_fields__}


def test_inactive_entries_and_drafts_only_for_the_sector_admin(cast, world):
    Intervention.objects.filter(pk=world.physio.pk).update(is_active=False)
    employee = bearer(cast.user("employee"))
    admin = bearer(cast.user("sector_admin"))
    assert employee.get(f"{BASE}/interventions/{world.physio.pk}/").status_code == 404
    assert admin.get(f"{BASE}/interventions/{world.physio.pk}/").status_code == 200
    years = {p["year"] for p in employee.get(f"{BASE}/packages/").json()["results"]}
    assert years == {world.package.year}
    assert employee.get(f"{BASE}/packages/{world.draft.pk}/").status_code == 404
    admin_years = {p["year"] for p in admin.get(f"{BASE}/packages/").json()["results"]}
    assert admin_years == {world.package.year, world.draft.year, world.empty_draft.year}


def test_package_shows_verdicts_and_rationale(cast, world):
    data = bearer(cast.user("works_council")).get(f"{BASE}/packages/{world.package.pk}/").json()
    items = {i["intervention_code"]: i for i in data["items"]}
    assert items["api-coaching"]["symbol"] == "+"
    assert items["api-physio"]["verdict"] == "out"
    assert items["api-physio"]["alternative_en"] == "Supplementary insurance."


# --- Own requests -----------------------------------------------------------------------


def test_employee_submits_lists_and_withdraws_own_request(cast, world):
    client = bearer(cast.user("employee"))
    response = client.post(
        f"{BASE}/my/requests/", {"intervention": world.coaching.pk, "description": "Stress"}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == RequestStatus.APPROVED
    listed = client.get(f"{BASE}/my/requests/").json()["results"]
    assert [r["id"] for r in listed] == [created["id"]]
    response = client.post(
        f"{BASE}/my/requests/{created['id']}/withdraw/", {"reason": "Beter"}, format="json"
    )
    assert response.status_code == 200
    assert CareRequest.objects.get(pk=created["id"]).status == RequestStatus.WITHDRAWN


def test_request_outside_the_package_is_refused_and_changes_nothing(cast, world):
    client = bearer(cast.user("employee"))
    response = client.post(f"{BASE}/my/requests/", {"intervention": world.physio.pk}, format="json")
    assert response.status_code == 400
    assert "not part of this year's care package" in response.json()["detail"]
    response = client.post(f"{BASE}/my/requests/", {"intervention": 999999}, format="json")
    assert response.status_code == 400
    response = client.post(f"{BASE}/my/requests/", {"intervention": "x"}, format="json")
    assert response.status_code == 400
    assert not CareRequest.objects.exists()


def test_withdrawing_twice_is_refused(cast, world, secret_request):
    client = bearer(cast.user("employee"))
    assert client.post(f"{BASE}/my/requests/{secret_request.pk}/withdraw/").status_code == 200
    response = client.post(f"{BASE}/my/requests/{secret_request.pk}/withdraw/")
    assert response.status_code == 400
    assert "cannot become" in response.json()["detail"]


def test_another_employee_never_reaches_a_request(cast, world, secret_request):
    for role in ("manager", "employee_b", "manager_b"):
        client = bearer(cast.user(role))
        assert client.get(f"{BASE}/my/requests/{secret_request.pk}/").status_code == 404, role
        assert client.post(f"{BASE}/my/requests/{secret_request.pk}/withdraw/").status_code == 404, role
        assert SECRET not in client.get(f"{BASE}/my/requests/").content.decode()
    secret_request.refresh_from_db()
    assert secret_request.status == RequestStatus.APPROVED


def test_roles_without_an_employee_record_are_refused_own_lists(cast, world):
    for role in ("hr", "org_admin", "works_council", "sector_admin", "care_coordinator", "provider"):
        client = bearer(cast.user(role))
        assert client.get(f"{BASE}/my/requests/").status_code == 403, role
        assert client.get(f"{BASE}/my/health-checks/").status_code == 403, role
        response = client.post(f"{BASE}/my/requests/", {"intervention": world.coaching.pk}, format="json")
        assert response.status_code == 403, role
    assert not CareRequest.objects.exists()


@pytest.mark.parametrize("role", [*EMPLOYER_SIDE, "employee_b", "hr_b", "company_doctor_b"])
def test_employer_side_never_gets_a_request_or_health_check(cast, world, secret_request, secret_check, role):
    client = bearer(cast.user(role))
    urls = [
        f"{BASE}/my/requests/",
        f"{BASE}/my/requests/{secret_request.pk}/",
        f"{BASE}/my/health-checks/",
        f"{BASE}/my/health-checks/{secret_check.pk}/",
        f"{BASE}/assignments/",
        f"{BASE}/assignments/{secret_request.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code in (200, 403, 404), url
        assert SECRET not in body, url
        assert f'"id":{secret_request.pk}' not in body.replace(" ", ""), url
        assert f'"id":{secret_check.pk}' not in body.replace(" ", ""), url
        assert '"who5_percentage"' not in body, url


# --- Health checks ----------------------------------------------------------------------


def test_employee_records_and_reads_own_health_check(cast):
    client = bearer(cast.user("employee"))
    response = client.post(
        f"{BASE}/my/health-checks/", {"who5": [3, 3, 3, 3, 3], "work_ability": 7}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["who5_raw"], data["who5_percentage"], data["poor_wellbeing"]) == (15, 60, False)
    assert data["advice"]
    listed = client.get(f"{BASE}/my/health-checks/").json()["results"]
    assert [c["id"] for c in listed] == [data["id"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"who5": [3, 3, 3, 3], "work_ability": 7},
        {"who5": [3, 3, 3, 3, 6], "work_ability": 7},
        {"who5": [3, 3, 3, 3, 3], "work_ability": 11},
        {"who5": [3, 3, 3, 3, 3], "work_ability": 7, "taken_on": "2999-01-01"},
    ],
)
def test_bad_health_check_is_refused_and_changes_nothing(cast, payload):
    response = bearer(cast.user("employee")).post(f"{BASE}/my/health-checks/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not HealthCheck.objects.exists()


# --- Provider assignments ---------------------------------------------------------------


@pytest.fixture
def other_provider_user(cast, world) -> User:
    other = services.provider_create(
        sector=cast.sector,
        spec=services.ProviderSpec(code="other", name="Other", interventions=frozenset({"api-coaching"})),
    )
    user = User.objects.create_user("other.provider@example.org", TEST_PASSWORD)
    Membership.objects.create(user=user, role=Role.PROVIDER, sector=cast.sector)
    services.provider_member_add(provider=other, user=user)
    return user


def test_provider_lists_assignments_and_the_read_is_logged(cast, world):
    request = assigned_request(cast, world, SECRET)
    response = bearer(cast.user("provider")).get(f"{BASE}/assignments/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [request.pk]
    assert rows[0]["person_name"] == "Employee A"
    entry = AccessLogEntry.objects.get(description="API assignment list")
    assert entry.subject == cast.a.people["employee"] and entry.actor == cast.user("provider")
    bearer(cast.user("provider")).get(f"{BASE}/assignments/{request.pk}/")
    assert AccessLogEntry.objects.filter(
        description="API assignment opened", object_id=str(request.pk)
    ).exists()


def test_provider_accepts_and_registers_sessions(cast, world):
    request = assigned_request(cast, world, "x")
    client = bearer(cast.user("provider"))
    response = client.post(f"{BASE}/assignments/{request.pk}/accept/", {"sessions_planned": 2}, format="json")
    assert response.status_code == 200 and response.json()["status"] == RequestStatus.IN_PROGRESS
    url = f"{BASE}/assignments/{request.pk}/sessions/"
    payload = {"date": "2026-02-01", "duration_minutes": 50, "cost": "92.00", "note": "Intake"}
    response = client.post(url, payload, format="json")
    assert response.status_code == 201, response.content
    assert client.get(url).json()[0]["cost"] == "92.00"
    assert AccessLogEntry.objects.filter(description="delivery session registered").exists()


def test_sessions_beyond_the_ceiling_are_refused_and_change_nothing(cast, world):
    request = assigned_request(cast, world, "x", accept=True)
    client = bearer(cast.user("provider"))
    response = client.post(
        f"{BASE}/assignments/{request.pk}/sessions/",
        {"date": "2026-02-01", "duration_minutes": 50, "cost": "951.00"},
        format="json",
    )
    assert response.status_code == 400
    assert "ceiling" in response.json()["detail"]
    assert not DeliverySession.objects.exists()


def test_sessions_for_a_request_not_in_progress_are_refused(cast, world):
    request = assigned_request(cast, world, "x")
    response = bearer(cast.user("provider")).post(
        f"{BASE}/assignments/{request.pk}/sessions/",
        {"date": "2026-02-01", "duration_minutes": 50, "cost": "10.00"},
        format="json",
    )
    assert response.status_code == 400
    assert not DeliverySession.objects.exists()


def test_provider_declines_and_the_request_leaves_the_list(cast, world):
    request = assigned_request(cast, world, "x")
    client = bearer(cast.user("provider"))
    response = client.post(f"{BASE}/assignments/{request.pk}/decline/", {"reason": "Vol"}, format="json")
    assert response.json() == {"id": request.pk, "status": RequestStatus.APPROVED}
    assert client.get(f"{BASE}/assignments/").json()["results"] == []


def test_another_provider_is_refused_everything(cast, world, other_provider_user):
    request = assigned_request(cast, world, SECRET, accept=True)
    client = bearer(other_provider_user)
    assert SECRET not in client.get(f"{BASE}/assignments/").content.decode()
    assert client.get(f"{BASE}/assignments/{request.pk}/").status_code == 404
    for action, payload in (
        ("accept", {}),
        ("decline", {}),
        ("sessions", {"date": "2026-02-01", "duration_minutes": 50, "cost": "10.00"}),
    ):
        assert (
            client.post(f"{BASE}/assignments/{request.pk}/{action}/", payload, format="json").status_code
            == 404
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS and not DeliverySession.objects.exists()


@pytest.mark.parametrize(
    "role", ["employee", "hr", "company_doctor", "care_coordinator", "sector_admin", "manager"]
)
def test_other_roles_get_no_assignments(cast, world, role):
    request = assigned_request(cast, world, "x", accept=True)
    client = bearer(cast.user(role))
    assert client.get(f"{BASE}/assignments/").status_code == 403
    response = client.post(
        f"{BASE}/assignments/{request.pk}/sessions/",
        {"date": "2026-02-01", "duration_minutes": 50, "cost": "10.00"},
        format="json",
    )
    assert response.status_code == 403
    assert not DeliverySession.objects.exists()


def test_assignment_list_queries_do_not_grow(cast, world, django_assert_max_num_queries):
    client = bearer(cast.user("provider"))
    assigned_request(cast, world, "first", accept=True)
    with django_assert_max_num_queries(16) as small:
        client.get(f"{BASE}/assignments/")
    for n in range(6):
        request = assigned_request(cast, world, f"more {n}", accept=True)
        workflow.delivery_session_register(
            user=cast.user("provider"),
            request=request,
            date=request.created_at.date(),
            duration_minutes=30,
            cost=Decimal("10"),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"{BASE}/assignments/").json()["results"]) == 7


def test_catalog_list_queries_do_not_grow(cast, world, django_assert_max_num_queries):
    client = bearer(cast.user("employee"))
    with django_assert_max_num_queries(12) as interventions:
        client.get(f"{BASE}/interventions/")
    with django_assert_max_num_queries(12) as packages:
        client.get(f"{BASE}/packages/")
    for n in range(5):
        spec = services.InterventionSpec(**{**_spec(), "code": f"x{n}"})
        services.package_item_set(
            package=world.draft,
            intervention=services.intervention_create(sector=cast.sector, spec=spec),
            verdict="in",
            rationale_nl="r",
            rationale_en="r",
        )
    admin = bearer(cast.user("sector_admin"))
    with django_assert_max_num_queries(len(interventions.captured_queries)):
        assert len(client.get(f"{BASE}/interventions/").json()["results"]) == 7
    with django_assert_max_num_queries(len(packages.captured_queries)):
        assert len(admin.get(f"{BASE}/packages/").json()["results"]) == 3


def test_catalog_filters_in_the_api(cast, world):
    client = bearer(cast.user("hr"))
    codes = lambda q: {r["code"] for r in client.get(f"{BASE}/interventions/?{q}").json()["results"]}  # noqa: E731
    assert codes("unique=yes") == {"api-coaching"}
    assert codes("theme=physical&unique=no") == {"api-physio"}
    assert codes("stage=prevention&route=manager") == {"api-coaching"}
    assert codes("q=fysio") == {"api-physio"}
    assert codes("theme=nonsense") == {"api-coaching", "api-physio"}


def test_provider_completes_and_the_maximum_of_sessions_holds(cast, world):
    world.coaching.max_sessions = 1
    world.coaching.save()
    request = assigned_request(cast, world, "x")
    client = bearer(cast.user("provider"))
    response = client.post(f"{BASE}/assignments/{request.pk}/accept/", {"sessions_planned": 2}, format="json")
    assert response.status_code == 400 and "At most 1 sessions" in response.json()["detail"]
    assert client.post(f"{BASE}/assignments/{request.pk}/accept/", {"sessions_planned": 1}).status_code == 200
    url = f"{BASE}/assignments/{request.pk}/sessions/"
    payload = {"date": "2026-02-01", "duration_minutes": 50, "cost": "50.00"}
    assert client.post(url, payload, format="json").status_code == 201
    response = client.post(url, payload, format="json")
    assert response.status_code == 400 and "maximum of 1 sessions" in response.json()["detail"]
    assert DeliverySession.objects.count() == 1
    response = client.post(f"{BASE}/assignments/{request.pk}/complete/")
    assert response.status_code == 200 and response.json()["status"] == RequestStatus.COMPLETED
    assert client.post(f"{BASE}/assignments/{request.pk}/complete/").status_code == 400

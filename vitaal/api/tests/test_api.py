"""The API: token authentication, scoping and field whitelist, audit, HR sync import."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from vitaal.api.models import ApiToken
from vitaal.core.models import AccessLogEntry, Person
from vitaal.core.testing import login

pytestmark = pytest.mark.django_db


def bearer(user, name="HR sync") -> APIClient:
    _token, raw = ApiToken.issue(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_token_is_stored_only_as_hash(cast):
    token, raw = ApiToken.issue(user=cast.user("hr"), name="x")
    assert raw not in (token.key_hash, token.prefix)
    assert len(token.key_hash) == 64


def test_missing_wrong_expired_or_revoked_token_is_refused(cast):
    assert APIClient().get("/api/v1/people/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer vit_wrong")
    assert client.get("/api/v1/people/").status_code == 401
    token, raw = ApiToken.issue(user=cast.user("hr"), name="x", expires_at=timezone.now() - timedelta(days=1))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/people/").status_code == 401
    token, raw = ApiToken.issue(user=cast.user("hr"), name="y")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/people/").status_code == 401


def test_token_of_deactivated_user_is_refused(cast):
    client = bearer(cast.user("hr"))
    cast.user("hr").is_active = False
    cast.user("hr").save()
    assert client.get("/api/v1/people/").status_code == 401


def test_people_list_is_scoped_and_whitelisted(cast):
    data = bearer(cast.user("hr")).get("/api/v1/people/").json()
    numbers = {p["employee_number"] for p in data["results"]}
    assert numbers == set(
        Person.objects.filter(organisation=cast.a.organisation).values_list("employee_number", flat=True)
    )
    assert "gender" in data["results"][0]
    manager_data = bearer(cast.user("manager")).get("/api/v1/people/").json()
    assert {p["employee_number"] for p in manager_data["results"]} == {
        cast.a.people["employee"].employee_number,
        cast.a.people["manager"].employee_number,
    }
    others = [p for p in manager_data["results"] if p["id"] != cast.a.people["manager"].pk]
    assert others and all("gender" not in p and "birth_year" not in p for p in others)
    assert bearer(cast.user("works_council")).get("/api/v1/people/").json()["count"] == 0


def test_person_detail_other_organisation_is_not_found(cast):
    client = bearer(cast.user("hr"))
    assert client.get(f"/api/v1/people/{cast.b.colleague.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{cast.a.colleague.pk}/").status_code == 200
    assert bearer(cast.user("works_council")).get(f"/api/v1/people/{cast.a.colleague.pk}/").status_code == 403


def test_api_reads_are_audited_with_the_integration_named(cast):
    bearer(cast.user("hr"), name="AFAS koppeling").get(f"/api/v1/people/{cast.a.colleague.pk}/")
    entry = AccessLogEntry.objects.get(subject=cast.a.colleague)
    assert entry.actor == cast.user("hr")
    assert entry.channel == "api"
    assert "AFAS koppeling" in entry.on_behalf_of


def test_staff_session_without_mfa_is_refused(cast):
    client = APIClient()
    login(client, cast.user("hr"), mfa=False)
    assert client.get("/api/v1/people/").status_code == 403


def test_hr_sync_import_applies_valid_records(cast):
    client = bearer(cast.user("hr"))
    records = [
        {
            "employee_number": "api-1",
            "last_name": "Jansen",
            "first_name": "Eva",
            "unit": "F1-T1",
            "function_group": "OP",
            "gender": "v",
        },
        {
            "employee_number": "api-2",
            "last_name": "Bakker",
            "unit": "F1-T2",
            "function_group": "OBP",
        },
    ]
    response = client.post("/api/v1/organisations/a/people/import/", {"records": records}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    again = client.post("/api/v1/organisations/a/people/import/", {"records": records}, format="json")
    assert again.json()["unchanged"] == 2
    assert Person.objects.filter(employee_number__startswith="api-").count() == 2


def test_hr_sync_import_with_a_bad_record_changes_nothing(cast):
    client = bearer(cast.user("hr"))
    records = [
        {"employee_number": "api-1", "last_name": "Jansen"},
        {"employee_number": "api-2", "last_name": "Bakker", "birth_year": "negentien"},
    ]
    response = client.post("/api/v1/organisations/a/people/import/", {"records": records}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and errors[0]["row"] == 2 and errors[0]["column"] == "birth_year"
    assert not Person.objects.filter(employee_number__startswith="api-").exists()


def test_import_into_another_organisation_is_not_found(cast):
    response = bearer(cast.user("hr")).post(
        "/api/v1/organisations/b/people/import/",
        {"records": [{"employee_number": "x", "last_name": "y"}]},
        format="json",
    )
    assert response.status_code == 404

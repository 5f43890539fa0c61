"""The erasure workflow: the employee asks, the privacy officer previews and carries
it out or refuses; legal retention is respected and everything is logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vitaal.care.models import CareRequest, Evaluation, HealthCheck, LedgerEntry
from vitaal.care.tests.work_world import submit
from vitaal.core.models import AccessLogEntry, Membership, Person, Sector, User
from vitaal.core.testing import Cast, login
from vitaal.privacy import erasure
from vitaal.privacy.models import ErasureRequest, ErasureStatus
from vitaal.privacy.purge import ANON_NAME

from .world import care_history

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _file(client: Client, cast: Cast, who: str = "employee") -> ErasureRequest:
    login(client, cast.user(who))
    response = client.post(reverse("privacy:my_erasure"), {"reason": "Ik ben klaar met vitaal."}, **EN)
    assert response.status_code == 302
    return ErasureRequest.objects.get(person=cast.a.people[who])


def test_employee_files_and_handler_carries_out(client: Client, cast: Cast) -> None:
    history = care_history(cast)
    item = _file(client, cast)
    assert item.status == ErasureStatus.REQUESTED and item.organisation == cast.a.organisation
    # A second request while one waits is refused.
    page = client.post(reverse("privacy:my_erasure"), {"reason": ""}, **EN)
    assert page.status_code == 200 and "already have a request" in page.content.decode()

    client.logout()
    login(client, cast.user("privacy_officer"))
    preview = client.get(reverse("privacy:erasure_detail", args=[item.pk]), **EN).content.decode()
    assert "Your health checks" in preview and "Financial records" in preview and "Access log" in preview
    assert AccessLogEntry.objects.filter(description="erasure request previewed").count() == 1
    response = client.post(reverse("privacy:erasure_execute", args=[item.pk]), {"note": "Gedaan."}, **EN)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ErasureStatus.DONE and item.decided_by == cast.user("privacy_officer")
    assert not HealthCheck.objects.filter(pk=history.check.pk).exists()
    assert not CareRequest.objects.filter(pk=history.withdrawn.pk).exists()
    skeleton = CareRequest.objects.get(pk=history.done.pk)  # the ledger still needs it
    assert skeleton.description == "" and not Evaluation.objects.filter(request=skeleton).exists()
    assert LedgerEntry.objects.filter(care_request=skeleton).exists()
    entry = AccessLogEntry.objects.get(description="erasure request carried out")
    assert entry.subject == cast.a.people["employee"] and entry.action == "delete"
    # Still employed: the HR record and the login stay.
    person = Person.objects.get(pk=cast.a.people["employee"].pk)
    assert person.last_name != ANON_NAME and person.user is not None
    outcome = {line["what"]: line for line in item.outcome}
    assert outcome["health_checks"]["outcome"] == "erase" and outcome["health_checks"]["count"] == 1
    assert outcome["ledger"]["outcome"] == "keep" and outcome["ledger"]["until"]
    assert outcome["person_record"]["outcome"] == "keep"

    client.logout()
    login(client, cast.user("employee"))
    page = client.get(reverse("privacy:my_erasure"), **EN).content.decode()
    assert "Gedaan." in page and "Financial records" in page and "kept" in page


def test_open_care_request_blocks_execution(client: Client, cast: Cast) -> None:
    history = care_history(cast)
    submit(history.world, history.world.coaching)
    item = _file(client, cast)
    client.logout()
    login(client, cast.user("privacy_officer"))
    client.post(reverse("privacy:erasure_execute", args=[item.pk]), **EN)
    item.refresh_from_db()
    assert item.status == ErasureStatus.REQUESTED
    assert HealthCheck.objects.filter(pk=history.check.pk).exists()
    assert not AccessLogEntry.objects.filter(description="erasure request carried out").exists()


def test_refusal_needs_a_reason_and_the_employee_sees_it(client: Client, cast: Cast) -> None:
    item = _file(client, cast)
    client.logout()
    login(client, cast.user("privacy_officer"))
    client.post(reverse("privacy:erasure_refuse", args=[item.pk]), {"note": "  "}, **EN)
    item.refresh_from_db()
    assert item.status == ErasureStatus.REQUESTED
    client.post(reverse("privacy:erasure_refuse", args=[item.pk]), {"note": "Loopt een geschil."}, **EN)
    item.refresh_from_db()
    assert item.status == ErasureStatus.REFUSED
    assert AccessLogEntry.objects.filter(description="erasure request refused").exists()
    # Decided requests cannot be carried out afterwards.
    client.post(reverse("privacy:erasure_execute", args=[item.pk]), **EN)
    item.refresh_from_db()
    assert item.status == ErasureStatus.REFUSED
    client.logout()
    login(client, cast.user("employee"))
    assert "Loopt een geschil." in client.get(reverse("privacy:my_erasure"), **EN).content.decode()


def test_a_leaver_is_anonymised_at_once(cast: Cast) -> None:
    person = cast.a.people["manager"]
    Person.objects.filter(pk=person.pk).update(employment_end=date.today() - timedelta(days=10))
    person.refresh_from_db()
    item = erasure.erasure_file(person=person, reason="")
    erasure.erasure_execute(erasure=item, handler=cast.user("privacy_officer"))
    person.refresh_from_db()
    assert person.last_name == ANON_NAME and person.user_id is None
    assert not User.objects.get(pk=cast.user("manager").pk).is_active


def test_wrong_role_and_other_sector_are_refused(client: Client, cast: Cast) -> None:
    item = _file(client, cast)
    for role, expected in (("org_admin", 403), ("care_coordinator", 403), ("org_admin_b", 404)):
        client.logout()
        login(client, cast.user(role))
        assert client.get(reverse("privacy:erasure_detail", args=[item.pk])).status_code == expected, role
    other = Sector.objects.create(name="Mbo", slug="mbo")
    outsider = User.objects.create_user("admin@mbo.example.org", "x" * 20)
    Membership.objects.create(user=outsider, role="privacy_officer", sector=other)
    client.logout()
    login(client, outsider)
    assert client.get(reverse("privacy:erasure_detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("privacy:erasure_execute", args=[item.pk])).status_code == 404
    listing = client.get(reverse("privacy:erasure_list"), **EN)
    assert listing.status_code == 200 and str(item.person) not in listing.content.decode()
    item.refresh_from_db()
    assert item.status == ErasureStatus.REQUESTED


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **EN).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_keep_their_query_count(client: Client, cast: Cast) -> None:
    from vitaal.privacy.enforce import run_retention

    ErasureRequest.objects.create(person=cast.a.people["employee"], organisation=cast.a.organisation)
    run_retention(dry_run=True)
    login(client, cast.user("privacy_officer"))
    urls = [reverse("privacy:erasure_list"), reverse("privacy:retention")]
    first = [_count(client, u) for u in urls]
    for who in ("manager", "employee_b", "manager_b"):
        p = cast.user(who).person
        ErasureRequest.objects.create(person=p, organisation=p.organisation)
        run_retention(dry_run=True)
    assert [_count(client, u) for u in urls] == first

"""DESIGN rule 1 on rendered content: no employer-side role (and no one from another
organisation) gets an employee's request, referral outcome, evaluation or health-check
result from any portal page, export or the start page; the employee does."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from vitaal.care import services, workflow
from vitaal.core.testing import Cast, login

from . import access_portal
from .access_portal import build_portal_world, complete_request

pytestmark = pytest.mark.django_db

EMPLOYER_SIDE = [
    "manager",
    "hr",
    "company_doctor",
    "org_admin",
    "coordinator",
    "management",
    "works_council",
    "advisor",
]
OUTSIDERS = [*EMPLOYER_SIDE, *[f"{r}_b" for r in ["employee", *EMPLOYER_SIDE]]]
SECRETS = [
    "SECRET-DESCRIPTION-7391",
    "SECRET-REASON-5512",
    "SECRET-EVALUATION-8841",
    "SECRET-ACCEPT-3307",
    "28/100",  # the WHO-5 result
    "3/10",  # the work ability result
    "employee.a@example.org",
]
OBJECT_PAGES = {name for name, spec in access_portal.ACCESS.items() if spec.denied == 404}


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def secrets(cast: Cast) -> dict[str, dict[str, Any]]:
    """The employee's private things, and the URL kwargs of each portal page for them."""
    world = build_portal_world(cast)
    person = cast.a.people["employee"]
    user = cast.user("employee")
    open_request = workflow.care_request_submit(
        user=user, person=person, intervention=world.coaching, description="SECRET-DESCRIPTION-7391"
    )
    done = workflow.care_request_submit(user=user, person=person, intervention=world.yoga)
    complete_request(cast, done, world.balans)
    workflow.evaluation_submit(
        user=user, request=done, helped="no", grade=2, comment="SECRET-EVALUATION-8841"
    )
    # Referrals by the manager and the company doctor: one accepted, one declined.
    accepted = workflow.referral_create(
        referrer=cast.user("company_doctor"),
        person=person,
        intervention=world.coaching,
        referrer_role="company_doctor",
    )
    referred = workflow.referral_answer(
        user=user, referral=accepted, accept=True, description="SECRET-ACCEPT-3307"
    )
    assert referred is not None
    workflow.care_request_withdraw(user=user, request=referred, reason="SECRET-REASON-5512")
    declined = workflow.referral_create(
        referrer=cast.user("manager"), person=person, intervention=world.team_talk, referrer_role="manager"
    )
    workflow.referral_answer(user=user, referral=declined, accept=False)
    check = services.health_check_record(person=person, who5=[1, 2, 1, 2, 1], work_ability=3)
    pk = {
        "care:portal_health_check_detail": check.pk,
        "care:portal_health_check_delete": check.pk,
        "care:portal_request_detail": open_request.pk,
        "care:portal_request_withdraw": open_request.pk,
        "care:portal_request_evaluate": done.pk,
        "care:portal_referral_detail": declined.pk,
    }
    kwargs: dict[str, dict[str, Any]] = {}
    for name in access_portal.ACCESS:
        if name in pk:
            kwargs[name] = {"pk": pk[name]}
        elif name in ("care:portal_intervention", "care:portal_request_create"):
            kwargs[name] = {"pk": world.coaching.pk}
        else:
            kwargs[name] = {}
    # The referral details of the accepted referral and the withdrawn request too.
    kwargs["accepted referral"] = {"pk": accepted.pk}
    kwargs["withdrawn request"] = {"pk": referred.pk}
    return kwargs


def _urls(kwargs: dict[str, dict[str, Any]]) -> list[str]:
    urls = [reverse(name, kwargs=kw) for name, kw in kwargs.items() if name.startswith("care:")]
    urls.append(reverse("care:portal_referral_detail", kwargs=kwargs["accepted referral"]))
    urls.append(reverse("care:portal_request_detail", kwargs=kwargs["withdrawn request"]))
    urls.append(reverse("core:home"))
    return urls


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return response.content.decode()


def _contents(client, cast: Cast, role: str, urls: list[str]) -> dict[str, tuple[int, str]]:
    client.logout()
    login(client, cast.user(role))
    out = {}
    for url in urls:
        response = client.get(url)
        out[url] = (response.status_code, _text(response))
    return out


def test_the_employee_sees_their_own_private_things(client, cast, secrets) -> None:
    pages = _contents(client, cast, "employee", _urls(secrets))
    everything = " ".join(text for _status, text in pages.values())
    for secret in SECRETS[:-1]:
        assert secret in everything, secret
    assert all(status in (200, 302) for status, _text in pages.values())


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_other_role_sees_anything_private(client, cast, secrets, role: str) -> None:
    urls = _urls(secrets)
    for url, (_status, text) in _contents(client, cast, role, urls).items():
        for secret in SECRETS:
            assert secret not in text, f"{role} sees {secret!r} on {url}"
        assert "Declined" not in text and "You have answered" not in text, (
            f"{role}: referral outcome on {url}"
        )


@pytest.mark.parametrize("role", OUTSIDERS)
def test_object_pages_do_not_exist_for_anyone_else(client, cast, secrets, role: str) -> None:
    login(client, cast.user(role))
    for name in OBJECT_PAGES:
        assert client.get(reverse(name, kwargs=secrets[name])).status_code == 404, (role, name)
    for extra, name in (
        ("accepted referral", "care:portal_referral_detail"),
        ("withdrawn request", "care:portal_request_detail"),
    ):
        assert client.get(reverse(name, kwargs=secrets[extra])).status_code == 404, (role, extra)


def test_a_manager_with_own_requests_sees_only_their_own(client, cast, secrets) -> None:
    """The manager is an employee too: their own portal shows their things, not the team's."""
    world_coaching = secrets["care:portal_intervention"]["pk"]
    from vitaal.care.models import Intervention

    manager = cast.a.people["manager"]
    workflow.care_request_submit(
        user=cast.user("manager"),
        person=manager,
        intervention=Intervention.objects.get(pk=world_coaching),
        description="MANAGER-OWN-1",
    )
    login(client, cast.user("manager"))
    listing = client.get(reverse("care:portal_request_list"))
    assert [r.person for r, _e in listing.context["rows"]] == [manager]
    export = client.get(reverse("care:portal_export_json")).content.decode()
    assert "MANAGER-OWN-1" in export
    for secret in SECRETS:
        assert secret not in export

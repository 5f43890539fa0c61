"""A NUL byte anywhere in a request is answered with 400, never a 500: PostgreSQL refuses
NUL in text, so one that reaches a query fails it (RejectNulMiddleware).

Every URL pattern is requested, through the access tables of the URL x role meta-test
(test_url_access, which also fails when a pattern is missing from them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vitaal.core.testing import Cast, login
from vitaal.core.testing_access import LOGGED_IN
from vitaal.core.tests.test_url_access import (
    ALLAUTH_ANONYMOUS,
    ALLAUTH_KWARGS,
    MODULES,
)

pytestmark = pytest.mark.django_db

NUL_QUERY = "q=%00&search=%00&page=%00"
MESSAGE_EN = "The request contains a NUL character, which is not allowed."


def _user_for(spec: Any, cast: Cast) -> Any:
    """A staff user the URL is meant for (so the request would reach the view), else the
    organisation administrator."""
    allowed = sorted(role for role in spec.ok if role in LOGGED_IN and role != "employee")
    return cast.user(allowed[0] if allowed else "org_admin")


def _request(client: Client, method: str, url: str, spec: Any) -> int:
    kwargs: dict[str, Any] = {}
    if method != "get" and spec.data is not None:
        kwargs["data"] = spec.data
    if method != "get" and spec.content_type:
        kwargs["content_type"] = spec.content_type
    return int(getattr(client, method)(f"{url}?{NUL_QUERY}", **kwargs).status_code)


@pytest.mark.parametrize("module", list(MODULES))
def test_every_url_with_nul_in_the_query_answers_400(client: Client, cast: Cast, module: str) -> None:
    table = MODULES[module]
    if hasattr(table, "prepare"):
        table.prepare(cast)
    failures = []
    for name, spec in table.ACCESS.items():
        url = reverse(name, kwargs=spec.kwargs(cast))
        client.logout()
        login(client, _user_for(spec, cast))
        for method in {"get", spec.method}:
            status = _request(client, method, url, spec)
            if status != 400:
                failures.append(f"{method.upper()} {name} {url}: {status}")
    assert not failures, "\n".join(failures)


def test_every_allauth_url_with_nul_in_the_query_answers_400(client: Client, cast: Cast) -> None:
    failures = []
    for name in ALLAUTH_ANONYMOUS:
        url = reverse(name, kwargs=ALLAUTH_KWARGS.get(name, {}))
        client.logout()
        login(client, cast.user("org_admin"))
        response = client.get(f"{url}?{NUL_QUERY}")
        if response.status_code != 400:
            failures.append(f"{name} {url}: {response.status_code}")
        response = client.post(url, {"login": "x\x00", "password": "y"})
        if response.status_code != 400:
            failures.append(f"POST {name} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_answer_is_short_and_in_the_visitors_language(client: Client) -> None:
    english = client.get("/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and english.content.decode() == MESSAGE_EN
    dutch = client.get("/?q=%00", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 400 and "NUL" in dutch.content.decode()
    api = client.get("/api/v1/people/?search=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and api.json() == {"detail": MESSAGE_EN}


def test_nul_in_path_form_fields_json_and_cookies(client: Client, cast: Cast) -> None:
    login(client, cast.user("hr"))
    people = reverse("core:person_list", args=[cast.a.organisation.slug])
    assert client.get(people).status_code == 200
    assert client.get(people + "%00/").status_code == 400
    assert client.get(people + "?q=a%00b").status_code == 400
    assert client.get(people + "?q%00=x").status_code == 400  # in a parameter's name too
    assert client.post(people, {"q": "a\x00b"}).status_code == 400
    upload = SimpleUploadedFile("people.csv", b"a,b\n", content_type="text/csv")
    assert client.post(people, {"file\x00": upload}).status_code == 400
    json_body = {"first_name": "A\x00"}
    assert client.post("/api/v1/people/", json_body, content_type="application/json").status_code == 400
    assert client.get(people, HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"').status_code == 400


def test_file_content_with_nul_is_not_refused(client: Client, cast: Cast) -> None:
    """Binary uploads (spreadsheets) contain NUL bytes; only their names are checked (the
    people list takes no POST: 405 shows the request got past the middleware)."""
    login(client, cast.user("hr"))
    people = reverse("core:person_list", args=[cast.a.organisation.slug])
    upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04\x00\x00binary", content_type="application/zip")
    assert client.post(people, {"file": upload}).status_code == 405

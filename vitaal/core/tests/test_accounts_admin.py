"""The Django admin has no login form of its own: anonymous visitors get the site's login
(with two-step login and the lockout), logged-in users without admin rights a 403."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from vitaal.core.models import User
from vitaal.core.testing import TEST_PASSWORD, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser("operator@example.org", TEST_PASSWORD)


def test_anonymous_visitor_is_sent_to_the_site_login(client):
    response = client.get("/beheer/login/?next=/beheer/core/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fbeheer%2Fcore%2Fuser%2F"
    followed = client.get("/beheer/", follow=True)
    assert followed.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert followed.status_code == 200 and b'name="login"' in followed.content


def test_next_to_another_site_is_dropped(client):
    response = client.get("/beheer/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=%2Fbeheer%2F"


def test_the_admin_password_form_is_gone(client, operator):
    response = client.post(
        "/beheer/login/", {"username": operator.email, "password": TEST_PASSWORD, "next": "/beheer/"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_logged_in_user_without_admin_rights_gets_403(client, cast):
    login(client, cast.user("org_admin"))
    assert client.get("/beheer/login/?next=/beheer/").status_code == 403


def test_operator_with_two_step_login_reaches_the_admin(client, operator):
    login(client, operator)
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200

"""The demo is for demo mode only (DEBUG and VITAAL_DEMO): the command refuses otherwise,
and its published password opens nothing outside it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from vitaal.core.access import get_actor
from vitaal.core.demo import DEMO_DOMAIN, DEMO_MODE_REFUSAL, DEMO_PASSWORD, build_demo
from vitaal.core.models import Organisation, User

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@pytest.mark.parametrize(("debug", "demo"), [(False, False), (False, True), (True, False)])
def test_demo_command_refuses_outside_demo_mode(settings, debug, demo):
    settings.DEBUG, settings.DEMO_MODE = debug, demo
    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("demo", people=60, organisations=1)
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_vitaal_demo_exits_non_zero_under_the_production_profile(tmp_path):
    database = tmp_path / "prod.sqlite3"
    env = {
        **os.environ,
        "VITAAL_PROFILE": "production",
        "SECRET_KEY": "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "vitaal.example.org",
        "DATABASE_URL": f"sqlite:///{database}",
        "VITAAL_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "vitaal.settings",
        "DEBUG": "false",
        "VITAAL_DEMO": "true",
    }
    done = subprocess.run(
        [sys.executable, "-m", "vitaal.cli", "demo", "--organisations", "1", "--people", "60"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert DEMO_MODE_REFUSAL in " ".join(done.stderr.split())
    # Nothing was created: not even the tables.
    if database.exists():
        with sqlite3.connect(database) as db:
            tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tables == []


@pytest.mark.django_db
def test_every_demo_staff_account_has_an_authenticator(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(people=60, organisations=1)
    demo_users = list(User.objects.filter(email__endswith="@" + DEMO_DOMAIN))
    staff = [u for u in demo_users if get_actor(u).needs_mfa()]
    employees = [u for u in demo_users if not get_actor(u).needs_mfa()]
    assert len(staff) >= 12 and employees
    with_totp = set(Authenticator.objects.filter(type="totp").values_list("user_id", flat=True))
    assert {u.email for u in staff if u.pk not in with_totp} == set()
    assert {u.pk for u in employees} & with_totp == set()


@pytest.mark.django_db
def test_demo_password_logs_in_only_in_demo_mode(settings, cast):
    user = cast.user("employee")
    user.set_password(DEMO_PASSWORD)
    user.save()
    settings.DEBUG, settings.DEMO_MODE = False, True
    response = Client().post(reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    settings.DEBUG = True
    response = Client().post(reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302

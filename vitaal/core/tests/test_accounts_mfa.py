"""Two-step login: required for every membership role, voluntary for employees, and its
secrets encrypted at rest."""

from __future__ import annotations

import importlib
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from vitaal.core.access import get_actor
from vitaal.core.mfa import PREFIX
from vitaal.core.roles import MFA_ROLES, Role
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES, TEST_PASSWORD, login

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
migration = importlib.import_module("vitaal.core.migrations.0005_encrypt_mfa_secrets")


def code_for(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def raw_data(user) -> list[str]:
    """The authenticators' data column as the database holds it, not through allauth."""
    table = Authenticator._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE user_id = %s", [user.pk])  # noqa: S608
        return [str(row[0]) for row in cursor.fetchall()]


def password_then_code(client: Client, user, secret: str) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_every_role_but_the_employee_requires_mfa():
    # Derived from Role, so a role added later is in without being listed.
    assert set(MFA_ROLES) == {role.value for role in Role} - {Role.EMPLOYEE}


@pytest.mark.parametrize("role", [r for r in ORG_ROLES + SECTOR_ROLES if r != "employee"])
def test_staff_role_without_mfa_is_sent_to_set_it_up(client, cast, role):
    user = cast.user(role)
    assert get_actor(user).needs_mfa()
    login(client, user, mfa=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_employee_sets_up_two_step_login_voluntarily(client, cast):
    user = cast.user("employee")
    login(client, user, mfa=False)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = re.search(r"\b([A-Z2-7]{32})\b", page.content.decode())
    assert secret, "the set-up page shows the secret for typing in"
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret.group(1))})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert all(secret.group(1) not in data for data in raw_data(user))
    client.logout()
    from django.core.cache import cache

    cache.clear()  # the code just used may not be used twice within its period
    password_then_code(Client(), user, secret.group(1))


def test_totp_secret_is_encrypted_in_the_database_and_login_still_works(cast):
    user = cast.user("hr")
    TOTP.activate(user, SECRET)
    RecoveryCodes.activate(user)
    stored = raw_data(user)
    assert len(stored) == 2
    for data in stored:
        assert SECRET not in data
        assert PREFIX in data
    seed = Authenticator.objects.get(user=user, type="recovery_codes").data["seed"]
    assert seed.startswith(PREFIX)
    password_then_code(Client(), user, SECRET)


def test_recovery_codes_work_after_encryption(cast):
    user = cast.user("hr")
    TOTP.activate(user, SECRET)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_migration_encrypts_plain_secrets_once(cast):
    user = cast.user("company_doctor")
    totp = TOTP.activate(user, SECRET).instance
    recovery = RecoveryCodes.activate(user).instance
    plain_seed = "ab" * 40
    # As allauth stored them before the adapter encrypted anything.
    Authenticator.objects.filter(pk=totp.pk).update(data={"secret": SECRET})
    Authenticator.objects.filter(pk=recovery.pk).update(
        data={"seed": plain_seed, "used_mask": 0, "migrated_codes": ["12345678"]}
    )
    migration.encrypt(apps, None)
    once = {a.pk: a.data for a in Authenticator.objects.filter(user=user)}
    for data in raw_data(user):
        assert SECRET not in data and plain_seed not in data and "12345678" not in data
    migration.encrypt(apps, None)  # idempotent: encrypted values are recognised
    assert {a.pk: a.data for a in Authenticator.objects.filter(user=user)} == once
    password_then_code(Client(), user, SECRET)
    migration.decrypt(apps, None)  # and reversible
    assert Authenticator.objects.get(pk=totp.pk).data == {"secret": SECRET}


def test_other_key_cannot_read_the_secrets(cast, settings):
    from vitaal.core.mfa import decrypt_secret, encrypt_secret

    stored = encrypt_secret(SECRET)
    settings.MFA_ENCRYPTION_KEY = "a-dedicated-key-for-two-step-login-secrets-0123456789"
    # The old key (derived from SECRET_KEY) is still accepted for reading ...
    assert decrypt_secret(stored) == SECRET
    rotated = encrypt_secret(SECRET)
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-abcdefghijklmnop"
    settings.MFA_ENCRYPTION_KEY = "yet-another-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    from django.core.exceptions import ImproperlyConfigured

    # ... but without the right key nothing is readable.
    with pytest.raises(ImproperlyConfigured):
        decrypt_secret(rotated)

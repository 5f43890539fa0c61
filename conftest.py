"""Project-wide pytest fixtures."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Browser fixtures (system Chromium, axe-core, cast with TOTP) for every app's journeys.
pytest_plugins = ["vitaal.core.testing_browser"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    # Argon2 is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "reports", "imports"],
        }
    }


@pytest.fixture
def cast(db):
    from vitaal.core.testing import build_cast

    return build_cast()


def _open_purge_gate(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET vitaal.retention_purge = 'on'")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Test teardown empties tables, which the access-log trigger refuses on PostgreSQL.
    Test connections therefore open the retention gate (the production path is
    vitaal.core.audit.purge_gate); the trigger test closes it again for itself."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_open_purge_gate)
    with django_db_blocker.unblock():
        for conn in connections.all():
            if conn.connection is not None:
                _open_purge_gate(None, conn)

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

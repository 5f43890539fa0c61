"""Start gunicorn for benchmark, load and fault runs, and log users in without a browser.

One setup for every measurement: the floor and the product pages are served by the same
gunicorn processes, with the same settings (``bench.settings``), against the same database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a benchmark server: production-like (no DEBUG), local hosts."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "VITAAL_DEMO": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def wait_until_up(base_url: str, timeout: float = 60.0) -> None:
    """Poll the floor page until it answers 200 or the timeout passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/bench/floor/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer on {base_url} within {timeout:.0f} s")
        time.sleep(0.2)


@contextmanager
def gunicorn(
    database_url: str,
    port: int,
    *,
    workers: int = 2,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Run ``gunicorn vitaal.wsgi`` with the bench settings; yield its base URL."""
    args = [
        str(GUNICORN),
        "vitaal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--chdir",
        str(ROOT),
    ]
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        args, env=server_env(database_url, **(extra_env or {})), stdout=log, stderr=log
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log_path:
            log.close()  # type: ignore[union-attr]


def session_cookie(email: str) -> str:
    """A logged-in session (password and second step done) for the user with this e-mail,
    stored in the database the calling process is configured for; returns the cookie value.

    Logging in through the login form would measure argon2, not the pages; the session is
    the same one a real login leaves behind.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from vitaal.core.testing import login

    user = get_user_model().objects.get(email=email)
    client = login(Client(), user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value

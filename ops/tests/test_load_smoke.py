"""A tiny load run: locust with a few users for a few seconds against gunicorn on the test
database. The real run (100 users, 60 s, sector scale) is `make load`."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from django.db import connection

from ops.load import run as load_run
from ops.load.plan import build_plan

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn must reach the test database; SQLite test databases live in memory")
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def test_a_few_users_for_a_few_seconds_get_no_errors(cast, tmp_path) -> None:
    if not (Path(sys.executable).parent / "locust").exists():  # importing it would patch this process
        pytest.skip("locust (the load group) is installed by `make test-env`")
    url = database_url()
    plan = build_plan(employees=5)
    assert plan["employees"] and plan["staff"]
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    args = load_run.parse(
        ["--database-url", url, "--users", "10", "--spawn-rate", "10", "--duration", "4", "--port",
         str(free_port()), "--workers", "1", "--threads", "2", "--wait", "0.1", "0.3",
         "--max-requests", "400", "--out", str(tmp_path)]
    )  # fmt: skip
    summary = load_run.run(args)
    assert summary is not None
    assert summary["requests"] > 10 and summary["errors"] == 0
    assert "floor" in summary["pages"] and "employee: portal start" in summary["pages"]

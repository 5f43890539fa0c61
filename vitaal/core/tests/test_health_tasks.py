"""``/healthz?tasks=1``: the task-queue backlog for monitoring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vitaal.core import tasks


@pytest.mark.django_db
def test_healthz_reports_the_task_backlog_on_request(client):
    assert client.get("/healthz?tasks=1").json()["tasks"] == {
        "queued": 0,
        "running": 0,
        "oldest_queued_seconds": None,
    }
    first = tasks.clear_expired_sessions.enqueue()
    tasks.prune_task_results.enqueue()
    DBTaskResult.objects.filter(id=first.id).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz?tasks=1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["tasks"]["queued"] == 2 and body["tasks"]["running"] == 0
    assert 299 <= body["tasks"]["oldest_queued_seconds"] <= 330
    assert len(queries) == 3
    assert "tasks" not in client.get("/healthz").json(), "load balancers keep the short answer"

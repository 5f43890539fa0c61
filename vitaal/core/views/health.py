from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def task_backlog() -> dict[str, Any] | None:
    """Tasks waiting for a worker and how long the oldest has waited (database backend only)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().aggregate(queued=Count("id"), oldest=Min("enqueued_at"))
    running = DBTaskResult.objects.running().count()
    oldest = waiting["oldest"]
    age = None if oldest is None else max(0, round((timezone.now() - oldest).total_seconds()))
    return {"queued": waiting["queued"], "running": running, "oldest_queued_seconds": age}


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring.

    ``?tasks=1`` adds the task-queue backlog for monitoring (a growing backlog or an old
    oldest task means the workers are down or too few); the status code stays about the
    database only, so a load balancer never takes app servers out for a slow queue.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = task_backlog() if request.GET.get("tasks") else None
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    body: dict[str, Any] = {"status": "ok", "database": "ok"}
    if tasks is not None:
        body["tasks"] = tasks
    return JsonResponse(body)

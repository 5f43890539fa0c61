"""``vitaal periodic``: enqueue the periodic jobs that are due (see vitaal.core.tasks), after
putting tasks abandoned by a killed worker back in the queue (see vitaal.core.workers)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from vitaal.core.models import PeriodicRun
from vitaal.core.tasks import PERIODIC_JOBS
from vitaal.core.workers import recover_abandoned_tasks


def enqueue_due_jobs(now: Any = None) -> list[str]:
    """Enqueue every periodic job whose interval has passed; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for path, interval in PERIODIC_JOBS:
        with transaction.atomic():
            run = PeriodicRun.objects.select_for_update().filter(job=path).first()
            if run is not None and now - run.last_enqueued_at < interval:
                continue
            import_string(path).enqueue()
            PeriodicRun.objects.update_or_create(job=path, defaults={"last_enqueued_at": now})
            enqueued.append(path)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue periodic jobs that are due. Run from cron/systemd, or with --loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="keep running, checking every --interval seconds"
        )
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            for task_id in recover_abandoned_tasks():
                self.stdout.write(f"requeued abandoned task {task_id}")
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if not opts["loop"]:
                return
            time.sleep(opts["interval"])

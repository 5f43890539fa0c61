"""The nightly retention job (listed in vitaal.core.tasks.PERIODIC_JOBS)."""

from __future__ import annotations

from django_tasks import task


@task()
def enforce_retention() -> int:
    """Apply the retention table; returns the run's id. Running it twice is harmless."""
    from vitaal.privacy.enforce import run_retention

    return run_retention().pk

"""Background jobs of the care app (django-tasks; see ``vitaal/core/tasks.py``)."""

from __future__ import annotations

from django_tasks import task


@task()
def decide_collective_activities_job() -> int:
    """Go or no-go for collective activities whose enrolment deadline has passed."""
    from vitaal.care.collective import decide_collective_activities

    return len(decide_collective_activities())

"""Background jobs of the indicators app (django-tasks; see ``vitaal/core/tasks.py``)."""

from __future__ import annotations

from django_tasks import task

from vitaal.indicators.computed import compute_pillar_indicators


@task()
def compute_indicators() -> dict[str, int]:
    """Recompute the indicators that come from the other pillars (care uptake, WHO-5)."""
    return compute_pillar_indicators()

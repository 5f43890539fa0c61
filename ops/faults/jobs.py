"""The job used to show that a killed worker's task runs again to an identical result:
``vitaal.indicators.tasks.compute_indicators`` (it writes measurement rows, one organisation
and indicator at a time, each in its own transaction, and keeps history)."""

from __future__ import annotations

from typing import Any

JOB = "vitaal.indicators.tasks.compute_indicators"


def computed_indicators() -> dict[str, Any]:
    """What the job leaves behind: the current computed values, and how many computed rows
    exist in all (history included, so a rerun that stored duplicates would show)."""
    from vitaal.indicators.models import Measurement
    from vitaal.indicators.models.library import Source

    computed = Measurement.objects.filter(source=Source.COMPUTED)
    current = sorted(
        (org, unit or 0, code, period.isoformat(), str(value), size)
        for org, unit, code, period, value, size in computed.filter(is_current=True).values_list(
            "organisation_id", "unit_id", "indicator__code", "period_start", "value", "group_size"
        )
    )
    return {"rows": computed.count(), "current": current}


def forget_computed_indicators() -> None:
    """Remove every computed measurement, so that the job starts from the same state."""
    from vitaal.indicators.models import Measurement
    from vitaal.indicators.models.library import Source

    computed = Measurement.objects.filter(source=Source.COMPUTED)
    computed.update(replaces=None)
    computed.delete()

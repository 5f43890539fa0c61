"""Minimum cell sizes: per data class, set on the sector, frozen per reporting period.

The only part of disclosure control that touches Django models; it imports them when
called."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vitaal.core.models import ReportingPeriod, Sector

DEFAULT_THRESHOLDS: dict[str, int] = {"care": 10, "survey": 5, "free_text": 10}


# --------------------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------------------


def threshold_for(sector: Sector, data_class: str, period: ReportingPeriod | None = None) -> int:
    """The minimum cell size for a kind of data: the period's frozen value if it has one
    (a report about a closed period never reveals more after a later settings change),
    otherwise the sector's current setting, otherwise the default."""
    from vitaal.core.models.organisation import DataClass

    data_class = str(data_class)
    if data_class not in DataClass.values:
        raise ValueError(f"Unknown data class {data_class!r}.")
    if period is not None and sector is not None:
        period_sector = getattr(period, "sector_id", None)
        if period_sector is not None and sector.pk is not None and period_sector != sector.pk:
            raise ValueError("The reporting period belongs to another sector.")
    if period is not None and period.frozen_thresholds:
        frozen = period.frozen_thresholds.get(data_class)
        if frozen:
            return int(frozen)
    current = sector.thresholds().get(data_class) if sector is not None else None
    return int(current) if current else DEFAULT_THRESHOLDS[data_class]


def freeze_period(period: ReportingPeriod) -> None:
    """Record the sector's current thresholds in the period, once. A frozen period is
    never changed again, also when two processes freeze it at the same moment."""
    from django.utils import timezone

    from vitaal.core.models.organisation import ReportingPeriod

    if period.frozen_thresholds is not None:
        return
    thresholds = {str(key): int(value) for key, value in period.sector.thresholds().items()}
    now = timezone.now()
    if period.pk is None:
        period.frozen_thresholds, period.frozen_at = thresholds, now
        period.save()
        return
    # A conditional update, so a concurrent freeze that won first is never overwritten.
    ReportingPeriod.objects.filter(pk=period.pk, frozen_thresholds__isnull=True).update(
        frozen_thresholds=thresholds, frozen_at=now
    )
    period.refresh_from_db(fields=["frozen_thresholds", "frozen_at"])

"""The job that makes the care releases of a quarter that has just closed.

``generate_quarterly_reports`` runs often (the lead lists it in ``PERIODIC_JOBS``, daily
is plenty) and does something only once per quarter: for the last closed quarter it makes
the sector's care release of that quarter, of the twelve months to its end and, after the
fourth quarter, of the calendar year. A release is made once and never replaced
(``vitaal.core.releases``), so running twice, or a later change of settings, leaves what
was published as it was. Pages ask for releases of older periods the same way, so nothing
depends on this job having run; it only means the first reader does not wait.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from vitaal.care.release import DOMAIN, care_release
from vitaal.care.usage import as_period
from vitaal.core.models import Release, Sector
from vitaal.core.releases import ReleasePeriod, last_closed_quarter


def periods_closing_with(quarter: ReleasePeriod) -> list[ReleasePeriod]:
    """The periods that end with ``quarter``."""
    periods = [quarter, ReleasePeriod.twelve_months_to(quarter.year, quarter.quarter)]
    if quarter.quarter == 4:
        periods.append(ReleasePeriod.of_year(quarter.year))
    return periods


def store_reports(
    quarter: ReleasePeriod, sectors: list[Sector] | None = None, *, today: date | None = None
) -> int:
    """Make the releases that close with ``quarter`` where missing; returns how many were new."""
    quarter = as_period(quarter)
    created = 0
    for sector in sectors if sectors is not None else Sector.objects.all():
        made = Release.objects.filter(sector=sector, domain=DOMAIN)
        before = made.count()
        for period in periods_closing_with(quarter):
            care_release(sector, period, today=today)
        # A longer period brings the quarters inside it that were not released yet.
        created += made.count() - before
    return created


def last_complete_quarter(today: date | None = None) -> ReleasePeriod:
    return last_closed_quarter(today or timezone.localdate())


@task()
def generate_quarterly_reports() -> int:
    """Make the releases of the last closed quarter (only those still missing)."""
    return store_reports(last_complete_quarter())

"""The quarterly job that stores usage reports.

``generate_quarterly_reports`` runs often (the lead lists it in ``PERIODIC_JOBS``, daily
is plenty) and does something only once per quarter: for the last complete quarter it
freezes the sector's disclosure thresholds for that period and stores the report of every
active organisation and the sector benchmark. A stored report is never replaced, so a run
twice, or a later change of settings, leaves what was published as it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from vitaal.care.models import ReportKind, UsageReport
from vitaal.care.usage import Quarter, organisation_report, reporting_period, sector_report
from vitaal.core.disclosure import freeze_period
from vitaal.core.models import Organisation, ReportingPeriod, Sector


def store_reports(quarter: Quarter, sectors: list[Sector] | None = None) -> int:
    """Store the reports of a quarter that are not stored yet; returns how many were new."""
    created = 0
    for sector in sectors if sectors is not None else Sector.objects.all():
        period = reporting_period(sector, quarter)
        freeze_period(period)
        exists = UsageReport.objects.filter(year=quarter.year, quarter=quarter.quarter)
        done_orgs = set(
            exists.filter(sector=sector, organisation__isnull=False).values_list("organisation_id", flat=True)
        )
        for organisation in Organisation.objects.filter(sector=sector, is_active=True).select_related(
            "sector"
        ):
            if organisation.pk in done_orgs:
                continue
            created += _store(
                sector, organisation, quarter, period, organisation_report(organisation, quarter)
            )
        if not exists.filter(sector=sector, organisation__isnull=True).exists():
            created += _store(sector, None, quarter, period, sector_report(sector, quarter))
    return created


def _store(
    sector: Sector,
    organisation: Organisation | None,
    quarter: Quarter,
    period: ReportingPeriod,
    data: dict[str, Any],
) -> int:
    try:
        with transaction.atomic():
            UsageReport.objects.create(
                sector=sector,
                organisation=organisation,
                kind=ReportKind.ORGANISATION if organisation else ReportKind.SECTOR,
                year=quarter.year,
                quarter=quarter.quarter,
                period=period,
                data=data,
            )
    except IntegrityError:  # another worker stored it first: theirs stands
        return 0
    return 1


def last_complete_quarter(today: date | None = None) -> Quarter:
    return Quarter.containing(today or timezone.localdate()).previous()


@task()
def generate_quarterly_reports() -> int:
    """Store the reports of the last complete quarter (only those still missing)."""
    return store_reports(last_complete_quarter())

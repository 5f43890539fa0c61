"""Protected releases: the one place figures about groups of people are published from.

A release belongs to a sector, a domain (``care``: care usage, spend and health checks)
and a closed period: a quarter, a calendar year, or the twelve months ending with a
quarter. The pillar that owns the domain builds its figures — all populations at once,
protected jointly (``vitaal.core.disclosure.linked``) — and this module stores them the
first time anyone asks, with the period's frozen threshold, and never again. A period
still running has no release: one event must not be able to move what an employer-side
role sees, and a closed period cannot change.

Core knows nothing about what a domain contains; the pillar passes its builder in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.disclosure import freeze_period, threshold_for
from vitaal.core.models import PeriodKind, Release, ReportingPeriod, Sector


class PeriodRunning(Exception):
    """The period has not ended: nothing about it is released yet."""


@dataclass(frozen=True)
class ReleasePeriod:
    """A period a release can be made for. ``year`` and ``quarter`` name its last
    quarter, so counting code written for quarters reads any period."""

    kind: str
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.kind not in PeriodKind.values:
            raise ValueError("No such kind of period.")
        if not (2000 <= self.year <= 2100 and 1 <= self.quarter <= 4):
            raise ValueError("No such period.")
        if self.kind == PeriodKind.YEAR and self.quarter != 4:
            raise ValueError("A year ends with its fourth quarter.")

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> ReleasePeriod:
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def of_year(cls, year: int) -> ReleasePeriod:
        return cls(PeriodKind.YEAR, year, 4)

    @classmethod
    def twelve_months_to(cls, year: int, quarter: int) -> ReleasePeriod:
        return cls(PeriodKind.ROLLING, year, quarter)

    @property
    def end(self) -> date:
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * self.quarter - 2, 1)
        after = self.end + timedelta(days=1)  # the same day one year earlier
        return date(after.year - 1, after.month, after.day)

    @property
    def label(self) -> str:
        """A stable code, also the reporting period's label: ``2026-Q3``, ``2026``,
        ``2026-Q3-12m``."""
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.quarter}"
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}"
        return f"{self.year}-Q{self.quarter}-12m"

    def describe(self) -> str:
        """The period in words, in the active language."""
        if self.kind == PeriodKind.QUARTER:
            return _("quarter %(quarter)s of %(year)s") % {"quarter": self.quarter, "year": self.year}
        if self.kind == PeriodKind.YEAR:
            return _("the year %(year)s") % {"year": self.year}
        return _("the twelve months to the end of quarter %(quarter)s of %(year)s") % {
            "quarter": self.quarter,
            "year": self.year,
        }

    def is_closed(self, today: date) -> bool:
        return self.end < today

    @classmethod
    def parse(cls, code: str) -> ReleasePeriod:
        """The inverse of :attr:`label`; ValueError for anything else."""
        parts = code.split("-")
        try:
            if len(parts) == 1:
                return cls.of_year(int(parts[0]))
            year, quarter = int(parts[0]), int(parts[1].removeprefix("Q"))
            if not parts[1].startswith("Q"):
                raise ValueError(code)
            if len(parts) == 2:
                return cls.of_quarter(year, quarter)
            if len(parts) == 3 and parts[2] == "12m":
                return cls.twelve_months_to(year, quarter)
        except (TypeError, ValueError):
            pass
        raise ValueError(f"Not a period: {code!r}")


def last_closed_quarter(today: date) -> ReleasePeriod:
    """The latest quarter that ended before ``today``."""
    quarter = (today.month - 1) // 3 + 1
    if quarter == 1:
        return ReleasePeriod.of_quarter(today.year - 1, 4)
    return ReleasePeriod.of_quarter(today.year, quarter - 1)


def closed_periods(today: date, *, first_year: int) -> list[ReleasePeriod]:
    """Every period with a release possible, newest first: twelve months to each closed
    quarter, each closed year, each closed quarter, back to ``first_year``."""
    last = last_closed_quarter(today)
    out: list[ReleasePeriod] = []
    year, quarter = last.year, last.quarter
    while year >= first_year:
        out.append(ReleasePeriod.twelve_months_to(year, quarter))
        if quarter == 4:
            out.append(ReleasePeriod.of_year(year))
        out.append(ReleasePeriod.of_quarter(year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


Builder = Callable[[Sector, ReleasePeriod, int], dict[str, Any]]


def release_get(
    *, sector: Sector, domain: str, period: ReleasePeriod, build: Builder, today: date | None = None
) -> Release:
    """The release of a closed period, made the first time it is asked for.

    Raises :class:`PeriodRunning` for a period that has not ended. The threshold is the
    period's frozen one, so a later change of the sector's setting cannot make a release
    show more than it did.
    """
    today = today or timezone.localdate()
    if not period.is_closed(today):
        raise PeriodRunning(period.label)
    found = Release.objects.filter(sector=sector, domain=domain, kind=period.kind, start=period.start).first()
    if found is not None:
        return found
    reporting, _created = ReportingPeriod.objects.get_or_create(
        sector=sector, label=period.label, defaults={"start": period.start, "end": period.end}
    )
    freeze_period(reporting)
    k = threshold_for(sector, "care", reporting)
    data = build(sector, period, k)
    try:
        with transaction.atomic():
            return Release.objects.create(
                sector=sector,
                domain=domain,
                kind=period.kind,
                start=period.start,
                end=period.end,
                period=reporting,
                threshold=k,
                data=data,
                released_on=today,
            )
    except IntegrityError:  # another worker made it first: theirs stands
        return Release.objects.get(sector=sector, domain=domain, kind=period.kind, start=period.start)

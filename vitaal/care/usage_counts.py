"""Who the usage report counts, and the counting itself: quarters, age bands, and the
queries that return each quarter's users, delivered care, evaluations and headcounts as
grouped numbers. Nothing here is protected yet: ``vitaal.care.usage`` passes every figure
through disclosure control before it leaves the care app (the rules on who counts are in
its docstring and docs/care-reporting.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from vitaal.care.models import ChainStage, DeliverySession, Evaluation, RequestStatus
from vitaal.care.models.catalog import STAGE_FIELDS
from vitaal.core.models import Gender, Person

UNKNOWN = "unknown"
AGE_BANDS = ("<35", "35-44", "45-54", "55+")
NOT_COUNTED = (RequestStatus.REJECTED, RequestStatus.WITHDRAWN)


# --- Periods ----------------------------------------------------------------------------


class Span(Protocol):
    """Any period the counts can be made for: a quarter, a year, twelve months."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not (2000 <= self.year <= 2100 and 1 <= self.quarter <= 4):
            raise ValueError("No such quarter.")

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)


def current_quarter() -> Quarter:
    return Quarter.containing(timezone.localdate())


def age_band(birth_year: int | None, on: date) -> str:
    if not birth_year:
        return UNKNOWN
    age = on.year - birth_year
    if age < 35:
        return "<35"
    if age < 45:
        return "35-44"
    if age < 55:
        return "45-54"
    return "55+"


# --- Reading the data (a fixed number of queries, however many requests) ----------------
# The counting happens in the database (GROUP BY, and a window function for "the first
# request" and "the latest evaluation" of each employee), so what comes back is a few
# hundred grouped rows however many thousands of requests the quarter holds.


def moments(first: date, last: date) -> tuple[datetime, datetime]:
    """[midnight starting ``first``, midnight after ``last``) in the site's time zone: the
    same days as a ``created_at__date`` range, but a range an index on ``created_at`` serves."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def counted_requests(organisation_ids: list[int], first: date, last: date) -> QuerySet[Any]:
    from vitaal.care.models import CareRequest

    low, high = moments(first, last)
    return CareRequest.objects.filter(
        organisation_id__in=organisation_ids, created_at__gte=low, created_at__lt=high
    ).exclude(status__in=NOT_COUNTED)


@dataclass(frozen=True)
class UserGroup:
    """``count`` users who share every attribute the report breaks down by."""

    organisation_id: int
    theme: str
    intervention: str
    chain_stage: str
    function_group: str
    gender: str
    age_band: str
    count: int


def _stage_of(row: Mapping[str, Any]) -> str:
    for stage, field in STAGE_FIELDS.items():
        if row[f"intervention__{field}"]:
            return str(stage)
    return str(ChainStage.PREVENTION)


def users(organisation_ids: list[int], quarter: Span) -> list[UserGroup]:
    """The quarter's users, grouped by everything the report breaks them down by; each
    employee once, with the theme, intervention and stage of their first request."""
    from vitaal.care.models import CareRequest

    first_requests = (
        counted_requests(organisation_ids, quarter.start, quarter.end)
        .annotate(nth=Window(RowNumber(), partition_by=[F("person_id")], order_by=[F("created_at"), F("pk")]))
        .filter(nth=1)
        .values("pk")
    )
    stage_fields = [f"intervention__{field}" for field in STAGE_FIELDS.values()]
    rows = (
        CareRequest.objects.filter(pk__in=first_requests)
        .values(
            "organisation_id",
            "intervention_id",
            "intervention__theme",
            "person__gender",
            "person__birth_year",
            "person__function_group__code",
            *stage_fields,
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: Counter[UserGroup] = Counter()
    for row in rows:
        gender = row["person__gender"]
        group = UserGroup(
            organisation_id=row["organisation_id"],
            theme=row["intervention__theme"],
            intervention=str(row["intervention_id"]),
            chain_stage=_stage_of(row),
            function_group=row["person__function_group__code"] or UNKNOWN,
            gender=UNKNOWN if gender in (None, "", Gender.UNKNOWN) else gender,
            age_band=age_band(row["person__birth_year"], quarter.end),
            count=0,
        )
        groups[group] += row["n"]  # birth years fall together in one age band
    return [replace(group, count=n) for group, n in groups.items()]


def user_count(organisation_ids: list[int], quarter: Span) -> int:
    requests = counted_requests(organisation_ids, quarter.start, quarter.end)
    return requests.values("person_id").distinct().count()


def delivered(organisation_ids: list[int], quarter: Span) -> tuple[Counter[str], dict[str, Decimal]]:
    """Employees with a session in the quarter per theme, and the cost per theme."""
    rows = (
        DeliverySession.objects.filter(
            request__organisation_id__in=organisation_ids, date__gte=quarter.start, date__lte=quarter.end
        )
        .values("request__intervention__theme")
        .annotate(people=Count("request__person_id", distinct=True), cost=Sum("cost"))
        .order_by()
    )
    people: Counter[str] = Counter()
    costs: dict[str, Decimal] = {}
    for row in rows:
        theme = row["request__intervention__theme"]
        people[theme] = row["people"]
        costs[theme] = Decimal(row["cost"] or 0)
    return people, costs


def evaluations(organisation_ids: list[int], quarter: Span) -> list[tuple[str, int, str, int]]:
    """Each employee's latest evaluation in the quarter, counted per (theme, grade, helped)."""
    low, high = moments(quarter.start, quarter.end)
    latest = (
        Evaluation.objects.filter(
            request__organisation_id__in=organisation_ids, created_at__gte=low, created_at__lt=high
        )
        .annotate(
            nth=Window(
                RowNumber(),
                partition_by=[F("request__person_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(nth=1)
        .values("pk")
    )
    rows = (
        Evaluation.objects.filter(pk__in=latest)
        .values("request__intervention__theme", "grade", "helped")
        .annotate(n=Count("pk"))
        .order_by("request__intervention__theme", "grade", "helped")
    )
    return [(row["request__intervention__theme"], row["grade"], row["helped"], row["n"]) for row in rows]


def headcount(organisation_ids: list[int], day: date) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Person.objects.filter(organisation_id__in=organisation_ids)
        .employed_on(day)
        .values("organisation_id")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(organisation_ids, 0)
    counts.update({row["organisation_id"]: row["n"] for row in rows})
    return counts

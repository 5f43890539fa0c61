"""Who the usage report counts, and the counting itself: quarters, age bands, and the
queries that return a period's users, delivered care, evaluations, health checks,
insurer rows and headcounts as grouped numbers, per organisation and unit. Nothing here
is protected yet: ``vitaal.care.release`` protects every figure before it leaves the care
app (the rules on who counts are in ``vitaal.care.usage`` and docs/care-reporting.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from vitaal.care.models import (
    ChainStage,
    DeliverySession,
    Evaluation,
    HealthCheck,
    InsurerUsageRow,
    RequestStatus,
)
from vitaal.care.models.catalog import STAGE_FIELDS
from vitaal.core.models import Gender, PeriodKind, Person
from vitaal.core.releases import ReleasePeriod

UNKNOWN = "unknown"
# What the insurer's rows are broken down by.
INSURER_DIMENSIONS = ("theme", "function_group", "gender", "age_band")
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


# --- Per organisation and unit, for the care release -----------------------------------


def delivered_by_organisation(
    org_ids: list[int], period: ReleasePeriod
) -> tuple[dict[int, Counter[str]], dict[int, dict[str, Decimal]]]:
    rows = (
        DeliverySession.objects.filter(
            request__organisation_id__in=org_ids, date__gte=period.start, date__lte=period.end
        )
        .values("request__organisation_id", "request__intervention__theme")
        .annotate(people=Count("request__person_id", distinct=True), cost=Sum("cost"))
        .order_by()
    )
    people: dict[int, Counter[str]] = defaultdict(Counter)
    costs: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        org, theme = row["request__organisation_id"], row["request__intervention__theme"]
        people[org][theme] = row["people"]
        costs[org][theme] = Decimal(row["cost"] or 0)
    return people, costs


def evaluations_by_organisation(
    org_ids: list[int], period: ReleasePeriod
) -> dict[int, dict[str, list[tuple[int, str, int]]]]:
    low, high = moments(period.start, period.end)
    latest = (
        Evaluation.objects.filter(
            request__organisation_id__in=org_ids, created_at__gte=low, created_at__lt=high
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
        .values("request__organisation_id", "request__intervention__theme", "grade", "helped")
        .annotate(n=Count("pk"))
        .order_by("request__organisation_id", "request__intervention__theme", "grade", "helped")
    )
    out: dict[int, dict[str, list[tuple[int, str, int]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        out[row["request__organisation_id"]][row["request__intervention__theme"]].append(
            (row["grade"], row["helped"], row["n"])
        )
    return out


def users_per_unit(org_ids: list[int], period: ReleasePeriod) -> Counter[tuple[int, int | None]]:
    rows = (
        counted_requests(org_ids, period.start, period.end)
        .values("organisation_id", "person__unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return Counter({(r["organisation_id"], r["person__unit_id"]): r["n"] for r in rows})


def health_checks(org_ids: list[int], period: ReleasePeriod) -> dict[tuple[int, int | None], list[int]]:
    """Each person's latest WHO-5 score in the period, grouped by organisation and unit."""
    latest = (
        HealthCheck.objects.filter(
            person__organisation_id__in=org_ids, taken_on__gte=period.start, taken_on__lte=period.end
        )
        .annotate(
            nth=Window(
                RowNumber(), partition_by=[F("person_id")], order_by=[F("taken_on").desc(), F("pk").desc()]
            )
        )
        .filter(nth=1)
        .values("pk")
    )
    rows = (
        HealthCheck.objects.filter(pk__in=latest)
        .values("person__organisation_id", "person__unit_id")
        .annotate(n=Count("pk"), total=Sum("who5_percentage"))
        .order_by()
    )
    return {(r["person__organisation_id"], r["person__unit_id"]): [r["n"], r["total"] or 0] for r in rows}


def insurer_rows(
    org_ids: list[int], period: ReleasePeriod
) -> tuple[dict[int, dict[str, dict[str, int]]], dict[int, dict[str, Decimal]], list[str]]:
    which = Q()
    for year, quarter in quarters_in(period):
        which |= Q(year=year, quarter=quarter)
    selected: list[dict[str, Any]] = [
        dict(row)
        for row in InsurerUsageRow.objects.filter(which, organisation_id__in=org_ids).values(
            "organisation_id",
            "theme",
            "gender",
            "age_band",
            "function_group",
            "users",
            "cost",
            "batch__insurer",
        )
    ]
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(Counter))
    costs: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in selected:
        for name in INSURER_DIMENSIONS:
            key = row[name] or UNKNOWN
            if name == "gender" and key == Gender.UNKNOWN:
                key = UNKNOWN
            counts[row["organisation_id"]][name][key] += row["users"]
        costs[row["organisation_id"]][row["theme"]] += Decimal(row["cost"])
    return counts, costs, sorted({row["batch__insurer"] for row in selected})


def quarters_in(period: ReleasePeriod) -> set[tuple[int, int]]:
    out = set()
    year, quarter = period.year, period.quarter
    for _i in range(1 if period.kind == PeriodKind.QUARTER else 4):
        out.add((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out

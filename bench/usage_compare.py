"""The sector usage report (``vitaal.care.usage.sector_report``: every figure through
disclosure control) against hand-written SQL GROUP BY queries over the same tables that
produce the same raw counts. Goal: at most 2x.

The raw side computes everything the report publishes, before suppression: users (first
request per employee in the quarter) by organisation x theme and by every breakdown,
headcounts, delivered care and its cost, evaluations, insurer rows. Before timing, the
report is built once with a threshold of 1 (nothing suppressed) and every raw number is
checked against it.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import timezone

from bench.memory import traced_peak
from bench.timing import BenchError

USERS_SQL = """
SELECT f.organisation_id, i.theme, f.intervention_id,
       i.stage_prevention, i.stage_complaints, i.stage_absence, i.stage_reintegration,
       g.code, p.gender, p.birth_year, COUNT(*)
FROM (
    SELECT r.person_id, r.organisation_id, r.intervention_id,
           ROW_NUMBER() OVER (PARTITION BY r.person_id ORDER BY r.created_at, r.id) AS rn
    FROM care_carerequest r
    WHERE r.organisation_id IN ({orgs}) AND r.created_at >= %s AND r.created_at < %s
      AND r.status NOT IN ('rejected', 'withdrawn')
) f
JOIN care_intervention i ON i.id = f.intervention_id
JOIN core_person p ON p.id = f.person_id
LEFT JOIN core_functiongroup g ON g.id = p.function_group_id
WHERE f.rn = 1
GROUP BY f.organisation_id, i.theme, f.intervention_id,
         i.stage_prevention, i.stage_complaints, i.stage_absence, i.stage_reintegration,
         g.code, p.gender, p.birth_year
"""
HEADCOUNT_SQL = """
SELECT organisation_id, COUNT(*) FROM core_person
WHERE organisation_id IN ({orgs})
  AND (employment_start <= %s OR employment_start IS NULL)
  AND (employment_end >= %s OR employment_end IS NULL)
GROUP BY organisation_id
"""
DELIVERED_SQL = """
SELECT i.theme, COUNT(DISTINCT r.person_id), SUM(s.cost)
FROM care_deliverysession s
JOIN care_carerequest r ON r.id = s.request_id
JOIN care_intervention i ON i.id = r.intervention_id
WHERE r.organisation_id IN ({orgs}) AND s.date >= %s AND s.date <= %s
GROUP BY i.theme
"""
EVALUATIONS_SQL = """
SELECT theme, COUNT(*), SUM(grade), SUM(CASE WHEN helped = 'yes' THEN 1 ELSE 0 END)
FROM (
    SELECT i.theme, e.grade, e.helped,
           ROW_NUMBER() OVER (PARTITION BY r.person_id ORDER BY e.created_at DESC, e.id DESC) AS rn
    FROM care_evaluation e
    JOIN care_carerequest r ON r.id = e.request_id
    JOIN care_intervention i ON i.id = r.intervention_id
    WHERE r.organisation_id IN ({orgs}) AND e.created_at >= %s AND e.created_at < %s
) latest
WHERE rn = 1
GROUP BY theme
"""
INSURER_SQL = """
SELECT theme, function_group, gender, age_band, SUM(users), SUM(cost)
FROM care_insurerusagerow
WHERE organisation_id IN ({orgs}) AND year = %s AND quarter = %s
GROUP BY theme, function_group, gender, age_band
"""
STAGES = ("prevention", "complaints", "absence", "reintegration")


def _day_bounds(start: date, end: date) -> tuple[Any, Any]:
    """The quarter as [first midnight, midnight after the last day) in the site's time zone,
    in the database's own datetime format: what ``created_at__date`` compares with."""
    zone = timezone.get_current_timezone()
    low = datetime.combine(start, dtime.min, tzinfo=zone)
    high = datetime.combine(end + timedelta(days=1), dtime.min, tzinfo=zone)
    ops = connection.ops
    return ops.adapt_datetimefield_value(low), ops.adapt_datetimefield_value(high)


def _rows(sql: str, organisation_ids: list[int], params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(orgs=", ".join(str(int(pk)) for pk in organisation_ids)), params)
        return list(cursor.fetchall())


def raw_counts(organisation_ids: list[int], quarter: Any) -> dict[str, Any]:
    """Every raw count of the sector report, straight from SQL GROUP BYs (no protection)."""
    from vitaal.care.usage_counts import UNKNOWN, age_band

    low, high = _day_bounds(quarter.start, quarter.end)
    grid: dict[int, Counter[str]] = defaultdict(Counter)
    margins: dict[str, Counter[str]] = {name: Counter() for name in ("intervention", "chain_stage")}
    margins.update({name: Counter() for name in ("function_group", "gender", "age_band")})
    for org, theme, intervention, *stages, group, gender, birth_year, n in _rows(
        USERS_SQL, organisation_ids, [low, high]
    ):
        grid[org][theme] += n
        margins["intervention"][str(intervention)] += n
        stage = next((name for name, on in zip(STAGES, stages, strict=True) if on), "prevention")
        margins["chain_stage"][stage] += n
        margins["function_group"][group or UNKNOWN] += n
        margins["gender"][UNKNOWN if gender in (None, "", "u") else gender] += n
        margins["age_band"][age_band(birth_year, quarter.end)] += n
    end = connection.ops.adapt_datefield_value(quarter.end)
    start = connection.ops.adapt_datefield_value(quarter.start)
    headcounts = dict(_rows(HEADCOUNT_SQL, organisation_ids, [end, end]))
    delivered = {
        theme: (people, Decimal(str(cost or 0)).quantize(Decimal("0.01")))
        for theme, people, cost in _rows(DELIVERED_SQL, organisation_ids, [start, end])
    }
    evaluations = {
        theme: (n, int(grades), int(helped))
        for theme, n, grades, helped in _rows(EVALUATIONS_SQL, organisation_ids, [low, high])
    }
    insurer: dict[str, Counter[str]] = {name: Counter() for name in ("theme", "function_group", "gender")}
    insurer["age_band"] = Counter()
    insurer_cost: dict[str, Decimal] = defaultdict(Decimal)
    for theme, group, gender, band, users, cost in _rows(
        INSURER_SQL, organisation_ids, [quarter.year, quarter.quarter]
    ):
        insurer["theme"][theme] += users
        insurer["function_group"][group or UNKNOWN] += users
        insurer["gender"][UNKNOWN if gender in ("", "u") else gender] += users
        insurer["age_band"][band or UNKNOWN] += users
        insurer_cost[theme] += Decimal(str(cost))
    return {
        "grid": grid,
        "margins": margins,
        "headcounts": headcounts,
        "delivered": delivered,
        "evaluations": evaluations,
        "insurer": insurer,
        "insurer_cost": insurer_cost,
    }


def _values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {row["key"]: row["cell"]["value"] for row in rows}


def _nonzero(counter: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in counter.items() if v}


def verify(report: dict[str, Any], raw: dict[str, Any], slugs: dict[int, str]) -> int:
    """Compare the unprotected report with the raw counts; raise BenchError on any
    difference. Returns how many numbers were compared."""
    compared = 0

    def same(what: str, ours: Any, theirs: Any) -> None:
        nonlocal compared
        if ours != theirs:
            raise BenchError(f"usage report and raw SQL differ in {what}: {ours!r} != {theirs!r}")
        compared += len(ours) if isinstance(ours, dict) else 1

    themes = [column["key"] for column in report["benchmark"]["columns"]]
    for row in report["benchmark"]["rows"]:
        org = next(pk for pk, slug in slugs.items() if slug == row["key"])
        cells = {t: c["value"] for t, c in zip(themes, row["cells"], strict=True) if c["value"]}
        same(f"users of {row['key']} by theme", cells, _nonzero(raw["grid"].get(org, {})))
        same(f"headcount of {row['key']}", row["headcount"], raw["headcounts"].get(org, 0))
    for section in report["uptake"]["breakdowns"]:
        same(
            f"users by {section['key']}",
            _nonzero(_values(section["rows"])),
            _nonzero(raw["margins"][section["key"]]),
        )
    delivered = {
        r["key"]: (r["cell"]["value"], r["cost"]) for r in report["delivered"]["rows"] if r["cell"]["value"]
    }
    same("delivered care", delivered, {t: (p, str(c)) for t, (p, c) in raw["delivered"].items() if p})
    evaluations = {
        r["key"]: (r["cell"]["value"], r["mean_grade"], r["helped_pct"])
        for r in report["evaluations"]["rows"]
        if r["cell"]["value"]
    }
    expected = {t: (n, round(g / n, 1), round(100 * h / n, 0)) for t, (n, g, h) in raw["evaluations"].items()}
    same("evaluations", evaluations, expected)
    insurer = report["insurer"]
    if insurer is None:
        same("insurer rows", {}, _nonzero(raw["insurer"]["theme"]))
    else:
        for section in insurer["breakdowns"]:
            same(
                f"insurer users by {section['key']}",
                _nonzero(_values(section["rows"])),
                _nonzero(raw["insurer"][section["key"]]),
            )
    return compared


def compare(*, repeats: int) -> dict[str, Any]:
    """Time the report and the raw SQL (alternating, ``repeats`` times each) for the last
    complete quarter; medians, their ratio and the peak Python memory of each."""
    from vitaal.care import usage
    from vitaal.care.usage_counts import current_quarter
    from vitaal.core.models import Organisation, Sector

    sector = Sector.objects.order_by("pk").first()
    if sector is None:
        raise BenchError("the benchmark database has no sector")
    quarter = current_quarter().previous()
    organisations = list(Organisation.objects.filter(sector=sector, is_active=True).order_by("pk"))
    ids = [o.pk for o in organisations]
    with mock.patch.object(usage, "threshold_for", return_value=1):
        unprotected = usage.sector_report(sector, quarter)
    raw = raw_counts(ids, quarter)
    compared = verify(unprotected, raw, {o.pk: o.slug for o in organisations})
    ours_times: list[float] = []
    raw_times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        usage.sector_report(sector, quarter)
        ours_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_counts(ids, quarter)
        raw_times.append(time.perf_counter() - started)
    _r, ours_peak = traced_peak(lambda: usage.sector_report(sector, quarter))
    _c, raw_peak = traced_peak(lambda: raw_counts(ids, quarter))
    ours_median, raw_median = statistics.median(ours_times), statistics.median(raw_times)
    users = sum(sum(row.values()) for row in raw["grid"].values())
    return {
        "quarter": quarter.label,
        "organisations": len(ids),
        "users": users,
        "numbers_compared": compared,
        "repeats": repeats,
        "ours_median_ms": round(ours_median * 1000, 2),
        "raw_median_ms": round(raw_median * 1000, 2),
        "ratio": round(ours_median / raw_median, 2) if raw_median else None,
        "goal": 2.0,
        "ours_peak_python_mb": round(ours_peak / 1e6, 1),
        "raw_peak_python_mb": round(raw_peak / 1e6, 1),
    }

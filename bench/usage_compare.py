"""The care release builder (``vitaal.care.release.build``: every care figure of a sector
and closed period, counted and protected jointly) against hand-written SQL GROUP BY
queries over the same tables that produce the same raw counts. Goal: at most 2x.

Pages and the API only read a stored release, so the work worth timing is the build. It
is timed with the sector's real threshold for the last closed quarter and for the twelve
months to its end (``build`` is pure: nothing is stored). The raw side computes what the
release publishes, before suppression: users (first request per employee in the period)
by organisation x theme and by every breakdown, per organisation and for the sector,
headcounts, delivered care and its cost, evaluations, health checks (latest per person)
and insurer rows. Before timing, each period is built once with a threshold of 1 and no
breakdown withheld (``withholds`` patched off), so nothing is hidden, and every raw number
is checked against it.
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
WHERE organisation_id IN ({orgs}) AND ({quarters})
GROUP BY theme, function_group, gender, age_band
"""
HEALTH_SQL = """
SELECT organisation_id, COUNT(*), SUM(who5_percentage)
FROM (
    SELECT p.organisation_id, h.who5_percentage,
           ROW_NUMBER() OVER (PARTITION BY h.person_id ORDER BY h.taken_on DESC, h.id DESC) AS rn
    FROM care_healthcheck h
    JOIN core_person p ON p.id = h.person_id
    WHERE p.organisation_id IN ({orgs}) AND h.taken_on >= %s AND h.taken_on <= %s
) latest
WHERE rn = 1
GROUP BY organisation_id
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


def _rows(sql: str, organisation_ids: list[int], params: list[Any], **parts: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        # Only integers and fixed SQL go into the text; values are parameters.
        cursor.execute(sql.format(orgs=", ".join(str(int(pk)) for pk in organisation_ids), **parts), params)
        return list(cursor.fetchall())


def _quarters(period: Any) -> list[tuple[int, int]]:
    """The calendar quarters of a period (one for a quarter, four for a year or window)."""
    year, quarter, out = period.year, period.quarter, []
    for _i in range(1 if period.kind == "quarter" else 4):
        out.append((int(year), int(quarter)))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


def raw_counts(organisation_ids: list[int], period: Any) -> dict[str, Any]:
    """Every raw count of the care release, straight from SQL GROUP BYs (no protection)."""
    from vitaal.care.usage_counts import UNKNOWN, age_band

    low, high = _day_bounds(period.start, period.end)
    grid: dict[int, Counter[str]] = defaultdict(Counter)
    # Per organisation, then summed for the sector ("S").
    margins: dict[Any, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for org, theme, intervention, *stages, group, gender, birth_year, n in _rows(
        USERS_SQL, organisation_ids, [low, high]
    ):
        grid[org][theme] += n
        stage = next((name for name, on in zip(STAGES, stages, strict=True) if on), "prevention")
        for place in (org, "S"):
            margins[place]["theme"][theme] += n
            margins[place]["intervention"][str(intervention)] += n
            margins[place]["chain_stage"][stage] += n
            margins[place]["function_group"][group or UNKNOWN] += n
            margins[place]["gender"][UNKNOWN if gender in (None, "", "u") else gender] += n
            margins[place]["age_band"][age_band(birth_year, period.end)] += n
    end = connection.ops.adapt_datefield_value(period.end)
    start = connection.ops.adapt_datefield_value(period.start)
    headcounts = dict(_rows(HEADCOUNT_SQL, organisation_ids, [end, end]))
    delivered = {
        theme: (people, Decimal(str(cost or 0)).quantize(Decimal("0.01")))
        for theme, people, cost in _rows(DELIVERED_SQL, organisation_ids, [start, end])
    }
    evaluations = {
        theme: (n, int(grades), int(helped))
        for theme, n, grades, helped in _rows(EVALUATIONS_SQL, organisation_ids, [low, high])
    }
    health = {
        org: (n, int(total or 0)) for org, n, total in _rows(HEALTH_SQL, organisation_ids, [start, end])
    }
    insurer: dict[str, Counter[str]] = {name: Counter() for name in ("theme", "function_group", "gender")}
    insurer["age_band"] = Counter()
    insurer_cost: dict[str, Decimal] = defaultdict(Decimal)
    which = " OR ".join(f"(year = {y} AND quarter = {q})" for y, q in _quarters(period))
    for theme, group, gender, band, users, cost in _rows(INSURER_SQL, organisation_ids, [], quarters=which):
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
        "health": health,
        "insurer": insurer,
        "insurer_cost": insurer_cost,
    }


def _values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {row["key"]: row["cell"]["value"] for row in rows}


def _nonzero(counter: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in counter.items() if v}


def verify(release: dict[str, Any], raw: dict[str, Any], organisations: dict[int, str]) -> int:
    """Compare a release built without suppression with the raw counts; raise BenchError on
    any difference. Returns how many numbers were compared."""
    compared = 0

    def same(what: str, ours: Any, theirs: Any) -> None:
        nonlocal compared
        if ours != theirs:
            raise BenchError(f"care release and raw SQL differ in {what}: {ours!r} != {theirs!r}")
        compared += len(ours) if isinstance(ours, dict) else 1

    report = release["sector_report"]
    themes = [column["key"] for column in report["benchmark"]["columns"]]
    for row in report["benchmark"]["rows"]:
        org = next(pk for pk, slug in organisations.items() if slug == row["key"])
        cells = {t: c["value"] for t, c in zip(themes, row["cells"], strict=True) if c["value"]}
        same(f"users of {row['key']} by theme", cells, _nonzero(raw["grid"].get(org, {})))
        same(f"headcount of {row['key']}", row["headcount"], raw["headcounts"].get(org, 0))
    places = [("the sector", "S", report)] + [
        (slug, pk, release["organisations"][str(pk)]) for pk, slug in organisations.items()
    ]
    for name, place, figures in places:
        for section in figures["uptake"]["breakdowns"]:
            same(
                f"users of {name} by {section['key']}",
                _nonzero(_values(section["rows"])),
                _nonzero(raw["margins"][place][section["key"]]),
            )
    for pk, slug in organisations.items():
        n, total = raw["health"].get(pk, (0, 0))
        checked = release["health"][str(pk)]
        same(f"health checks of {slug}", checked["checked"]["value"], n)
        same(f"mean WHO-5 of {slug}", checked["who5_mean"], round(total / n, 1) if n else None)
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


def _unprotected(sector: Any, period: Any) -> dict[str, Any]:
    """The release as it would be with nothing hidden: threshold 1, and no breakdown
    withheld for having everybody in one category."""
    from vitaal.care import release, release_system

    with mock.patch.object(release_system, "withholds", return_value=False):
        return release.build(sector, period, 1)


def _compare_period(
    sector: Any, period: Any, ids: list[int], slugs: dict[int, str], repeats: int
) -> dict[str, Any]:
    from vitaal.care import release
    from vitaal.core.disclosure import threshold_for

    raw = raw_counts(ids, period)
    compared = verify(_unprotected(sector, period), raw, slugs)
    k = threshold_for(sector, "care")
    ours_times: list[float] = []
    raw_times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        release.build(sector, period, k)
        ours_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_counts(ids, period)
        raw_times.append(time.perf_counter() - started)
    _r, ours_peak = traced_peak(lambda: release.build(sector, period, k))
    _c, raw_peak = traced_peak(lambda: raw_counts(ids, period))
    ours_median, raw_median = statistics.median(ours_times), statistics.median(raw_times)
    return {
        "period": period.label,
        "threshold": k,
        "users": sum(sum(row.values()) for row in raw["grid"].values()),
        "numbers_compared": compared,
        "ours_median_ms": round(ours_median * 1000, 2),
        "raw_median_ms": round(raw_median * 1000, 2),
        "ratio": round(ours_median / raw_median, 2) if raw_median else None,
        "ours_peak_python_mb": round(ours_peak / 1e6, 1),
        "raw_peak_python_mb": round(raw_peak / 1e6, 1),
    }


def compare(*, repeats: int) -> dict[str, Any]:
    """Time the release build and the raw SQL (alternating, ``repeats`` times each) for the
    last closed quarter, and for the twelve months to its end; medians, their ratio and
    the peak Python memory of each. The top-level figures are the quarter's."""
    from vitaal.core.models import Organisation, Sector
    from vitaal.core.releases import ReleasePeriod, last_closed_quarter

    sector = Sector.objects.order_by("pk").first()
    if sector is None:
        raise BenchError("the benchmark database has no sector")
    quarter = last_closed_quarter(timezone.localdate())
    window = ReleasePeriod.twelve_months_to(quarter.year, quarter.quarter)
    organisations = list(Organisation.objects.filter(sector=sector, is_active=True).order_by("pk"))
    ids = [o.pk for o in organisations]
    slugs = {o.pk: o.slug for o in organisations}
    result = _compare_period(sector, quarter, ids, slugs, repeats)
    twelve = _compare_period(sector, window, ids, slugs, repeats)
    return {
        **result,
        "quarter": quarter.label,
        "organisations": len(ids),
        "repeats": repeats,
        "goal": 2.0,
        "twelve_months": twelve,
    }

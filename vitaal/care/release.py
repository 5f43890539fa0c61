"""The care release: every figure about care usage, care spend and health checks of a
sector's groups for one closed period, protected as one.

One computation covers the sector, every organisation and every unit, so the sector
benchmark, each organisation's report, the care-uptake and WHO-5 indicators and the
budget pages read the same cells with the same suppression pattern. The relations a
reader knows are declared with the counts (``vitaal.core.disclosure.linked``): every
breakdown of a population adds up to its total, the sector's cells are the sums of its
organisations' cells, and an organisation or unit is its sub-units plus its own members.

Figures that ride on counts — costs, mean grades, percentages, WHO-5 means, per-1,000
rates — are shown only where their count is shown. A breakdown in which one category
holds everybody is withheld: showing it would tell every user's attribute (the zeros
around it are exact). Spend (committed, actual, remaining) is released for calendar years
only: quarters and overlapping twelve-month windows subtract to a quarter's spend.

Who is counted is unchanged from the usage report (see ``vitaal.care.usage``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from vitaal.care import finance
from vitaal.care import usage_counts as counting
from vitaal.care.models import Theme
from vitaal.care.release_history import DOMAIN, _add_history, quarters_of
from vitaal.care.release_system import SECTOR, _add_table, _add_tree, _System
from vitaal.care.usage import DIMENSIONS, Categories, dimension_labels, label_of_choice, unknown_label
from vitaal.care.usage_counts import (
    INSURER_DIMENSIONS,
    delivered_by_organisation,
    evaluations_by_organisation,
    health_checks,
    insurer_rows,
    users_per_unit,
)
from vitaal.core.disclosure import ProtectedCell
from vitaal.core.disclosure.linked import LinkedResult
from vitaal.core.models import Organisation, PeriodKind, Person, Sector, Unit
from vitaal.core.releases import ReleasePeriod, release_get

RELEASE_VERSION = 2


def care_release(sector: Sector, period: ReleasePeriod, *, today: date | None = None) -> dict[str, Any]:
    """The protected care figures of a closed period (made once, then read)."""
    if period.kind != PeriodKind.QUARTER:
        # The quarters of a longer period are released first, so the longer period is
        # protected with them in view (its users cover theirs).
        for quarter in quarters_of(period):
            care_release(sector, quarter, today=today)
    release = release_get(sector=sector, domain=DOMAIN, period=period, build=build, today=today)
    return dict(release.data, released_on=release.released_on.isoformat())


# --------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------


def build(sector: Sector, period: ReleasePeriod, k: int) -> dict[str, Any]:
    """Count everything, protect it as one, and assemble the reports (no hidden value is
    stored)."""
    organisations = list(Organisation.objects.filter(sector=sector, is_active=True).order_by("name"))
    org_ids = [o.pk for o in organisations]
    # Units in an order that does not depend on their keys (a unit's path is made of
    # them): where two cells are equally good partners, the first one is hidden, and the
    # same data must give the same release.
    position = {org: i for i, org in enumerate(org_ids)}
    units = sorted(
        Unit.objects.filter(organisation_id__in=org_ids),
        key=lambda u: (position[u.organisation_id], u.depth, u.code, u.name),
    )
    users = counting.users(org_ids, period)
    categories = Categories.for_sector(sector, {int(u.intervention) for u in users})
    headcounts = counting.headcount(org_ids, period.end)
    staff = (
        Person.objects.filter(organisation_id__in=org_ids)
        .employed_on(period.end)
        .values("organisation_id", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unit_staff: Counter[tuple[int, int | None]] = Counter(
        {(r["organisation_id"], r["unit_id"]): r["n"] for r in staff}
    )
    # A place with nobody directly in it, ever, is known to be empty; one whose members
    # all left may still hold this period's users.
    has_own: set[tuple[int, int | None]] = {
        (r["organisation_id"], r["unit_id"])
        for r in Person.objects.filter(organisation_id__in=org_ids)
        .values("organisation_id", "unit_id")
        .distinct()
    }

    system = _System()
    # Users of the arrangement.
    dims = {name: list(categories.labels[name]) for name in DIMENSIONS}
    by_org: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(Counter))
    for group in users:
        for name in DIMENSIONS:
            key = getattr(group, name)
            if key not in dims[name]:
                dims[name].append(key)
            by_org[group.organisation_id][name][key] += group.count
    dims = {name: cats for name, cats in dims.items() if cats}
    _add_table(system, "users", by_org, org_ids, dims, k)
    if period.kind == PeriodKind.QUARTER:
        # Units' users are published for quarters only (the care-uptake indicator); a
        # year's or twelve months' unit figures would be cells nobody reads but the
        # protection has to pay for.
        _add_tree(system, "users", org_ids, units, users_per_unit(org_ids, period), has_own)
    _add_history(system, sector, period, org_ids, units, has_own)
    # Delivered care and evaluations, by theme.
    themes = [t.value for t in Theme]
    delivered_people, delivered_costs = delivered_by_organisation(org_ids, period)
    _add_table(
        system,
        "delivered",
        {o: {"theme": dict(c)} for o, c in delivered_people.items()},
        org_ids,
        {"theme": themes},
        k,
    )
    evaluations = evaluations_by_organisation(org_ids, period)
    _add_table(
        system,
        "evaluated",
        {
            o: {"theme": {t: sum(n for *_r, n in items) for t, items in per.items()}}
            for o, per in evaluations.items()
        },
        org_ids,
        {"theme": themes},
        k,
    )
    # Health checks: people with a check, per organisation and unit.
    health = health_checks(org_ids, period)
    per_unit_checks: Counter[tuple[int, int | None]] = Counter({key: n for key, (n, _t) in health.items()})
    for org in org_ids:
        system.add(("checked", org), sum(n for (o, _u), n in per_unit_checks.items() if o == org))
    system.add(("checked", SECTOR), sum(system.values[("checked", o)] for o in org_ids))
    system.relate(("checked", SECTOR), [("checked", o) for o in org_ids])
    _add_tree(system, "checked", org_ids, units, per_unit_checks, has_own)
    # The insurer's figures: a source of their own, protected alike.
    insurer_counts, insurer_costs, insurers = insurer_rows(org_ids, period)
    insurer_dims = {name: list(categories.labels[name]) for name in INSURER_DIMENSIONS}
    for per in insurer_counts.values():
        for name, tally in per.items():
            insurer_dims[name] += [key for key in tally if key not in insurer_dims[name]]
    if insurers:
        _add_table(
            system, "insurer", insurer_counts, org_ids, {n: c for n, c in insurer_dims.items() if c}, k
        )

    ceiling = sum(headcounts.values())
    # The reader bounds every count by the headcount; the insurer counts on its own, so
    # its figures may exceed ours.
    pattern = system.protect(k, max([ceiling, *system.values.values()]))
    reader = _Reader(system, pattern)
    labels = dimension_labels()

    def uptake(pop: Any, names: Iterable[str]) -> dict[str, Any]:
        return {
            "total": reader.cell(("users", pop)),
            "breakdowns": [
                {
                    "key": name,
                    "label": labels[name],
                    "withheld": reader.withheld(("users", pop, name, dims[name][0])),
                    "rows": [
                        {
                            "key": key,
                            "label": categories.labels[name].get(key, unknown_label()),
                            "cell": reader.cell(("users", pop, name, key)),
                        }
                        for key in dims[name]
                    ],
                }
                for name in names
                if name in dims
            ],
        }

    def delivered(pop: Any) -> dict[str, Any]:
        pops = org_ids if pop == SECTOR else [pop]
        costs = {
            t: sum((delivered_costs.get(o, {}).get(t, Decimal(0)) for o in pops), Decimal(0)) for t in themes
        }
        total = reader.cell(("delivered", pop))
        return {
            "total": total,
            "cost_total": None if total["suppressed"] else _money(sum(costs.values(), Decimal(0))),
            "rows": [
                {
                    "key": t,
                    "label": label_of_choice(Theme(t)),
                    "cell": (cell := reader.cell(("delivered", pop, "theme", t))),
                    "cost": None if cell["suppressed"] or cell["withheld"] else _money(costs[t]),
                }
                for t in themes
            ],
        }

    def evaluated(pop: Any) -> dict[str, Any]:
        pops = org_ids if pop == SECTOR else [pop]
        items = {t: [x for o in pops for x in evaluations.get(o, {}).get(t, [])] for t in themes}
        total = reader.cell(("evaluated", pop))
        every = [x for t in themes for x in items[t]]
        mean, helped = _evaluation_stats(every) if not total["suppressed"] else (None, None)
        rows = []
        for t in themes:
            cell = reader.cell(("evaluated", pop, "theme", t))
            shown = not (cell["suppressed"] or cell["withheld"])
            t_mean, t_helped = _evaluation_stats(items[t]) if shown else (None, None)
            rows.append(
                {
                    "key": t,
                    "label": label_of_choice(Theme(t)),
                    "cell": cell,
                    "mean_grade": t_mean,
                    "helped_pct": t_helped,
                }
            )
        return {"total": total, "mean_grade": mean, "helped_pct": helped, "rows": rows}

    def insurer(pop: Any) -> dict[str, Any] | None:
        if not insurers:
            return None
        pops = org_ids if pop == SECTOR else [pop]
        if not any(insurer_counts.get(o) for o in pops):
            return None
        costs = {
            t: sum((insurer_costs.get(o, {}).get(t, Decimal(0)) for o in pops), Decimal(0))
            for t in insurer_dims["theme"]
        }
        total = reader.cell(("insurer", pop))
        return {
            "insurers": insurers,
            "total": total,
            "cost_total": None if total["suppressed"] else _money(sum(costs.values(), Decimal(0))),
            "breakdowns": [
                {
                    "key": name,
                    "label": labels[name],
                    "rows": [
                        {
                            "key": key,
                            "label": categories.labels[name].get(key, unknown_label()),
                            "cell": (cell := reader.cell(("insurer", pop, name, key))),
                            "cost": (
                                _money(costs.get(key, Decimal(0)))
                                if name == "theme" and not (cell["suppressed"] or cell["withheld"])
                                else None
                            ),
                        }
                        for key in insurer_dims[name]
                    ],
                }
                for name in INSURER_DIMENSIONS
                if insurer_dims[name]
            ],
        }

    def who5(key: tuple[int, int | None] | None, pops: list[tuple[int, int | None]]) -> float | None:
        n = sum(health.get(p, [0, 0])[0] for p in pops)
        total = sum(health.get(p, [0, 0])[1] for p in pops)
        return round(total / n, 1) if n else None

    base = {
        "version": RELEASE_VERSION,
        "sector": sector.name,
        "period": {
            "label": period.label,
            "kind": period.kind,
            "year": period.year,
            "quarter": period.quarter,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "threshold": k,
    }
    sector_cell = reader.cell(("users", SECTOR))
    sector_rate = _rate(sector_cell["value"], ceiling)
    reports: dict[str, Any] = {}
    for o in organisations:
        total = reader.cell(("users", o.pk))
        reports[str(o.pk)] = {
            **base,
            "kind": "organisation",
            "organisation": {"name": o.name, "slug": o.slug},
            "headcount": headcounts[o.pk],
            "uptake": uptake(o.pk, DIMENSIONS),
            "users_per_1000": _rate(total["value"], headcounts[o.pk]),
            "sector_users_per_1000": sector_rate,
            "delivered": delivered(o.pk),
            "evaluations": evaluated(o.pk),
            "finance": _finance(o, period, total),
            "insurer": insurer(o.pk),
        }
    theme_cells = [reader.cell(("users", SECTOR, "theme", t)) for t in dims.get("theme", [])]
    sector_report = {
        **base,
        "kind": "sector",
        "organisation": None,
        "headcount": ceiling,
        "uptake": uptake(SECTOR, [d for d in DIMENSIONS if d != "theme"]),
        "users_per_1000": sector_rate,
        "benchmark": {
            "columns": [{"key": t, "label": label_of_choice(Theme(t))} for t in dims.get("theme", [])],
            "rows": [
                {
                    "key": o.slug,
                    "label": {"nl": o.name, "en": o.name},
                    "headcount": headcounts[o.pk],
                    "cells": [reader.cell(("users", o.pk, "theme", t)) for t in dims.get("theme", [])],
                    "total": reader.cell(("users", o.pk)),
                    "users_per_1000": _rate(reader.cell(("users", o.pk))["value"], headcounts[o.pk]),
                }
                for o in organisations
            ],
            "totals": {"cells": theme_cells, "total": sector_cell},
        },
        "delivered": delivered(SECTOR),
        "evaluations": evaluated(SECTOR),
        "insurer": insurer(SECTOR),
    }
    # Units: users and health checks, each with the unit's headcount, for the indicators.
    subtree: dict[int, list[tuple[int, int | None]]] = {}
    for unit in units:
        subtree[unit.pk] = [(u.organisation_id, u.pk) for u in units if u.path.startswith(unit.path)]
    unit_figures = {}
    for unit in units:
        checked = reader.cell(("checked", "unit", unit.pk))
        unit_figures[str(unit.pk)] = {
            "users": (
                reader.cell(("users", "unit", unit.pk))
                if period.kind == PeriodKind.QUARTER
                else {"value": None, "suppressed": True, "withheld": True}
            ),
            "checked": checked,
            "who5_mean": None if checked["suppressed"] else who5(None, subtree[unit.pk]),
            "headcount": sum(unit_staff[p] for p in subtree[unit.pk]),
        }
    org_health = {}
    for o in organisations:
        checked = reader.cell(("checked", o.pk))
        pops = [key for key in health if key[0] == o.pk]
        org_health[str(o.pk)] = {
            "checked": checked,
            "who5_mean": None if checked["suppressed"] else who5(None, pops),
        }
    return {
        **base,
        "organisations": reports,
        "sector_report": sector_report,
        "units": unit_figures,
        "health": org_health,
        "cells_checked": len(system.values),
        "cells_hidden": len(pattern.hidden()),
    }


class _Reader:
    """Cells of the pattern as report dicts; a withheld cell has no value either."""

    def __init__(self, system: _System, pattern: LinkedResult) -> None:
        self.system = system
        self.pattern = pattern

    def withheld(self, key: Hashable) -> bool:
        return key in self.system.unpublished

    def cell(self, key: Hashable) -> dict[str, Any]:
        if key in self.system.unpublished:
            return {"value": None, "suppressed": True, "withheld": True}
        protected: ProtectedCell = self.pattern.cell(key)
        return {"value": protected.value, "suppressed": protected.suppressed, "withheld": False}


def _evaluation_stats(items: list[tuple[int, str, int]]) -> tuple[float | None, float | None]:
    people = sum(n for *_gh, n in items)
    if not people:
        return None, None
    mean = round(sum(g * n for g, _h, n in items) / people, 1)
    helped = round(100 * sum(n for _g, h, n in items if h == "yes") / people, 0)
    return mean, helped


def _finance(organisation: Organisation, period: ReleasePeriod, users: dict[str, Any]) -> dict[str, Any]:
    """Contributions and the company-bound budget are facts about the organisation; spend
    is about the people who used care, so it is released for closed calendar years only,
    and only where the year's users are shown."""
    year = period.end.year
    balance = finance.organisation_balance(organisation, year)
    budget = finance.company_budget(organisation, year)
    spend = period.kind == PeriodKind.YEAR and not users["suppressed"] and not users.get("withheld")
    return {
        "year": year,
        "contributions": _money(balance.contributions),
        "company_budget": _money(budget.budget),
        "approved_budget": _money(budget.approved),
        "committed": _money(balance.committed) if spend else None,
        "actual": _money(balance.actual) if spend else None,
        "remaining": _money(balance.remaining) if spend else None,
        "spend_hidden": not spend,
        "spend_for_years_only": period.kind != PeriodKind.YEAR,
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _rate(count: int | None, headcount: int) -> float | None:
    if count is None or not headcount:
        return None
    return round(count / headcount * 1000, 1)


def released_spend(organisation: Organisation, year: int, *, today: date | None = None) -> dict[str, Any]:
    """Committed, actual and remaining spend of an organisation in a calendar year, as an
    employer-side or sector role may see it: from the year's release once the year has
    ended (hidden where too few employees used care), and nothing while it runs — one
    referral accepted or one session booked would show as a change."""
    period = ReleasePeriod.of_year(year)
    empty = {"committed": None, "actual": None, "remaining": None, "released": False}
    if not period.is_closed(today or timezone.localdate()):
        return empty
    report = care_release(organisation.sector, period, today=today)["organisations"].get(str(organisation.pk))
    if report is None:
        return empty
    fin = report["finance"]
    return {
        "committed": fin["committed"],
        "actual": fin["actual"],
        "remaining": fin["remaining"],
        "released": True,
    }

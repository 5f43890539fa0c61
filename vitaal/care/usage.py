"""Usage reporting: how the care arrangement is used, per organisation and quarter, and
the sector benchmark. Every figure passes disclosure control (``vitaal.core.disclosure``)
before it leaves this module; a report is a plain dict holding only protected values, so
it can be stored, rendered as HTML, PDF or XLSX, and served by the API alike.

Who is counted (the decisions behind the figures, see docs/care-reporting.md):
- a *user* is an employee with at least one care request submitted in the quarter that was
  not rejected or withdrawn. Each user counts once, in every breakdown: by gender, age band
  (at the end of the quarter), function group, and by the theme, intervention and chain
  stage of their first request in the quarter (an intervention serving several stages
  counts under its earliest one). So every breakdown adds up to the same total, which
  ``protect_breakdowns`` needs;
- *delivered care*: employees with a session in the quarter, by theme, with its cost;
- *evaluations*: employees who evaluated in the quarter (their latest evaluation);
- the insurer's figures (``InsurerUsageRow``) are a separate source, never added to ours.

Means, percentages and costs ride on counts and are blanked with ``mask_statistics``.
The counting queries themselves, and quarters and age bands, are in ``usage_counts``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation

from vitaal.care import finance
from vitaal.care import usage_counts as counting
from vitaal.care.models import (
    ChainStage,
    InsurerUsageRow,
    Intervention,
    Theme,
)
from vitaal.care.usage_counts import AGE_BANDS, UNKNOWN, Quarter, UserGroup
from vitaal.core.disclosure import (
    TOTAL,
    ProtectedCell,
    mask_statistics,
    protect_breakdowns,
    protect_counts,
    protect_table,
    threshold_for,
)
from vitaal.core.models import FunctionGroup, Gender, Organisation, ReportingPeriod, Sector

REPORT_VERSION = 1
DIMENSIONS = ("theme", "intervention", "chain_stage", "function_group", "gender", "age_band")


def reporting_period(sector: Sector, quarter: Quarter) -> ReportingPeriod:
    """The sector's reporting period for a quarter (created the first time it is needed)."""
    period, _created = ReportingPeriod.objects.get_or_create(
        sector=sector, label=quarter.label, defaults={"start": quarter.start, "end": quarter.end}
    )
    return period


# --- Labels in both languages -----------------------------------------------------------


def both(fn: Callable[[], Any]) -> dict[str, str]:
    """A label in Dutch and English, so a stored report reads in either language."""
    out = {}
    for language in ("nl", "en"):
        with translation.override(language):
            out[language] = str(fn())
    return out


def localise(data: Any, language: str | None = None) -> Any:
    """Replace every ``{"nl": ..., "en": ...}`` label in a report by the text in one
    language (the active one by default)."""
    language = "en" if (language or translation.get_language() or "nl").startswith("en") else "nl"
    if isinstance(data, dict):
        if set(data) == {"nl", "en"}:
            return data[language]
        return {key: localise(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [localise(item, language) for item in data]
    return data


def _choice_label(choice: Any) -> dict[str, str]:
    return both(lambda: choice.label)


def _unknown() -> dict[str, str]:
    from django.utils.translation import gettext

    return both(lambda: gettext("Unknown"))


def _dimension_labels() -> dict[str, dict[str, str]]:
    from django.utils.translation import gettext

    return {
        "theme": both(lambda: gettext("Theme")),
        "intervention": both(lambda: gettext("Intervention")),
        "chain_stage": both(lambda: gettext("Chain stage")),
        "function_group": both(lambda: gettext("Function group")),
        "gender": both(lambda: gettext("Gender")),
        "age_band": both(lambda: gettext("Age band")),
    }


@dataclass
class Categories:
    """The categories of every dimension, in display order, with their labels; zero
    categories are listed too (a zero points at nobody and is always shown)."""

    labels: dict[str, dict[str, dict[str, str]]]

    @classmethod
    def for_sector(cls, sector: Sector, extra_interventions: Iterable[int] = ()) -> Categories:
        unknown = _unknown()
        interventions = Intervention.objects.filter(sector=sector).filter(
            Q(is_active=True) | Q(pk__in=list(extra_interventions))
        )
        groups = FunctionGroup.objects.filter(sector=sector).order_by("code")
        labels: dict[str, dict[str, dict[str, str]]] = {
            "theme": {t.value: _choice_label(t) for t in Theme},
            "intervention": {
                str(i.pk): {"nl": i.name_nl or i.name_en, "en": i.name_en or i.name_nl}
                for i in interventions.order_by("theme", "name_nl")
            },
            "chain_stage": {s.value: _choice_label(s) for s in ChainStage},
            "function_group": {g.code: {"nl": g.name_nl, "en": g.name_en} for g in groups},
            "gender": {g.value: _choice_label(g) for g in Gender if g != Gender.UNKNOWN},
            "age_band": {band: {"nl": band, "en": band} for band in AGE_BANDS},
        }
        for name in ("function_group", "gender", "age_band"):
            labels[name][UNKNOWN] = unknown
        return cls(labels)


def _cell(cell: ProtectedCell) -> dict[str, Any]:
    return {"value": cell.value, "suppressed": cell.suppressed}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _rate(count: int | None, headcount: int) -> float | None:
    if count is None or not headcount:
        return None
    return round(count / headcount * 1000, 1)


# --- Protected sections -----------------------------------------------------------------


def _breakdowns(
    users: list[UserGroup], categories: Categories, k: int, dimensions: tuple[str, ...] = DIMENSIONS
) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = {}
    for name in dimensions:
        tally: Counter[str] = Counter()
        for group in users:
            tally[getattr(group, name)] += group.count
        counts[name] = {key: tally.get(key, 0) for key in categories.labels[name]}
        for key, n in tally.items():  # a category missing from the list still counts
            counts[name].setdefault(key, n)
    # A dimension without any category (no function groups defined) is left out.
    dimensions = tuple(name for name in dimensions if counts[name])
    counts = {name: counts[name] for name in dimensions}
    protected = protect_breakdowns(counts, k)
    labels = _dimension_labels()
    sections = [
        {
            "key": name,
            "label": labels[name],
            "rows": [
                {
                    "key": key,
                    "label": categories.labels[name].get(key, _unknown()),
                    "cell": _cell(protected.cell((name, key))),
                }
                for key in counts[name]
            ],
        }
        for name in dimensions
    ]
    return {"total": _cell(protected.total), "breakdowns": sections}


def _delivered_section(organisation_ids: list[int], quarter: Quarter, k: int) -> dict[str, Any]:
    people, costs = counting.delivered(organisation_ids, quarter)
    counts = {t.value: people.get(t.value, 0) for t in Theme}
    protected = protect_counts(counts, k)
    shown_costs = mask_statistics(protected, {key: costs.get(key, Decimal(0)) for key in counts})
    total_cost = sum(costs.values(), Decimal(0))
    return {
        "total": _cell(protected.total),
        "cost_total": None if protected.total.suppressed else _money(total_cost),
        "rows": [
            {
                "key": key,
                "label": _choice_label(Theme(key)),
                "cell": _cell(protected.cell(key)),
                "cost": _money(shown_costs[key]),
            }
            for key in counts
        ],
    }


def _evaluation_section(organisation_ids: list[int], quarter: Quarter, k: int) -> dict[str, Any]:
    by_theme: dict[str, list[tuple[int, str, int]]] = {t.value: [] for t in Theme}
    for theme, grade, helped, n in counting.evaluations(organisation_ids, quarter):
        by_theme.setdefault(theme, []).append((grade, helped, n))
    protected = protect_counts({key: sum(n for *_gh, n in items) for key, items in by_theme.items()}, k)

    def stats(items: list[tuple[int, str, int]]) -> tuple[float | None, float | None]:
        people = sum(n for *_gh, n in items)
        if not people:
            return None, None
        mean = round(sum(g * n for g, _h, n in items) / people, 1)
        helped = round(100 * sum(n for _g, h, n in items if h == "yes") / people, 0)
        return mean, helped

    per_theme = {key: stats(items) for key, items in by_theme.items()}
    shown = mask_statistics(protected, per_theme)
    everything = [item for items in by_theme.values() for item in items]
    total_stats = (None, None) if protected.total.suppressed else stats(everything)
    return {
        "total": _cell(protected.total),
        "mean_grade": total_stats[0],
        "helped_pct": total_stats[1],
        "rows": [
            {
                "key": key,
                "label": _choice_label(Theme(key)),
                "cell": _cell(protected.cell(key)),
                "mean_grade": (shown[key] or (None, None))[0],
                "helped_pct": (shown[key] or (None, None))[1],
            }
            for key in by_theme
        ],
    }


def _insurer_section(
    organisation_ids: list[int], quarter: Quarter, sector: Sector, k: int
) -> dict[str, Any] | None:
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in InsurerUsageRow.objects.filter(
            organisation_id__in=organisation_ids, year=quarter.year, quarter=quarter.quarter
        ).values("theme", "gender", "age_band", "function_group", "users", "cost", "batch__insurer")
    ]
    if not rows:
        return None
    categories = Categories.for_sector(sector)
    names: tuple[str, ...] = ("theme", "function_group", "gender", "age_band")
    counts: dict[str, dict[str, int]] = {}
    for name in names:
        counts[name] = dict.fromkeys(categories.labels[name], 0)
        for row in rows:
            key = row[name] or UNKNOWN
            if name == "gender" and key == Gender.UNKNOWN:
                key = UNKNOWN
            counts[name][key] = counts[name].get(key, 0) + row["users"]
    names = tuple(name for name in names if counts[name])
    counts = {name: counts[name] for name in names}
    protected = protect_breakdowns(counts, k)
    costs: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        costs[row["theme"]] += Decimal(row["cost"])
    theme_series = protected["theme"]
    shown_costs = mask_statistics(theme_series, {key: costs.get(key, Decimal(0)) for key in counts["theme"]})
    labels = _dimension_labels()
    return {
        "insurers": sorted({row["batch__insurer"] for row in rows}),
        "total": _cell(protected.total),
        "cost_total": None if protected.total.suppressed else _money(sum(costs.values(), Decimal(0))),
        "breakdowns": [
            {
                "key": name,
                "label": labels[name],
                "rows": [
                    {
                        "key": key,
                        "label": categories.labels[name].get(key, _unknown()),
                        "cell": _cell(protected.cell((name, key))),
                        "cost": _money(shown_costs[key]) if name == "theme" else None,
                    }
                    for key in counts[name]
                ],
            }
            for name in names
        ],
    }


def _finance_section(organisation: Organisation, quarter: Quarter, k: int) -> dict[str, Any]:
    """Costs against budget for the year. Spending figures of the year are hidden while
    fewer than k employees used care in the year so far (they would be about them)."""
    year_users = (
        counting.counted_requests([organisation.pk], date(quarter.year, 1, 1), quarter.end)
        .values("person_id")
        .distinct()
        .count()
    )
    hide = 0 < year_users < k
    balance = finance.organisation_balance(organisation, quarter.year)
    budget = finance.company_budget(organisation, quarter.year)
    return {
        "year": quarter.year,
        "contributions": _money(balance.contributions),
        "company_budget": _money(budget.budget),
        "approved_budget": _money(budget.approved),
        "committed": None if hide else _money(balance.committed),
        "actual": None if hide else _money(balance.actual),
        "remaining": None if hide else _money(balance.remaining),
        "spend_hidden": hide,
    }


# --- Reports ----------------------------------------------------------------------------


def _base(sector: Sector, quarter: Quarter, kind: str, k: int) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "kind": kind,
        "sector": sector.name,
        "period": {
            "label": quarter.label,
            "year": quarter.year,
            "quarter": quarter.quarter,
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
        },
        "threshold": k,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def _sector_rate(sector: Sector, quarter: Quarter, k: int) -> float | None:
    org_ids = list(Organisation.objects.filter(sector=sector, is_active=True).values_list("pk", flat=True))
    cell = protect_counts({"all": counting.user_count(org_ids, quarter)}, k).total
    return _rate(cell.value, sum(counting.headcount(org_ids, quarter.end).values()))


def organisation_report(organisation: Organisation, quarter: Quarter) -> dict[str, Any]:
    """The quarterly usage report of one organisation, all figures protected."""
    sector = organisation.sector
    k = threshold_for(sector, "care", reporting_period(sector, quarter))
    users = counting.users([organisation.pk], quarter)
    categories = Categories.for_sector(sector, {int(u.intervention) for u in users})
    uptake = _breakdowns(users, categories, k)
    headcount = counting.headcount([organisation.pk], quarter.end)[organisation.pk]
    return {
        **_base(sector, quarter, "organisation", k),
        "organisation": {"name": organisation.name, "slug": organisation.slug},
        "headcount": headcount,
        "uptake": uptake,
        "users_per_1000": _rate(uptake["total"]["value"], headcount),
        "sector_users_per_1000": _sector_rate(sector, quarter, k),
        "delivered": _delivered_section([organisation.pk], quarter, k),
        "evaluations": _evaluation_section([organisation.pk], quarter, k),
        "finance": _finance_section(organisation, quarter, k),
        "insurer": _insurer_section([organisation.pk], quarter, sector, k),
    }


def sector_report(sector: Sector, quarter: Quarter) -> dict[str, Any]:
    """The sector benchmark: organisations side by side (users by theme, per 1,000
    employees) and the sector's own breakdowns, all figures protected."""
    k = threshold_for(sector, "care", reporting_period(sector, quarter))
    organisations = list(Organisation.objects.filter(sector=sector, is_active=True).order_by("name"))
    org_ids = [o.pk for o in organisations]
    users = counting.users(org_ids, quarter)
    categories = Categories.for_sector(sector, {int(u.intervention) for u in users})
    # Themes are the benchmark's columns; its totals row is the theme breakdown, so it
    # is not published a second time (two protections of one margin could differ).
    uptake = _breakdowns(users, categories, k, tuple(d for d in DIMENSIONS if d != "theme"))
    headcounts = counting.headcount(org_ids, quarter.end)
    themes = [t.value for t in Theme]
    grid = {o.pk: dict.fromkeys(themes, 0) for o in organisations}
    for group in users:
        row = grid[group.organisation_id]
        row[group.theme] = row.get(group.theme, 0) + group.count
    table = protect_table(grid, k, columns=themes) if organisations else None
    rows = []
    for o in organisations:
        total = table.row_total(o.pk) if table else ProtectedCell.shown(0)
        rows.append(
            {
                "key": o.slug,
                "label": {"nl": o.name, "en": o.name},
                "headcount": headcounts[o.pk],
                "cells": [_cell(table[o.pk, t]) for t in themes] if table else [],
                "total": _cell(total),
                "users_per_1000": _rate(total.value, headcounts[o.pk]),
            }
        )
    totals = {
        "cells": [_cell(table[TOTAL, t]) for t in themes] if table else [],
        "total": _cell(table.grand_total) if table else _cell(ProtectedCell.shown(0)),
    }
    headcount = sum(headcounts.values())
    return {
        **_base(sector, quarter, "sector", k),
        "organisation": None,
        "headcount": headcount,
        "uptake": uptake,
        "users_per_1000": _rate(uptake["total"]["value"], headcount),
        "benchmark": {
            "columns": [{"key": t, "label": _choice_label(Theme(t))} for t in themes],
            "rows": rows,
            "totals": totals,
        },
        "delivered": _delivered_section(org_ids, quarter, k),
        "evaluations": _evaluation_section(org_ids, quarter, k),
        "insurer": _insurer_section(org_ids, quarter, sector, k),
    }

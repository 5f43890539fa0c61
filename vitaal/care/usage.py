"""Usage reporting: how the care arrangement is used, per organisation and period, and
the sector benchmark. The figures come from the care release (``vitaal.care.release``):
one protected computation per sector and closed period, so the page, PDF, XLSX and API
of a report, the benchmark and the indicators all show the same cells. A period still
running has no report (``vitaal.core.releases.PeriodRunning``).

Who is counted (the decisions behind the figures, see docs/care-reporting.md):
- a *user* is an employee with at least one care request submitted in the period that was
  not rejected or withdrawn. Each user counts once, in every breakdown: by gender, age band
  (at the end of the period), function group, and by the theme, intervention and chain
  stage of their first request in the period (an intervention serving several stages
  counts under its earliest one). So every breakdown adds up to the same total;
- *delivered care*: employees with a session in the period, by theme, with its cost;
- *evaluations*: employees who evaluated in the period (their latest evaluation);
- the insurer's figures (``InsurerUsageRow``) are a separate source, never added to ours.

This module holds the labels and categories the reports use and reads reports out of
the release; the counting queries are in ``usage_counts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import translation

from vitaal.care.models import ChainStage, Intervention, Theme
from vitaal.care.usage_counts import AGE_BANDS, UNKNOWN, Quarter
from vitaal.core.models import FunctionGroup, Gender, Organisation, Sector
from vitaal.core.releases import PeriodRunning, ReleasePeriod

DIMENSIONS = ("theme", "intervention", "chain_stage", "function_group", "gender", "age_band")


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


def label_of_choice(choice: Any) -> dict[str, str]:
    return both(lambda: choice.label)


def unknown_label() -> dict[str, str]:
    from django.utils.translation import gettext

    return both(lambda: gettext("Unknown"))


def dimension_labels() -> dict[str, dict[str, str]]:
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
        unknown = unknown_label()
        interventions = Intervention.objects.filter(sector=sector).filter(
            Q(is_active=True) | Q(pk__in=list(extra_interventions))
        )
        groups = FunctionGroup.objects.filter(sector=sector).order_by("code")
        labels: dict[str, dict[str, dict[str, str]]] = {
            "theme": {t.value: label_of_choice(t) for t in Theme},
            "intervention": {
                str(i.pk): {"nl": i.name_nl or i.name_en, "en": i.name_en or i.name_nl}
                for i in interventions.order_by("theme", "name_nl")
            },
            "chain_stage": {s.value: label_of_choice(s) for s in ChainStage},
            "function_group": {g.code: {"nl": g.name_nl, "en": g.name_en} for g in groups},
            "gender": {g.value: label_of_choice(g) for g in Gender if g != Gender.UNKNOWN},
            "age_band": {band: {"nl": band, "en": band} for band in AGE_BANDS},
        }
        for name in ("function_group", "gender", "age_band"):
            labels[name][UNKNOWN] = unknown
        return cls(labels)


def as_period(period: ReleasePeriod | Quarter) -> ReleasePeriod:
    """Reports are asked for by quarter in older callers; every period is a release period."""
    if isinstance(period, ReleasePeriod):
        return period
    return ReleasePeriod.of_quarter(period.year, period.quarter)


def organisation_report(
    organisation: Organisation, period: ReleasePeriod | Quarter, *, today: date | None = None
) -> dict[str, Any]:
    """The usage report of one organisation for a closed period, all figures protected."""
    from vitaal.care.release import care_release

    data = care_release(organisation.sector, as_period(period), today=today)
    report = data["organisations"].get(str(organisation.pk))
    if report is None:  # the organisation joined after the period: it has no figures in it
        raise PeriodRunning(as_period(period).label)
    return dict(report, generated_on=data.get("released_on"))


def sector_report(
    sector: Sector, period: ReleasePeriod | Quarter, *, today: date | None = None
) -> dict[str, Any]:
    """The sector benchmark for a closed period: organisations side by side and the
    sector's own breakdowns, from the same release as every organisation's report."""
    from vitaal.care.release import care_release

    data = care_release(sector, as_period(period), today=today)
    return dict(data["sector_report"], generated_on=data.get("released_on"))

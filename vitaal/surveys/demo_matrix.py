"""Demo data for ``vitaal demo``: a recommendation matrix for next year's package, built
on the demo's sector survey and the demo year of care requests, with a need mapping from
the employee survey's questions to catalog interventions (only codes the catalog has)."""

from __future__ import annotations

import datetime

from vitaal.core.hooks import DemoContext
from vitaal.surveys.models import RecommendationMatrix, Wave

DEMO_MAPPING: dict[str, list[dict[str, object]]] = {
    "mental-coaching": [{"question": "support_used", "options": ["coaching"]}],
    "psychological-care": [{"question": "support_used", "options": ["psych"]}],
    "physiotherapy": [{"question": "support_used", "options": ["physio"]}],
    "physical-coaching": [{"question": "support_used", "options": ["physio", "sport"]}],
    "lifestyle-workshop": [
        {"question": "support_used", "options": ["workshop"]},
        {"question": "wanted_form", "options": ["group"]},
    ],
    "e-coaching-stress": [{"question": "wanted_form", "options": ["online"]}],
    "workplace-assessment": [{"question": "wanted_form", "options": ["at_work"]}],
    "vitality-coaching": [{"question": "support_used", "options": ["sport"]}],
}


def build(context: DemoContext) -> None:
    from vitaal.care.models import Intervention, Package

    wave = Wave.objects.filter(
        sector=context.sector, organisation__isnull=True, questionnaire__audience="employees"
    ).first()
    codes = set(Intervention.objects.filter(sector=context.sector).values_list("code", flat=True))
    if wave is None or not codes:
        return
    years = list(Package.objects.filter(sector=context.sector).values_list("year", flat=True))
    year = max(years) + 1 if years else datetime.date.today().year + 1
    today = datetime.date.today()
    matrix = RecommendationMatrix.objects.create(
        sector=context.sector,
        title=f"Pakketadvies {year}-{year + 1}",
        year=year,
        wave=wave,
        usage_from=today - datetime.timedelta(days=365),
        usage_to=today,
        need_mapping={code: entries for code, entries in DEMO_MAPPING.items() if code in codes},
    )
    context.lines.append(
        f"Surveys: recommendation matrix for {year} ({len(matrix.need_mapping)} mapped interventions)"
    )

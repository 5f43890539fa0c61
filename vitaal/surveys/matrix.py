"""The package recommendation matrix: evidence per intervention and the rule that turns
it into +, +/− or − (see docs/surveys.md, "Package recommendation matrix").

Evidence per intervention of the sector's catalog:

- **need**: the share of the wave's respondents whose answers show a need for it, by the
  matrix's ``need_mapping`` (question code and answer codes per intervention code). With
  more than one mapped question, the highest share counts. The count behind the share
  goes through disclosure control (survey threshold); a hidden share counts as unknown.
- **use**: the users of it in the care release of the twelve months ending with the last
  closed quarter of the matrix's period (for the wave's organisation, or the sector for
  a sector wave), per 1,000 employees. A count the release hides counts as low use.
- **uniqueness**: no other financing source pays for it.
- **cost**: tariff × expected units per user (the maximum number of sessions for a
  tariff per session, else 1) × users per employee = EUR per employee per year.

The rule: need and use score 0 (low), 1 (some, from the "some" threshold) or 2 (high,
from the "high" threshold); unique adds 1 and not unique subtracts 1; high cost
subtracts 1. Points from ``plus_from`` give +, from ``discuss_from`` +/−, below that −.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.disclosure import protect_counts, threshold_for
from vitaal.core.models import Organisation, Sector
from vitaal.surveys import selectors, services
from vitaal.surveys.models import MatrixDecision, MatrixVerdict, QuestionKind, RecommendationMatrix, Wave

LOW, SOME, HIGH = 0, 1, 2


@dataclass
class Thresholds:
    need_high: float = 20.0
    need_low: float = 5.0
    use_high: float = 20.0
    use_low: float = 5.0
    cost_high: float = 10.0
    plus_from: int = 3
    discuss_from: int = 1

    @classmethod
    def of(cls, matrix: RecommendationMatrix) -> Thresholds:
        return cls(
            matrix.need_high,
            matrix.need_low,
            matrix.use_high,
            matrix.use_low,
            matrix.cost_high,
            matrix.plus_from,
            matrix.discuss_from,
        )


def level(value: float | None, low: float, high: float) -> int:
    if value is None:
        return LOW
    if value >= high:
        return HIGH
    if value >= low:
        return SOME
    return LOW


def points(*, need: float | None, use: float | None, unique: bool, cost: float | None, t: Thresholds) -> int:
    score = level(need, t.need_low, t.need_high) + level(use, t.use_low, t.use_high)
    score += 1 if unique else -1
    if cost is not None and cost >= t.cost_high:
        score -= 1
    return score


def verdict_for(score: int, t: Thresholds) -> str:
    if score >= t.plus_from:
        return MatrixVerdict.IN
    if score >= t.discuss_from:
        return MatrixVerdict.DISCUSS
    return MatrixVerdict.OUT


@dataclass
class Evidence:
    intervention: Any
    need: float | None
    need_n: int | None
    need_mapped: bool
    requests: int | None
    use: float | None
    unique: bool
    sources: list[str]
    cost_per_request: float
    cost: float | None
    points: int
    advice: str
    decision: MatrixDecision | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.intervention.localized("name"))

    @property
    def advice_symbol(self) -> str:
        return str(MatrixVerdict(self.advice).label)


def organisations_of(wave: Wave) -> list[int]:
    if wave.organisation_id is not None:
        return [wave.organisation_id]
    return list(Organisation.objects.filter(sector_id=wave.sector_id).values_list("pk", flat=True))


def _need_shares(
    matrix: RecommendationMatrix, frame: pd.DataFrame, kinds: dict[str, str], k: int
) -> dict[str, tuple[float | None, int | None]]:
    """Per intervention code: (share %, respondents) or (None, None) when hidden."""
    out: dict[str, tuple[float | None, int | None]] = {}
    for code, entries in (matrix.need_mapping or {}).items():
        best: tuple[float | None, int | None] = (None, None)
        for entry in entries:
            question, options = entry.get("question"), set(entry.get("options", []))
            if question not in frame or question not in kinds:
                continue
            answers = frame[question].dropna()
            if kinds[question] == QuestionKind.MULTIPLE:
                hits = sum(1 for v in answers if set(v or []) & options)
            else:
                hits = int(answers.astype(str).isin(options).sum())
            n = len(answers)
            protected = protect_counts({"yes": hits, "no": n - hits}, k)
            if protected["yes"].value is None or protected["no"].value is None or not n:
                continue
            share = 100.0 * hits / n
            if best[0] is None or share > best[0]:
                best = (share, n)
        out[code] = best
    return out


def _released_use(matrix: RecommendationMatrix, wave: Wave) -> tuple[dict[str, int | None], int]:
    """Users per intervention and the headcount, from the care release of the twelve
    months ending with the last closed quarter within the matrix's usage range (the whole
    sector, or the wave's organisation). Counted live over any range of days, two ranges
    a day apart would give one person's request away; the release is the same figure
    every report shows, hidden where the group is small."""
    from vitaal.care.release import care_release
    from vitaal.core.releases import PeriodRunning, ReleasePeriod, last_closed_quarter

    last = last_closed_quarter(min(matrix.usage_to + timedelta(days=1), timezone.localdate()))
    try:
        data = care_release(matrix.sector, ReleasePeriod.twelve_months_to(last.year, last.quarter))
    except PeriodRunning:
        return {}, 0
    if wave.organisation_id is not None:
        report = data["organisations"].get(str(wave.organisation_id))
        if report is None:
            return {}, 0
    else:
        report = data["sector_report"]
    cells: dict[str, int | None] = {}
    for breakdown in report["uptake"]["breakdowns"]:
        if breakdown["key"] == "intervention":
            cells = {row["key"]: row["cell"]["value"] for row in breakdown["rows"]}
    return cells, int(report["headcount"])


def evidence(matrix: RecommendationMatrix) -> list[Evidence]:
    """The evidence and the rule's advice for every intervention of the sector's catalog."""
    from vitaal.care.models import Intervention

    wave = matrix.wave
    t = Thresholds.of(matrix)
    questions = services.questions_of(wave.questionnaire)
    kinds = {q.code: q.kind for q in questions}
    # An open wave's answers are not released (selectors, "Release of results"): until it
    # closes, the need is unknown for every intervention.
    needs = (
        _need_shares(matrix, selectors.wave_frame(wave), kinds, threshold_for(matrix.sector, "survey"))
        if selectors.results_released(wave)
        else {}
    )
    users, headcount = _released_use(matrix, wave)
    decisions = {d.intervention_id: d for d in matrix.decisions.all()}
    rows: list[Evidence] = []
    for intervention in Intervention.objects.filter(sector=matrix.sector).order_by("name_nl"):
        need, need_n = needs.get(intervention.code, (None, None))
        shown = users.get(str(intervention.pk))
        use = 1000.0 * shown / headcount if shown is not None and headcount else None
        units = (intervention.max_sessions or 1) if intervention.tariff_unit == "session" else 1
        per_request = float(intervention.tariff) * units
        cost = per_request * use / 1000.0 if use is not None else None
        unique = not intervention.financing_sources
        score = points(need=need, use=use, unique=unique, cost=cost, t=t)
        rows.append(
            Evidence(
                intervention=intervention,
                need=need,
                need_n=need_n,
                need_mapped=intervention.code in (matrix.need_mapping or {}),
                requests=shown,
                use=use,
                unique=unique,
                sources=intervention.financing_source_labels(),
                cost_per_request=per_request,
                cost=cost,
                points=score,
                advice=verdict_for(score, t),
                decision=decisions.get(intervention.pk),
            )
        )
    return rows


def parse_mapping(text: str, valid: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """Read mapping lines ``intervention-code = question: option, option; question: option``.
    ``valid`` holds the questions that may be used with their answer codes."""
    mapping: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, sep, rest = line.partition("=")
        if not sep or not code.strip():
            raise ValidationError(_("Line %(n)s: write intervention = question: answers.") % {"n": number})
        entries = []
        for part in rest.split(";"):
            question, sep, options = part.partition(":")
            question = question.strip()
            chosen = [o.strip() for o in options.split(",") if o.strip()]
            if not sep or question not in valid or not chosen or set(chosen) - valid[question]:
                raise ValidationError(
                    _("Line %(n)s: %(part)s is not a question with those answers.")
                    % {"n": number, "part": part.strip()}
                )
            entries.append({"question": question, "options": chosen})
        mapping[code.strip()] = entries
    return mapping


def mapping_text(mapping: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(
        f"{code} = " + "; ".join(f"{e['question']}: {', '.join(e['options'])}" for e in entries)
        for code, entries in mapping.items()
    )


def mappable_questions(wave: Wave) -> dict[str, set[str]]:
    """Questions a need can be read from (single and multiple choice) with their answers."""
    return {
        q.code: {o.value for o in q.options.all()}
        for q in services.questions_of(wave.questionnaire)
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    }


@transaction.atomic
def matrix_save(
    *, matrix: RecommendationMatrix, mapping_lines: str | None = None, **values: Any
) -> RecommendationMatrix:
    """Create or change a matrix; bad settings raise ValidationError and store nothing."""
    for name, value in values.items():
        setattr(matrix, name, value)
    wave = matrix.wave
    if wave.sector_id != matrix.sector_id:
        raise ValidationError(_("The wave belongs to another sector."))
    if mapping_lines is not None:
        matrix.need_mapping = parse_mapping(mapping_lines, mappable_questions(wave))
    if matrix.usage_from > matrix.usage_to:
        raise ValidationError(_("The period of care use ends before it starts."))
    if matrix.need_low > matrix.need_high or matrix.use_low > matrix.use_high:
        raise ValidationError(_('The "some" threshold cannot be above the "high" threshold.'))
    if matrix.discuss_from > matrix.plus_from:
        raise ValidationError(_("The points for +/− cannot be above the points for +."))
    matrix.full_clean()
    matrix.save()
    return matrix


@transaction.atomic
def decision_set(
    *, matrix: RecommendationMatrix, intervention: Any, verdict: str, rationale: str
) -> MatrixDecision:
    if intervention.sector_id != matrix.sector_id:
        raise ValidationError(_("This intervention is not in the sector's catalog."))
    if verdict not in MatrixVerdict.values:
        raise ValidationError(_("Choose +, +/− or −."))
    if not rationale.strip():
        raise ValidationError(_("Give the rationale for the decision."))
    decision, _created = MatrixDecision.objects.update_or_create(
        matrix=matrix,
        intervention=intervention,
        defaults={"verdict": verdict, "rationale": rationale.strip()},
    )
    return decision


VERDICT_TO_PACKAGE = {MatrixVerdict.IN: "in", MatrixVerdict.DISCUSS: "discuss", MatrixVerdict.OUT: "out"}


@transaction.atomic
def carry_over(*, matrix: RecommendationMatrix) -> Any:
    """Put the decided interventions into the sector's draft package for the matrix's year
    (created when missing) through the care services. A published package is final: this
    is refused and nothing changes."""
    from vitaal.care import services as care
    from vitaal.care.models import Package

    decisions = list(matrix.decisions.select_related("intervention"))
    if not decisions:
        raise ValidationError(_("Record at least one decision before carrying the matrix over."))
    package = Package.objects.filter(sector=matrix.sector, year=matrix.year).first()
    if package is None:
        package = care.package_create(sector=matrix.sector, year=matrix.year)
    if package.is_published:
        raise ValidationError(
            _("The package for %(year)s has been published; it cannot be changed.") % {"year": matrix.year}
        )
    for decision in decisions:
        care.package_item_set(
            package=package,
            intervention=decision.intervention,
            verdict=VERDICT_TO_PACKAGE[MatrixVerdict(decision.verdict)],
            rationale_nl=decision.rationale,
            rationale_en=decision.rationale,
            financing=decision.intervention.financing_sources,
        )
    return package


def sector_waves(sector: Sector) -> list[Wave]:
    return list(Wave.objects.filter(sector=sector).order_by("-created_at", "-pk"))


def default_period(year: int) -> tuple[date, date]:
    """Care use of the year before the package year."""
    return date(year - 1, 1, 1), date(year - 1, 12, 31)

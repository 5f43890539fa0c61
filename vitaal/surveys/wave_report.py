"""A wave's survey report as one structure for the HTML page, the PDF and the XLSX:
method (response, period, representativeness, weighting), results per chapter and
breakdowns by every background question the wave has. Every number comes from the
protected functions of vitaal/surveys/results.py, the same ones ``vitaal survey analyze``
prints (vitaal/surveys/report_data.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from vitaal.core.disclosure import threshold_for
from vitaal.core.spreadsheets import safe_cell
from vitaal.surveys import charts, selectors, services
from vitaal.surveys.analysis import Raking
from vitaal.surveys.models import QuestionKind, Wave, WaveStatus
from vitaal.surveys.results import (
    Breakdown,
    Representativeness,
    Result,
    breakdown,
    categories_of,
    compare_groups,
    question_results,
    representativeness,
)
from vitaal.surveys.weighting import wave_weights


@dataclass
class Shown:
    """One result with its chart."""

    result: Result
    chart: Any


@dataclass
class Chapter:
    title: str
    results: list[Shown] = field(default_factory=list)


@dataclass
class BreakdownSection:
    title: str
    items: list[tuple[Breakdown, Any]]


@dataclass
class WaveReport:
    wave: Wave
    weighted: bool
    raking: Raking | None
    counts: dict[str, int]
    period: tuple[Any, Any]
    k: int
    representativeness: list[Representativeness]
    chapters: list[Chapter]
    breakdowns: list[BreakdownSection]
    comparison: list[tuple[Breakdown, Any]] = field(default_factory=list)
    # Coded open answers: (question text, protected frequencies) per codebook of the wave.
    coded: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def started(self) -> int:
        return self.counts["partial"] + self.counts["complete"]


def result_chart(result: Result) -> Any:
    if result.hidden or not result.rows:
        return None
    return charts.bars([(row.label, row.percent) for row in result.rows])


def breakdown_chart(b: Breakdown) -> Any:
    return charts.grouped(
        [label for _c, label in b.categories],
        [label for _g, label in b.groups],
        [[b.percents[g, c] for c, _l in b.categories] for g, _gl in b.groups],
    )


def group_comparison(
    wave: Wave, others: list[Wave], *, k: int, frame: pd.DataFrame | None = None
) -> list[tuple[Breakdown, Any]]:
    """Respondent groups side by side: every single-answer question of ``wave`` that the
    other waves asked with the same variable name and answers, protected as one table.
    ``frame``: the wave's own frame when the caller already has it. Waves still open are
    left out (their answers are not released; selectors, "Release of results")."""
    waves = [wave, *[w for w in others if selectors.results_released(w)]]
    frames = {
        w.pk: frame if w.pk == wave.pk and frame is not None else selectors.wave_frame(w) for w in waves
    }
    by_code = {w.pk: {q.code: q for q in services.questions_of(w.questionnaire)} for w in waves}
    items = []
    for question in by_code[wave.pk].values():
        if question.kind not in (QuestionKind.SINGLE, QuestionKind.AGREEMENT) or question.background:
            continue
        codes = [c for c, _l in categories_of(question)]
        groups = [
            (str(w.questionnaire.get_audience_display()), by_code[w.pk][question.code], frames[w.pk])
            for w in waves
            if question.code in by_code[w.pk]
            and [c for c, _l in categories_of(by_code[w.pk][question.code])] == codes
        ]
        if len(groups) >= 2:
            b = compare_groups(groups, k=k)
            items.append((b, breakdown_chart(b)))
    return items


def sibling_waves(wave: Wave) -> list[Wave]:
    """Waves of the same organisation (or sector-wide waves of the same sector) for
    another audience: the respondent groups a report sets side by side."""
    waves = Wave.objects.filter(sector_id=wave.sector_id)
    if wave.organisation_id is None:
        waves = waves.filter(organisation__isnull=True)
    else:
        waves = waves.filter(organisation_id=wave.organisation_id)
    return list(
        waves.exclude(pk=wave.pk)
        .exclude(questionnaire__audience=wave.questionnaire.audience)
        .filter(status=WaveStatus.CLOSED)  # only released answers are set side by side
        .select_related("questionnaire")
        .order_by("pk")
    )


def build(wave: Wave, *, weighted: bool = False, with_breakdowns: bool = True) -> WaveReport:
    questions = services.questions_of(wave.questionnaire)
    frame = selectors.wave_frame(wave)
    k_opinion = threshold_for(wave.sector, "survey")
    k_text = threshold_for(wave.sector, "free_text")
    raking = wave_weights(wave, frame)
    weights = raking.weights if weighted and raking is not None else None
    chapters: list[Chapter] = []
    for question in questions:
        title = question.localized("chapter") or _("Other questions")
        if not chapters or chapters[-1].title != title:
            chapters.append(Chapter(title))
        for result in question_results(question, frame, k_opinion=k_opinion, k_text=k_text, weights=weights):
            chapters[-1].results.append(Shown(result, result_chart(result)))
    sections: list[BreakdownSection] = []
    if with_breakdowns:
        backgrounds = [q for q in questions if q.background and q.kind == QuestionKind.SINGLE]
        crossable = [q for q in questions if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT)]
        for by in backgrounds:
            items = []
            for question in crossable:
                if question.pk == by.pk or question.background:
                    continue
                b = breakdown(question, by, frame, k=k_opinion, weights=weights)
                items.append((b, breakdown_chart(b)))
            if items:
                sections.append(BreakdownSection(str(by.get_background_display()), items))
    comparison = (
        group_comparison(wave, sibling_waves(wave), k=k_opinion, frame=frame) if with_breakdowns else []
    )
    dates = wave.responses.aggregate(first=Min("started_on"), last=Max("submitted_on"))
    from vitaal.surveys.coding import coded_frequencies
    from vitaal.surveys.models import Codebook

    coded = [
        (codebook.question.localized("text"), coded_frequencies(codebook, k=k_text))
        for codebook in Codebook.objects.filter(wave=wave).select_related("question", "wave__sector")
    ]
    return WaveReport(
        wave=wave,
        weighted=weights is not None,
        raking=raking,
        counts=selectors.wave_status(wave),
        period=(wave.opens_on or dates["first"], wave.closes_on or dates["last"]),
        k=k_opinion,
        representativeness=representativeness(questions, frame, wave.population or {}, k=k_opinion),
        chapters=chapters,
        breakdowns=sections,
        comparison=comparison,
        coded=coded,
    )


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def to_xlsx(report: WaveReport) -> bytes:
    """One sheet for the method and one per chapter; every sheet protected, every text
    through ``safe_cell``. Percentages are rounded to 2 decimals like the CLI's JSON."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    method = workbook.active
    method.title = _("Method")[:31]
    method.append([safe_cell(report.wave.title)])
    method.append([safe_cell(_("Started")), report.started])
    method.append([safe_cell(_("Complete")), report.counts["complete"]])
    method.append([safe_cell(_("Partial")), report.counts["partial"]])
    method.append([safe_cell(_("Weighted")), safe_cell(_("yes") if report.weighted else _("no"))])
    if report.raking is not None:
        method.append([safe_cell(_("Design effect")), round(report.raking.design_effect, 3)])
        method.append([safe_cell(_("Effective N")), round(report.raking.effective_n, 1)])
    for rep in report.representativeness:
        method.append([])
        method.append(
            [
                safe_cell(str(rep.question.get_background_display())),
                safe_cell(_("Number")),
                safe_cell(_("Sample %")),
                safe_cell(_("Population %")),
            ]
        )
        for label, count, sample, population in rep.rows:
            method.append([safe_cell(label), count, _pct(sample), _pct(population)])
        if rep.test is not None:
            method.append([safe_cell(rep.test.reading)])
    bold = Font(bold=True)
    headers = [
        _("Variable"),
        _("Question"),
        _("Answer code"),
        _("Answer"),
        _("Number"),
        "%",
        "N",
        _("Mean"),
        _("95% CI low"),
        _("95% CI high"),
    ]
    used: set[str] = {method.title}
    for chapter in report.chapters:
        title = "".join(ch for ch in chapter.title if ch not in "[]:*?/\\")[:31] or "Sheet"
        while title in used:
            title = title[:28] + f"({len(used)})"
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([safe_cell(str(h)) for h in headers])
        for cell in sheet[1]:
            cell.font = bold
        for shown in chapter.results:
            r = shown.result
            m = r.mean
            tail = [round(m.mean, 3), round(m.low, 3), round(m.high, 3)] if m else [None, None, None]
            if not r.rows:
                sheet.append([safe_cell(r.code), safe_cell(r.text), None, None, None, None, r.n, *tail])
            for row in r.rows:
                sheet.append(
                    [
                        safe_cell(r.code),
                        safe_cell(r.text),
                        safe_cell(row.code),
                        safe_cell(row.label),
                        row.count,
                        _pct(row.percent),
                        r.n,
                        *tail,
                    ]
                )
        sheet.freeze_panes = "A2"
    if report.coded:
        sheet = workbook.create_sheet(_("Coded answers")[:31])
        sheet.append(
            [
                safe_cell(str(h))
                for h in (_("Question"), _("Code"), _("Number"), _("Percentage of respondents"))
            ]
        )
        for question_text, freq in report.coded:
            for row in freq.rows:
                sheet.append(
                    [
                        safe_cell(question_text),
                        safe_cell(row.code.localized_label),
                        row.count,
                        _pct(row.percent_respondents),
                    ]
                )
    for sheet in workbook.worksheets:
        sheet.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(report: WaveReport) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("surveys/reports/wave_report_pdf.html", {"report": report})
    return bytes(HTML(string=html).write_pdf())

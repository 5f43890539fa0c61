"""Demo data for ``vitaal demo``: a sector-wide employee survey with about 3,000
responses (skewed like the study: more women and more support staff than the population,
so weighting matters; about one in six stopped halfway), and the HR (24) and
works-council (17) interview rounds. Answers follow the skip logic; rows are written in
bulk, with no link to any person."""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from typing import Any

from vitaal.core.hooks import DemoContext
from vitaal.core.models import Person
from vitaal.surveys import demo_coding, services
from vitaal.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    ResponseSource,
    ResponseStatus,
    SurveyResponse,
    Wave,
    WaveStatus,
    new_token,
    token_hash,
)
from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

POPULATION = {
    "gender": {"woman": 52.0, "man": 47.0, "x": 1.0},
    "function_group": {"teaching": 55.0, "support": 38.0, "management": 7.0},
    "age_band": {"u35": 22.0, "35_44": 26.0, "45_54": 27.0, "55p": 25.0},
}
SAMPLE = {
    "gender": {"woman": 64, "man": 35, "x": 1},
    "function_group": {"teaching": 40, "support": 52, "management": 8},
    "age_band": {"u35": 15, "35_44": 25, "45_54": 32, "55p": 28},
}


# Below this many staff the everyday wave of 3,000 would outnumber the staff it surveys.
SMALL_SECTOR = 1000
EVERYDAY_RESPONSES = 3000


def build(
    context: DemoContext, *, employees: int | None = None, hr: int = 24, works_council: int = 17
) -> None:
    loaded = {
        name: questionnaire_load(data=questionnaire_read(DATA_DIR / f"{name}.json")).questionnaire
        for name in ("employee_survey", "hr_interview", "works_council_interview")
    }
    rng = context.rng_for("surveys")
    sizes = [org.size_class for org, _units in context.organisations] or ["medium"]
    survey = _wave(context, loaded["employee_survey"], "Medewerkersenquête zorgarrangement")
    services.wave_population_set(wave=survey, shares=POPULATION)
    if context.history:
        # Sector scale: about one response per member of staff, written in chunks so memory
        # stays bounded (see docs/sector-scale-pillars.md).
        employees = Person.objects.current().filter(organisation__sector=context.sector).count()
        from vitaal.surveys.demo_history import fill_in_chunks

        fill_in_chunks(survey, employees, sizes, rng)
    else:
        if employees is None:
            staff = Person.objects.current().filter(organisation__sector=context.sector).count()
            # A tiny sector (smoke tests, `--people 60`) gets no more respondents than staff.
            employees = EVERYDAY_RESPONSES if staff >= SMALL_SECTOR else max(staff, 20)
        _fill(survey, [_employee(rng, sizes) for _ in range(employees)], rng)
    for key, n, title in (
        ("hr_interview", hr, "Interviews HR"),
        ("works_council_interview", works_council, "Interviews medezeggenschapsraad"),
    ):
        wave = _wave(context, loaded[key], title)
        _fill(wave, [_interview(rng, loaded[key]) for _ in range(n)], rng, source=ResponseSource.INTERVIEW)
    context.lines.append(
        f"Surveys: {employees} employee responses, {hr} HR and {works_council} works-council interviews"
    )
    demo_coding.build(context)  # codebooks and coded open answers (vitaal/surveys/demo_coding.py)


def _wave(context: DemoContext, questionnaire: Questionnaire, title: str) -> Wave:
    wave = services.wave_create(questionnaire=questionnaire, sector=context.sector, title=title)
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status"])
    return wave


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _employee(rng: random.Random, sizes: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for code, weights in SAMPLE.items():
        if rng.random() > 0.04:  # a few skip each background question
            row[code] = _pick(rng, weights)
    if rng.random() > 0.04:
        row["org_size"] = rng.choice(sizes)
    row["hours"] = float(rng.choice([16, 20, 24, 28, 32, 36, 38]))
    complaints = _pick(rng, {"yes": 0.3, "no": 0.62, "rather_not": 0.08})
    base = 7.4 if complaints == "no" else 6.1
    row["health_grade"] = float(min(10, max(1, round(rng.gauss(base, 1.2)))))
    row["complaints"] = complaints
    row["attention"] = {
        "cares": _pick(rng, {"2": 1, "3": 3, "4": 5, "5": 2}),
        "knows_offer": _pick(rng, {"1": 2, "2": 4, "3": 3, "4": 3, "5": 1}),
        "easy_to_ask": _pick(rng, {"1": 1, "2": 3, "3": 4, "4": 3, "5": 1}),
    }
    steps = rng.random() < (0.45 if complaints == "yes" else 0.25)
    row["took_steps"] = "yes" if steps else "no"
    if steps:
        chosen = [
            c
            for c, p in (("coaching", 0.4), ("physio", 0.35), ("psych", 0.25), ("workshop", 0.2))
            if rng.random() < p
        ]
        row["support_used"] = chosen or ["coaching"]
        row["helped"] = _pick(rng, {"2": 1, "3": 2, "4": 5, "5": 3})
    else:
        reasons = [
            c
            for c, p in (("no_need", 0.55), ("unknown", 0.3), ("no_time", 0.2), ("privacy", 0.1))
            if rng.random() < p
        ]
        row["why_not"] = reasons or ["no_need"]
    row["future_grade"] = float(min(10, max(1, round(rng.gauss(8.2, 1.1)))))
    row["wanted_form"] = [
        c
        for c, p in (("one_to_one", 0.6), ("group", 0.2), ("online", 0.4), ("at_work", 0.3))
        if rng.random() < p
    ] or ["one_to_one"]
    if rng.random() < 0.15:
        row["comments"] = rng.choice(
            ["Meer aandacht voor werkdruk.", "Graag hulp dichtbij huis.", "Het aanbod is niet bekend genoeg."]
        )
    return row


def _interview(rng: random.Random, questionnaire: Questionnaire) -> dict[str, Any]:
    row: dict[str, Any] = {}
    questions = list(
        questionnaire.questions.select_related("show_if_question").prefetch_related("options", "statements")
    )
    for q in questions:
        condition = q.show_if_question
        if condition is not None and row.get(condition.code) not in q.show_if_values:
            continue  # skip logic: this question was not asked
        if q.kind in (QuestionKind.SINGLE,):
            row[q.code] = rng.choice([o.value for o in q.options.all()][:3])
        elif q.kind == QuestionKind.MULTIPLE:
            row[q.code] = [o.value for o in q.options.all() if rng.random() < 0.5]
        elif q.kind == QuestionKind.AGREEMENT:
            row[q.code] = rng.choice(["2", "3", "4", "4", "5"])
        elif q.kind == QuestionKind.GRADE:
            row[q.code] = float(rng.choice([6, 7, 7, 8, 8, 9]))
        elif q.kind == QuestionKind.MATRIX:
            row[q.code] = {s.code: rng.choice(["2", "3", "4", "5"]) for s in q.statements.all()}
        elif q.kind == QuestionKind.OPEN and rng.random() < 0.7:
            row[q.code] = rng.choice(["Laagdrempelig aanbod.", "Meer preventie.", "Betere communicatie."])
    return row


def _fill(
    wave: Wave, rows: list[dict[str, Any]], rng: random.Random, *, source: str = ResponseSource.LINK
) -> None:
    questions: dict[str, Question] = {q.code: q for q in services.questions_of(wave.questionnaire)}
    day = datetime.date(2025, 6, 2)
    partial = [source != ResponseSource.INTERVIEW and rng.random() < 0.17 for _ in rows]
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            wave=wave,
            resume_key_hash=token_hash(new_token()),
            source=source,
            status=ResponseStatus.PARTIAL if is_partial else ResponseStatus.COMPLETE,
            started_on=day,
            submitted_on=None if is_partial else day,
        )
        for is_partial in partial
    )
    answers: list[Answer] = []
    order = list(questions)
    for response, row, is_partial in zip(responses, rows, partial, strict=True):
        # Someone who stopped halfway answered the first part of the questionnaire only.
        stop = rng.randint(5, len(order) - 2) if is_partial else len(order)
        answers += _answers(response, row, questions, order[:stop])
    Answer.objects.bulk_create(answers, batch_size=5000)


def _answers(
    response: SurveyResponse, row: dict[str, Any], questions: dict[str, Question], asked: list[str]
) -> list[Answer]:
    """The answer rows of one response for the questions it got to."""
    return [
        Answer(
            response=response,
            question=question,
            statement=statement,
            choice=choice,
            choices=choices,
            number=number,
            text=text,
        )
        for question, statement, choice, choices, number, text in answer_values(row, questions, asked)
    ]


AnswerValues = tuple[Question, Any, str, list[str], float | None, str]


def answer_values(
    row: dict[str, Any], questions: dict[str, Question], asked: list[str]
) -> list[AnswerValues]:
    """What one respondent's answers store, per answer row: (question, statement, choice,
    choices, number, text), for the questions they got to."""
    out: list[AnswerValues] = []
    for code in asked:
        if code not in row:
            continue
        question, value = questions[code], row[code]
        if question.kind == QuestionKind.MATRIX:
            statements = {s.code: s for s in question.statements.all()}
            out += [(question, statements[k], v, [], None, "") for k, v in value.items()]
        elif question.kind == QuestionKind.MULTIPLE:
            if value:
                out.append((question, None, "", value, None, ""))
        elif question.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
            out.append((question, None, "", [], value, ""))
        elif question.kind == QuestionKind.OPEN:
            out.append((question, None, "", [], None, value))
        else:
            out.append((question, None, value, [], None, ""))
    return out

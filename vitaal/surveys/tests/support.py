"""Test helpers: fill a wave with complete responses quickly (straight rows, no HTTP)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from vitaal.surveys import services
from vitaal.surveys.models import Answer, QuestionKind, ResponseStatus, SurveyResponse, Wave

_counter = itertools.count()


def fill(
    wave: Wave, rows: list[dict[str, Any]], *, status: str = ResponseStatus.COMPLETE, close: bool = True
) -> list[SurveyResponse]:
    """One response per dict of ``{question code: value}`` (lists for multiple choice,
    numbers for grades, ``{statement: code}`` for a matrix). The wave is then closed
    (``close=False`` keeps it open), because results are read only from closed waves."""
    questions = {q.code: q for q in wave.questionnaire.questions.prefetch_related("statements")}
    today = datetime.date(2026, 5, 1)
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            wave=wave,
            resume_key_hash=f"test-{next(_counter)}",
            source="open_link",
            status=status,
            started_on=today,
            submitted_on=today if status == ResponseStatus.COMPLETE else None,
        )
        for _row in rows
    )
    answers: list[Answer] = []
    for response, row in zip(responses, rows, strict=True):
        for code, value in row.items():
            question = questions[code]
            if question.kind == QuestionKind.MATRIX:
                statements = {s.code: s for s in question.statements.all()}
                answers.extend(
                    Answer(response=response, question=question, statement=statements[s], choice=c)
                    for s, c in value.items()
                )
            elif question.kind == QuestionKind.MULTIPLE:
                answers.append(Answer(response=response, question=question, choices=value))
            elif question.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
                answers.append(Answer(response=response, question=question, number=value))
            elif question.kind == QuestionKind.OPEN:
                answers.append(Answer(response=response, question=question, text=value))
            else:
                answers.append(Answer(response=response, question=question, choice=value))
    Answer.objects.bulk_create(answers)
    if close:
        services.wave_close(wave=wave)
    return responses

"""Answer validation and skip logic, without the database: a question and the raw input
go in, a clean value or a translated ``ValidationError`` comes out.

Raw input per question (as the answer page posts it, or an import supplies it):
single/agreement ``str``; multiple ``list[str]``; grade/number ``str``; open ``str``;
matrix ``dict[statement code, str]``; plus ``other`` (the "other, namely" text).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vitaal.surveys.models import AGREEMENT_SCALE, GRADE_MAX, GRADE_MIN, OTHER, Question, QuestionKind

SCALE_CODES = [code for code, _label in AGREEMENT_SCALE]
MAX_TEXT = 2000


@dataclass
class Value:
    """A clean answer to one question; ``empty`` when the respondent left it open."""

    choice: str = ""
    choices: list[str] = field(default_factory=list)
    number: float | None = None
    text: str = ""
    statements: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.choice or self.choices or self.number is not None or self.text or self.statements)

    def matches(self, values: list[str]) -> bool:
        """Whether this answer is one of ``values`` (skip logic). Numbers compare by their
        integer text, so a grade condition reads ``["1", "2", "3"]``."""
        if self.choice:
            return self.choice in values
        if self.choices:
            return any(choice in values for choice in self.choices)
        if self.number is not None:
            number = int(self.number) if float(self.number).is_integer() else self.number
            return str(number) in values
        return False


def option_values(question: Question) -> list[str]:
    """The codes a choice question accepts (uses prefetched options when present)."""
    if question.kind == QuestionKind.AGREEMENT:
        return list(SCALE_CODES)
    values = [option.value for option in question.options.all()]
    if question.allow_other:
        values.append(OTHER)
    return values


def _number(question: Question, raw: Any) -> float | None:
    text = str(raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise ValidationError(_("Fill in a number.")) from exc
    if not math.isfinite(number):
        raise ValidationError(_("Fill in a number."))
    if question.kind == QuestionKind.GRADE:
        if not number.is_integer() or not GRADE_MIN <= number <= GRADE_MAX:
            raise ValidationError(_("Give a whole number from 1 to 10."))
        return number
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            _("Fill in a number from %(low)s to %(high)s.")
            % {"low": _fmt(low) if low is not None else "…", "high": _fmt(high) if high is not None else "…"}
        )
    return number


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def clean_answer(question: Question, raw: Any, other: str = "") -> Value:
    """Check raw input against the question; raise ``ValidationError`` when it does not fit.

    An empty answer is returned as an empty ``Value``; whether it may be empty is decided
    at submission (``missing_required``), so a respondent can save half a page."""
    kind = question.kind
    other = (other or "").strip()
    if kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT):
        choice = str(raw or "").strip()
        if not choice:
            return Value()
        if choice not in option_values(question):
            raise ValidationError(_("Choose one of the answers shown."))
        value = Value(choice=choice)
        if choice == OTHER:
            value.text = _other_text(other)
        return value
    if kind == QuestionKind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else ([raw] if raw else [])
        choices = [str(item).strip() for item in items if str(item).strip()]
        allowed = option_values(question)
        if any(choice not in allowed for choice in choices):
            raise ValidationError(_("Choose only from the answers shown."))
        # Keep the options' order and drop repeats, so equal answers store equally.
        value = Value(choices=[code for code in allowed if code in choices])
        if OTHER in value.choices:
            value.text = _other_text(other)
        return value
    if kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
        return Value(number=_number(question, raw))
    if kind == QuestionKind.OPEN:
        text = str(raw or "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(
                _("Your answer is too long. Use at most %(n)s characters.") % {"n": MAX_TEXT}
            )
        return Value(text=text)
    if kind == QuestionKind.MATRIX:
        rows = raw if isinstance(raw, Mapping) else {}
        codes = {statement.code for statement in question.statements.all()}
        if set(rows) - codes:
            raise ValidationError(_("This question has no such statement."))
        statements = {code: str(choice).strip() for code, choice in rows.items() if str(choice or "").strip()}
        if any(choice not in SCALE_CODES for choice in statements.values()):
            raise ValidationError(_("Choose one of the answers shown."))
        return Value(statements=statements)
    raise ValidationError(_("Unknown kind of question."))


def _other_text(other: str) -> str:
    if not other:
        raise ValidationError(_('You chose "other". Write down what you mean.'))
    if len(other) > 300:
        raise ValidationError(_("Your answer is too long. Use at most %(n)s characters.") % {"n": 300})
    return other


def is_shown(question: Question, values: Mapping[str, Value], codes: Mapping[int, str]) -> bool:
    """Skip logic: a question with a condition shows only when the earlier answer matches.

    ``values`` maps question codes to clean answers; ``codes`` maps question ids to codes
    (so the condition's question is not fetched again)."""
    if question.show_if_question_id is None:
        return True
    value = values.get(codes[question.show_if_question_id])
    return value is not None and value.matches(list(question.show_if_values))


def is_complete(question: Question, value: Value | None) -> bool:
    """Whether a question counts as answered (a matrix needs every statement)."""
    if value is None or value.empty:
        return False
    if question.kind == QuestionKind.MATRIX:
        return len(value.statements) == len(question.statements.all())
    return True


def missing_required(questions: list[Question], values: Mapping[str, Value]) -> list[Question]:
    """The required questions that are shown (by skip logic) but not answered."""
    codes = {question.pk: question.code for question in questions}
    return [
        question
        for question in questions
        if question.required
        and is_shown(question, values, codes)
        and not is_complete(question, values.get(question.code))
    ]

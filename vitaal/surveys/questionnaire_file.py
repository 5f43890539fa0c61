"""Questionnaires as data files (vitaal/surveys/data/*.json): read, check whole, load.

A file holds one questionnaire version. Every problem in a file is reported (with the
question it is about) before anything is stored; loading is one transaction. Loading the
same file again changes nothing; loading other content under an existing version is
refused, because answers already collected refer to that version's questions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from vitaal.surveys.answers import SCALE_CODES
from vitaal.surveys.models import (
    OTHER,
    Audience,
    Background,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Statement,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


class QuestionnaireFileError(Exception):
    """A file was refused; ``errors`` lists every reason."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    questionnaire: Questionnaire
    created: bool


def questionnaire_read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuestionnaireFileError([f"{path.name}: cannot be read as JSON ({exc})."]) from exc
    if not isinstance(data, dict):
        raise QuestionnaireFileError([f"{path.name}: the file must hold one JSON object."])
    return data


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _bilingual(value: Any, where: str, errors: list[str], *, required: bool = True) -> tuple[str, str]:
    if value is None and not required:
        return "", ""
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in ("nl", "en")):
        errors.append(f"{where}: needs a Dutch and an English text (nl, en).")
        return "", ""
    nl, en = value["nl"].strip(), value["en"].strip()
    if required and not (nl and en):
        errors.append(f"{where}: the Dutch and English texts may not be empty.")
    return nl, en


def questionnaire_check(data: dict[str, Any]) -> list[str]:
    """Every problem in the file, or an empty list."""
    errors: list[str] = []
    for key in ("code", "version", "audience", "title", "questions"):
        if key not in data:
            errors.append(f"missing field {key!r}.")
    if errors:
        return errors
    if data["audience"] not in Audience.values:
        errors.append(f"audience {data['audience']!r} is not one of {', '.join(Audience.values)}.")
    if not isinstance(data["version"], int) or data["version"] < 1:
        errors.append("version must be a whole number of 1 or more.")
    _bilingual(data["title"], "title", errors)
    _bilingual(data.get("intro"), "intro", errors, required=False)
    questions = data["questions"]
    if not isinstance(questions, list) or not questions:
        return [*errors, "questions: at least one question is needed."]
    seen: dict[str, dict[str, Any]] = {}
    last_page = 1
    for number, q in enumerate(questions, start=1):
        where = f"question {number} ({q.get('code', '?')})"
        errors.extend(_check_question(q, where, seen, last_page))
        last_page = max(last_page, int(q.get("page", 1)) if isinstance(q.get("page", 1), int) else 1)
        if isinstance(q.get("code"), str):
            seen[q["code"]] = q
    return errors


def _answer_codes(q: dict[str, Any]) -> set[str]:
    kind = q.get("kind")
    if kind == QuestionKind.AGREEMENT:
        return set(SCALE_CODES)
    if kind == QuestionKind.GRADE:
        return {str(n) for n in range(1, 11)}
    if kind in CHOICE_KINDS:
        codes = {str(option.get("value")) for option in q.get("options", [])}
        return codes | ({OTHER} if q.get("allow_other") else set())
    return set()


def _check_question(q: Any, where: str, seen: dict[str, dict[str, Any]], last_page: int) -> list[str]:
    errors: list[str] = []
    if not isinstance(q, dict):
        return [f"{where}: must be an object."]
    code, kind = q.get("code"), q.get("kind")
    if not isinstance(code, str) or not code.replace("_", "").replace("-", "").isalnum():
        errors.append(f"{where}: code must be letters, digits, '-' or '_'.")
    elif code in seen:
        errors.append(f"{where}: code {code!r} is used twice.")
    if kind not in QuestionKind.values:
        errors.append(f"{where}: kind {kind!r} is not one of {', '.join(QuestionKind.values)}.")
    page = q.get("page", 1)
    if not isinstance(page, int) or page < last_page:
        errors.append(f"{where}: pages must be whole numbers that never go down.")
    _bilingual(q.get("text"), f"{where} text", errors)
    _bilingual(q.get("chapter"), f"{where} chapter", errors, required=False)
    _bilingual(q.get("help"), f"{where} help", errors, required=False)
    options, statements = q.get("options", []), q.get("statements", [])
    if kind in CHOICE_KINDS:
        if not options:
            errors.append(f"{where}: a choice question needs options.")
        values = [str(option.get("value", "")) for option in options]
        if len(set(values)) != len(values) or "" in values or OTHER in values:
            errors.append(f"{where}: option values must be filled in, different, and not {OTHER!r}.")
        for option in options:
            _bilingual(option.get("label"), f"{where} option {option.get('value')!r}", errors)
    elif options or q.get("allow_other"):
        errors.append(f"{where}: only choice questions have options.")
    if kind == QuestionKind.MATRIX:
        codes = [s.get("code") for s in statements]
        if not statements or len(set(codes)) != len(codes):
            errors.append(f"{where}: a matrix needs statements with different codes.")
        for statement in statements:
            _bilingual(statement.get("text"), f"{where} statement {statement.get('code')!r}", errors)
    elif statements:
        errors.append(f"{where}: only a matrix has statements.")
    background = q.get("background", "")
    if background:
        if background not in Background.values:
            errors.append(f"{where}: background {background!r} is not one of {', '.join(Background.values)}.")
        if q.get("required"):
            errors.append(f"{where}: background questions may always be skipped, so not required.")
    low, high = q.get("min"), q.get("max")
    if (low is not None or high is not None) and kind != QuestionKind.NUMBER:
        errors.append(f"{where}: only number questions have a minimum or maximum.")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        errors.append(f"{where}: the minimum is above the maximum.")
    condition = q.get("show_if")
    if condition is not None:
        target = seen.get(str(condition.get("question"))) if isinstance(condition, dict) else None
        if target is None:
            errors.append(f"{where}: show_if must name an earlier question.")
        else:
            if int(target.get("page", 1)) >= int(page if isinstance(page, int) else 0):
                # The answer page is plain HTML: a condition is judged when the page is
                # sent, so it can only depend on an answer given on an earlier page.
                errors.append(f"{where}: show_if must name a question on an earlier page.")
            values = condition.get("values")
            allowed = _answer_codes(target)
            if not isinstance(values, list) or not values or not {str(v) for v in values} <= allowed:
                errors.append(f"{where}: show_if values must be answers of {target.get('code')!r}.")
    return errors


@transaction.atomic
def questionnaire_load(*, data: dict[str, Any]) -> LoadResult:
    """Check the whole file, then store it as a new questionnaire version (or nothing)."""
    errors = questionnaire_check(data)
    if errors:
        raise QuestionnaireFileError(errors)
    digest = content_hash(data)
    existing = Questionnaire.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        if existing.content_hash != digest:
            raise QuestionnaireFileError(
                [
                    f"{data['code']} version {data['version']} already exists with other content; "
                    "raise the version."
                ]
            )
        return LoadResult(existing, created=False)
    errs: list[str] = []
    title = _bilingual(data["title"], "title", errs)
    intro = _bilingual(data.get("intro"), "intro", errs, required=False)
    questionnaire = Questionnaire.objects.create(
        code=data["code"],
        version=data["version"],
        audience=data["audience"],
        title_nl=title[0],
        title_en=title[1],
        intro_nl=intro[0],
        intro_en=intro[1],
        is_interview=bool(data.get("is_interview", False)),
        content_hash=digest,
    )
    by_code: dict[str, Question] = {}
    for position, q in enumerate(data["questions"], start=1):
        text = _bilingual(q["text"], "", errs)
        chapter = _bilingual(q.get("chapter"), "", errs, required=False)
        help_text = _bilingual(q.get("help"), "", errs, required=False)
        condition = q.get("show_if")
        question = Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            page=q.get("page", 1),
            code=q["code"],
            kind=q["kind"],
            chapter_nl=chapter[0],
            chapter_en=chapter[1],
            text_nl=text[0],
            text_en=text[1],
            help_nl=help_text[0],
            help_en=help_text[1],
            required=bool(q.get("required", False)),
            background=q.get("background", ""),
            allow_other=bool(q.get("allow_other", False)),
            min_value=q.get("min"),
            max_value=q.get("max"),
            show_if_question=by_code[condition["question"]] if condition else None,
            show_if_values=[str(v) for v in condition["values"]] if condition else [],
        )
        by_code[question.code] = question
        Option.objects.bulk_create(
            Option(
                question=question,
                position=n,
                value=str(option["value"]),
                label_nl=option["label"]["nl"].strip(),
                label_en=option["label"]["en"].strip(),
            )
            for n, option in enumerate(q.get("options", []), start=1)
        )
        Statement.objects.bulk_create(
            Statement(
                question=question,
                position=n,
                code=statement["code"],
                text_nl=statement["text"]["nl"].strip(),
                text_en=statement["text"]["en"].strip(),
            )
            for n, statement in enumerate(q.get("statements", []), start=1)
        )
    return LoadResult(questionnaire, created=True)

"""Questionnaire files: the shipped ones load, bad files are refused whole, versions are
fixed once loaded."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vitaal.surveys.models import Audience, Question, QuestionKind, Questionnaire
from vitaal.surveys.questionnaire_file import (
    DATA_DIR,
    QuestionnaireFileError,
    questionnaire_load,
    questionnaire_read,
)

pytestmark = pytest.mark.django_db


def _data(name: str = "employee_survey.json") -> dict:
    return questionnaire_read(DATA_DIR / name)


def test_the_three_shipped_questionnaires_load_and_reload_without_change() -> None:
    out = StringIO()
    call_command("load_questionnaires", stdout=out)
    assert set(Questionnaire.objects.values_list("audience", flat=True)) == {
        Audience.EMPLOYEES,
        Audience.HR,
        Audience.WORKS_COUNCIL,
    }
    count = Question.objects.count()
    out = StringIO()
    call_command("load_questionnaires", stdout=out)
    assert "unchanged" in out.getvalue()
    assert Question.objects.count() == count


def test_the_employee_survey_has_every_question_kind_bilingual_and_skip_logic() -> None:
    q = questionnaire_load(data=_data()).questionnaire
    kinds = set(q.questions.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)
    for question in q.questions.all():
        assert question.text_nl and question.text_en
    backgrounds = q.questions.exclude(background="")
    assert set(backgrounds.values_list("background", flat=True)) == {
        "gender",
        "function_group",
        "age_band",
        "organisation",
    }
    assert not backgrounds.filter(required=True).exists()
    why_not = q.questions.get(code="why_not")
    assert why_not.show_if_question.code == "took_steps" and why_not.show_if_values == ["no"]
    assert q.questions.get(code="support_used").allow_other


def test_interview_guides_are_marked_as_interviews() -> None:
    hr = questionnaire_load(data=_data("hr_interview.json")).questionnaire
    assert hr.is_interview and hr.audience == Audience.HR


def test_other_content_under_a_loaded_version_is_refused() -> None:
    questionnaire_load(data=_data())
    changed = _data()
    changed["questions"][5]["text"]["en"] = "Something else"
    with pytest.raises(QuestionnaireFileError, match="raise the version"):
        questionnaire_load(data=changed)
    changed["version"] = 2
    assert questionnaire_load(data=changed).created


def _bad(mutate) -> list[str]:
    data = copy.deepcopy(_data())
    mutate(data)
    with pytest.raises(QuestionnaireFileError) as info:
        questionnaire_load(data=data)
    assert not Questionnaire.objects.exists()
    return info.value.errors


def _question(data: dict, code: str) -> dict:
    return next(q for q in data["questions"] if q["code"] == code)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(audience="pupils"), "audience"),
        (
            lambda d: _question(d, "gender").update(required=True),
            "background questions may always be skipped",
        ),
        (
            lambda d: _question(d, "why_not").update(show_if={"question": "comments", "values": ["x"]}),
            "earlier question",
        ),
        (
            lambda d: _question(d, "why_not").update(show_if={"question": "took_steps", "values": ["maybe"]}),
            "show_if values",
        ),
        (
            lambda d: _question(d, "attention").update(show_if={"question": "health_grade", "values": ["1"]}),
            "earlier page",
        ),
        (lambda d: _question(d, "complaints").update(options=[]), "needs options"),
        (lambda d: _question(d, "hours").update(min=70), "minimum is above"),
        (lambda d: _question(d, "comments").update(text={"nl": "Nog iets?"}), "Dutch and an English"),
        (lambda d: d["questions"].append(dict(_question(d, "comments"))), "used twice"),
        (lambda d: _question(d, "health_grade").update(kind="slider"), "kind 'slider'"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_stored(mutate, message) -> None:
    errors = _bad(mutate)
    assert any(message in error for error in errors), errors


def test_the_command_reports_errors_and_changes_nothing(tmp_path) -> None:
    data = _data()
    data["audience"] = "pupils"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_questionnaires", str(DATA_DIR / "hr_interview.json"), str(path), stderr=err)
    assert "audience" in err.getvalue()
    assert not Questionnaire.objects.exists()

"""Answer checks and skip logic: answers outside a question's options or range are refused
with a clear message; hidden questions are neither asked nor required."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vitaal.surveys.answers import Value, clean_answer, is_shown, missing_required

pytestmark = pytest.mark.django_db


def _q(questionnaire, code):
    return questionnaire.questions.prefetch_related("options", "statements").get(code=code)


def test_valid_answers_of_every_kind(employee_questionnaire) -> None:
    q = employee_questionnaire
    assert clean_answer(_q(q, "complaints"), "yes").choice == "yes"
    assert clean_answer(_q(q, "helped"), "4").choice == "4"
    assert clean_answer(_q(q, "health_grade"), "7").number == 7
    assert clean_answer(_q(q, "hours"), "32,5").number == 32.5
    assert clean_answer(_q(q, "comments"), "  fine  ").text == "fine"
    multi = clean_answer(_q(q, "support_used"), ["physio", "coaching", "other"], other="Yoga")
    assert multi.choices == ["coaching", "physio", "other"] and multi.text == "Yoga"
    matrix = clean_answer(_q(q, "attention"), {"cares": "5", "knows_offer": "2"})
    assert matrix.statements == {"cares": "5", "knows_offer": "2"}
    assert clean_answer(_q(q, "complaints"), "").empty


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("complaints", "perhaps", "Choose one of the answers shown."),
        ("helped", "6", "Choose one of the answers shown."),
        ("support_used", ["coaching", "magic"], "Choose only from the answers shown."),
        ("support_used", ["other"], 'You chose "other". Write down what you mean.'),
        ("health_grade", "11", "Give a whole number from 1 to 10."),
        ("health_grade", "7.5", "Give a whole number from 1 to 10."),
        ("health_grade", "seven", "Fill in a number."),
        ("hours", "61", "Fill in a number from 1 to 60."),
        ("hours", "nan", "Fill in a number."),
        ("attention", {"cares": "9"}, "Choose one of the answers shown."),
        ("attention", {"weather": "3"}, "This question has no such statement."),
        ("comments", "x" * 2001, "Your answer is too long. Use at most 2000 characters."),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(employee_questionnaire, code, raw, message) -> None:
    with pytest.raises(ValidationError) as info:
        clean_answer(_q(employee_questionnaire, code), raw)
    assert info.value.messages == [message]


def test_skip_logic_shows_a_question_only_when_the_earlier_answer_matches(employee_questionnaire) -> None:
    questions = list(employee_questionnaire.questions.prefetch_related("options", "statements"))
    codes = {q.pk: q.code for q in questions}
    why_not = next(q for q in questions if q.code == "why_not")
    support = next(q for q in questions if q.code == "support_used")
    yes = {"took_steps": Value(choice="yes")}
    assert is_shown(support, yes, codes) and not is_shown(why_not, yes, codes)
    assert not is_shown(support, {}, codes)  # not answered: not shown
    assert is_shown(why_not, {"took_steps": Value(choice="no")}, codes)


def test_required_questions_count_only_when_shown(employee_questionnaire) -> None:
    questions = list(employee_questionnaire.questions.prefetch_related("options", "statements"))
    missing = {q.code for q in missing_required(questions, {})}
    assert missing == {"health_grade", "complaints", "took_steps"}
    answered = {
        "health_grade": Value(number=7),
        "complaints": Value(choice="no"),
        "took_steps": Value(choice="no"),
    }
    assert missing_required(questions, answered) == []


def test_numbers_match_skip_conditions_by_their_whole_value() -> None:
    assert Value(number=3.0).matches(["3"])
    assert not Value(number=3.5).matches(["3"])
    assert Value(choices=["a", "b"]).matches(["b"])

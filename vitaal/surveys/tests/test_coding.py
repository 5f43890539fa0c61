"""Open-answer coding services: codebooks, assignment rules (bad input changes nothing),
Cohen's kappa against a hand-computed example, the coded multiple-response variable with
disclosure control, and lexical suggestions on a small hand-made set."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vitaal.surveys import analysis, coding, services
from vitaal.surveys.coding_suggest import suggest, tokens
from vitaal.surveys.models import AgreedCoding, Answer, Code, Codebook, Coding

from .support import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(wave):
    question = wave.questionnaire.questions.get(code="comments")
    return coding.codebook_for(wave=wave, question=question)


def _codes(book, *values):
    return [coding.code_add(codebook=book, value=v, label_nl=v.title(), label_en=v.title()) for v in values]


def _answers(wave, texts):
    fill(wave, [{"comments": t} for t in texts])
    # In the order given: ids are random, so they say nothing about which came first.
    found = {a.text: a for a in Answer.objects.filter(response__wave=wave, question__code="comments")}
    return [found[t] for t in texts]


def _ids(codes):
    return [c.pk for c in codes]


def test_only_open_questions_of_the_wave_get_a_codebook(wave) -> None:
    grade = wave.questionnaire.questions.get(code="health_grade")
    with pytest.raises(ValidationError):
        coding.codebook_for(wave=wave, question=grade)


def test_codes_are_checked_and_unique(book) -> None:
    (workload,) = _codes(book, "workload")
    for value, nl, en in (("workload", "x", "y"), ("Bad code!", "x", "y"), ("ok", "", "y"), ("ok", "x", " ")):
        with pytest.raises(ValidationError):
            coding.code_add(codebook=book, value=value, label_nl=nl, label_en=en)
    assert list(book.codes.values_list("value", flat=True)) == ["workload"]
    coding.code_edit(code=workload, label_nl="Werkdruk", label_en="Workload", description_en="Too much work")
    workload.refresh_from_db()
    assert workload.localized_label == "Workload" and workload.value == "workload"


def test_assignment_rules_and_bad_input_changes_nothing(cast, wave, book, employee_questionnaire) -> None:
    workload, nearby = _codes(book, "workload", "nearby")
    first, second = _answers(wave, ["Te veel werkdruk", "Hulp dichtbij"])
    hr, admin, third = cast.user("hr"), cast.user("org_admin"), cast.user("employee")
    coding.assign(codebook=book, answer_id=first.pk, coder=hr, code_ids=[workload.pk])

    other_wave = services.wave_create(
        questionnaire=employee_questionnaire,
        sector=cast.sector,
        organisation=cast.a.organisation,
        title="Other",
    )
    other_book = coding.codebook_for(wave=other_wave, question=book.question)
    (foreign,) = _codes(other_book, "foreign")
    (other_answer,) = _answers(other_wave, ["Iets anders"])
    bad = [
        {"answer_id": first.pk, "code_ids": [foreign.pk]},  # code of another codebook
        {"answer_id": first.pk, "code_ids": [workload.pk, foreign.pk]},
        {"answer_id": first.pk, "code_ids": []},  # no code
        {"answer_id": first.pk, "code_ids": ["x"]},
        {"answer_id": other_answer.pk, "code_ids": [workload.pk]},  # answer of another wave
        {"answer_id": "nope", "code_ids": [workload.pk]},
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            coding.assign(codebook=book, coder=hr, **kwargs)
    coding_row = Coding.objects.get()
    assert list(coding_row.codes.all()) == [workload]

    coding.code_retire(code=nearby)
    with pytest.raises(ValidationError, match="retired"):
        coding.assign(codebook=book, answer_id=second.pk, coder=hr, code_ids=[nearby.pk])
    coding.code_retire(code=nearby, retired=False)

    # A coder replaces their own codes; a second coder adds a coding; a third is refused.
    coding.assign(codebook=book, answer_id=first.pk, coder=hr, code_ids=[workload.pk, nearby.pk])
    coding.assign(codebook=book, answer_id=first.pk, coder=admin, code_ids=[workload.pk])
    with pytest.raises(ValidationError, match="Two coders"):
        coding.assign(codebook=book, answer_id=first.pk, coder=third, code_ids=[workload.pk])
    assert Coding.objects.filter(answer=first).count() == 2
    assert set(Coding.objects.get(coder=hr).codes.values_list("value", flat=True)) == {"workload", "nearby"}

    # Retiring a code keeps its assignments.
    coding.code_retire(code=nearby)
    assert Coding.objects.get(coder=hr).codes.filter(pk=nearby.pk).exists()


def test_agreed_set_needs_two_coders_and_settles_the_answer(cast, wave, book) -> None:
    workload, nearby = _codes(book, "workload", "nearby")
    (answer,) = _answers(wave, ["Werkdruk en hulp dichtbij"])
    hr, admin = cast.user("hr"), cast.user("org_admin")
    coding.assign(codebook=book, answer_id=answer.pk, coder=hr, code_ids=[workload.pk])
    with pytest.raises(ValidationError):
        coding.agree(codebook=book, answer_id=answer.pk, decided_by=hr, code_ids=[workload.pk])
    assert not AgreedCoding.objects.exists()
    assert coding.coded_answers(book).settled(answer.pk) == {"workload"}
    coding.assign(codebook=book, answer_id=answer.pk, coder=admin, code_ids=[nearby.pk])
    coded = coding.coded_answers(book)
    assert coded.settled(answer.pk) is None and coded.disagreements() == [answer.pk]
    coding.agree(codebook=book, answer_id=answer.pk, decided_by=hr, code_ids=[workload.pk, nearby.pk])
    coded = coding.coded_answers(book)
    assert coded.settled(answer.pk) == {"workload", "nearby"} and coded.disagreements() == []


# Hand-computed example: ten answers, codes A, B, C, each answer coded by both coders.
#   A: coder 1 = 1111100000, coder 2 = 1111000001 -> po 0.8, pe 0.5   -> kappa 0.6
#   B: coder 1 = 0000011100, coder 2 = 0000011000 -> po 0.9, pe 0.62  -> kappa 0.28/0.38
#   C: coder 1 = 0000000011, coder 2 = 0000100110 -> po 0.7, pe 0.62  -> kappa 0.08/0.38
#   pooled: 24 of 30 decisions agree (po 0.8); both coders say "yes" 10 of 30 times,
#   pe = 1/9 + 4/9 = 5/9 -> kappa (0.8 - 5/9) / (4/9) = 0.55. Identical sets: 7 of 10.
FIRST = ["a", "a", "a", "a", "a", "b", "b", "b", "c", "c"]
SECOND = ["a", "a", "a", "a", "c", "b", "b", "c", "c", "a"]


def test_kappa_per_code_and_overall_match_the_hand_computed_example(cast, wave, book) -> None:
    codes = {c.value: c for c in _codes(book, "a", "b", "c")}
    answers = _answers(wave, [f"answer {i}" for i in range(10)])
    hr, admin = cast.user("hr"), cast.user("org_admin")
    for answer, one, two in zip(answers, FIRST, SECOND, strict=True):
        coding.assign(codebook=book, answer_id=answer.pk, coder=hr, code_ids=[codes[one].pk])
        coding.assign(codebook=book, answer_id=answer.pk, coder=admin, code_ids=[codes[two].pk])
    result = coding.agreement(book)
    assert result.n == 10 and result.exact == 7
    kappas = {row.code.value: row.kappa for row in result.per_code}
    assert kappas["a"] == pytest.approx(0.6)
    assert kappas["b"] == pytest.approx(0.28 / 0.38)
    assert kappas["c"] == pytest.approx(0.08 / 0.38)
    assert result.overall == pytest.approx(0.55)
    assert [(r.first, r.second, r.both) for r in result.per_code] == [(5, 5, 4), (3, 2, 2), (2, 3, 1)]
    assert "Moderate" in result.reading
    # The per-code figure is the library's kappa on present/absent.
    assert kappas["a"] == pytest.approx(
        analysis.cohen_kappa([int(v == "a") for v in FIRST], [int(v == "a") for v in SECOND])
    )


def test_a_code_neither_coder_used_has_no_kappa(cast, wave, book) -> None:
    used, _unused = _codes(book, "used", "unused")
    (answer,) = _answers(wave, ["x"])
    for user in ("hr", "org_admin"):
        coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user(user), code_ids=[used.pk])
    rows = {r.code.value: r for r in coding.agreement(book).per_code}
    assert rows["unused"].kappa is None and "Cannot be computed" in rows["unused"].reading


def _code_many(book, answers, user, plan):
    for answer, chosen in zip(answers, plan, strict=True):
        coding.assign(codebook=book, answer_id=answer.pk, coder=user, code_ids=_ids(chosen))


def test_coded_answers_are_a_multiple_response_variable(cast, wave, book) -> None:
    workload, nearby, retired = _codes(book, "workload", "nearby", "retired")
    coding.code_retire(code=retired)
    answers = _answers(wave, [f"answer {i}" for i in range(31)])
    plan = [[workload, nearby]] * 5 + [[workload]] * 15 + [[nearby]] * 10
    _code_many(book, answers[:30], cast.user("hr"), plan)
    variable = coding.coded_variable(book)
    assert len(variable) == 30 and sum(sorted(v) == ["nearby", "workload"] for v in variable) == 5
    result = coding.coded_frequencies(book)
    assert result.k == 10  # the free-text threshold
    assert result.answers == 31 and result.respondents == 30 and result.responses == 35
    rows = {r.code.value: r for r in result.rows}
    assert "retired" not in rows  # a retired code nobody has is left out
    assert rows["workload"].count == 20 and rows["workload"].percent_respondents == pytest.approx(200 / 3)
    assert rows["workload"].percent_responses == pytest.approx(2000 / 35)
    assert rows["nearby"].count == 15 and rows["nearby"].percent_responses == pytest.approx(1500 / 35)


def test_coded_frequencies_hide_small_groups(cast, wave, book) -> None:
    workload, rare = _codes(book, "workload", "rare")
    answers = _answers(wave, [f"answer {i}" for i in range(14)])
    _code_many(book, answers, cast.user("hr"), [[workload]] * 12 + [[workload, rare]] * 2)
    result = coding.coded_frequencies(book)
    rows = {r.code.value: r for r in result.rows}
    assert result.respondents == 14
    assert rows["rare"].count is None and rows["rare"].percent_respondents is None
    # With a hidden code, neither the total of codes nor any % of codes given shows.
    assert result.any_hidden and result.responses is None
    assert all(r.percent_responses is None for r in result.rows)

    Coding.objects.all().delete()
    _code_many(book, answers[:4], cast.user("hr"), [[workload]] * 4)
    tiny = coding.coded_frequencies(book)
    assert tiny.respondents is None and all(r.count is None for r in tiny.rows)


def test_unsettled_double_codings_stay_out_of_the_variable(cast, wave, book) -> None:
    workload, nearby = _codes(book, "workload", "nearby")
    (answer,) = _answers(wave, ["x"])
    coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user("hr"), code_ids=[workload.pk])
    coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user("org_admin"), code_ids=[nearby.pk])
    assert coding.coded_variable(book).empty


# A small hand-made set of coded answers (Dutch and English) for the suggestions.
CODED = [
    ("De werkdruk is veel te hoog", ["workload"]),
    ("Te hoge werkdruk in ons team, geen tijd", ["workload"]),
    ("Workload is far too high", ["workload"]),
    ("Graag hulp dichtbij huis", ["nearby"]),
    ("Hulp in de buurt zou fijn zijn", ["nearby"]),
    ("Ik wist niet dat het aanbod bestond", ["awareness"]),
    ("Het aanbod is onbekend bij collega's", ["awareness"]),
    ("Werkdruk hoog en aanbod onbekend", ["workload", "awareness"]),
]


def test_tokens_drop_stop_words_and_fold_plurals() -> None:
    assert tokens("De werkdruk is te hoog!") == ["werkdruk", "hoog"]
    assert tokens("Collega's en collega") == ["collega", "collega"]
    assert tokens("the and of") == []


def test_suggestions_come_from_similar_coded_answers() -> None:
    assert suggest("Veel werkdruk, te hoog", CODED)[0].code == "workload"
    assert suggest("Hulp dichtbij zou fijn zijn", CODED)[0].code == "nearby"
    assert suggest("Niemand kent het aanbod, onbekend", CODED)[0].code == "awareness"
    assert suggest("The workload", CODED)[0].code == "workload"
    assert suggest("Pizza op vrijdag", CODED) == []  # no word in common
    assert suggest("de het een", CODED) == []  # stop words only
    assert suggest("werkdruk", []) == []
    scores = suggest("werkdruk aanbod onbekend", CODED)
    assert {s.code for s in scores} >= {"workload", "awareness"}
    assert all(0 < s.score <= 1 for s in scores)


def test_code_objects_of_a_codebook_are_ordered(book) -> None:
    _codes(book, "b", "a")
    assert list(Code.objects.filter(codebook=book).values_list("value", flat=True)) == ["b", "a"]


def test_the_demo_codes_open_answers_with_some_double_coding(cast) -> None:
    import random

    from vitaal.core.hooks import DemoContext
    from vitaal.surveys import demo

    context = DemoContext(sector=cast.sector, organisations=[(cast.a.organisation, [])], rng=random.Random(5))
    demo.build(context, employees=300, hr=10, works_council=8)
    assert any(line.startswith("Survey coding:") for line in context.lines)
    books = list(Codebook.objects.select_related("wave", "question"))
    assert {b.question.code for b in books} == {"comments", "weaknesses", "wishes"}
    comments = next(b for b in books if b.question.code == "comments")
    result = coding.agreement(comments)
    assert result.n > 5 and result.overall is not None
    frequencies = coding.coded_frequencies(comments)
    assert frequencies.respondents and frequencies.respondents > 10
    assert Coding.objects.filter(coder__email="onderzoeker@demo.vitaal.test").exists()


def test_coded_answers_join_the_wave_frame_for_the_analysis(cast, wave, book) -> None:
    from vitaal.surveys import selectors

    workload, nearby = _codes(book, "workload", "nearby")
    fill(wave, [{"gender": "woman"}])  # a response without a comment
    fill(wave, [{"gender": "man", "comments": "Werkdruk"}, {"gender": "woman", "comments": "Dichtbij"}])
    answers = {a.text: a for a in Answer.objects.filter(question__code="comments")}
    hr = cast.user("hr")
    coding.assign(codebook=book, answer_id=answers["Werkdruk"].pk, coder=hr, code_ids=[workload.pk])
    coding.assign(
        codebook=book, answer_id=answers["Dichtbij"].pk, coder=hr, code_ids=[nearby.pk, workload.pk]
    )
    frame = selectors.wave_frame(wave)
    assert coding.add_coded_variables(wave, frame) == ["comments#codes"]
    commented = frame[frame["comments"].notna()]
    by_gender = {row["gender"]: row["comments#codes"] for _i, row in commented.iterrows()}
    assert by_gender == {"man": ["workload"], "woman": ["nearby", "workload"]}
    assert list(frame.loc[frame["comments"].isna(), "comments#codes"]) == [None]
    result = analysis.multiple_response(frame["comments#codes"], ["workload", "nearby"])
    assert result.respondents == 2 and result.counts == {"workload": 2, "nearby": 1}
    with pytest.raises(ValueError):
        coding.add_coded_variables(wave, frame.iloc[:1].copy())

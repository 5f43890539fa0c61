"""Open-answer coding pages: only the wave's researchers see open answers and codes
(wrong role 403, other organisation 404), bad input changes nothing, the queue shows the
answer's text and nothing else of the response, the frequencies hide small groups, and
the queue's query count does not grow with the number of answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.surveys import coding
from vitaal.surveys.models import AgreedCoding, Answer, Coding

from .support import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def book(wave):
    return coding.codebook_for(wave=wave, question=wave.questionnaire.questions.get(code="comments"))


@pytest.fixture
def codes(book):
    return [
        coding.code_add(codebook=book, value=v, label_nl=nl, label_en=en)
        for v, nl, en in (("workload", "Werkdruk", "Workload"), ("nearby", "Hulp dichtbij", "Help close by"))
    ]


def _as(client, cast, role):
    client.logout()
    login(client, cast.user(role))
    return client


def _url(name, wave, *extra):
    return reverse(f"surveys:{name}", args=[wave.pk, "comments", *extra])


def _answers(wave, texts, **other):
    fill(wave, [{"comments": t, **other} for t in texts])
    # In the order given: ids are random (models/distribution.py, random_pk), so they
    # say nothing about which answer came first.
    found = {a.text: a for a in Answer.objects.filter(response__wave=wave, question__code="comments")}
    return [found[t] for t in texts]


def test_only_the_waves_researchers_reach_the_coding_pages(client, cast, wave, book, codes) -> None:
    _answers(wave, ["Te veel werkdruk"])
    names = ["codebook", "coding_queue", "coding_agreement", "coding_resolve"]
    for role, expected in (("hr", 200), ("org_admin", 200), ("sector_admin", 403), ("employee", 403)):
        _as(client, cast, role)
        for name in names:
            assert client.get(_url(name, wave)).status_code == expected, (role, name)
        assert client.get(reverse("surveys:coding_index", args=[wave.pk])).status_code == expected
    for role in ("hr_b", "org_admin_b"):
        _as(client, cast, role)
        for name in [*names, "coding_results"]:
            assert client.get(_url(name, wave)).status_code == 404, (role, name)
    # The sector admin follows the wave: the protected frequencies only, without answers.
    page = _as(client, cast, "sector_admin").get(_url("coding_results", wave))
    assert page.status_code == 200 and b"Te veel werkdruk" not in page.content
    # A question that is not open, or not in the questionnaire, has no coding pages.
    _as(client, cast, "hr")
    assert client.get(reverse("surveys:codebook", args=[wave.pk, "health_grade"])).status_code == 404
    assert client.get(reverse("surveys:codebook", args=[wave.pk, "nothing"])).status_code == 404


def test_codebook_page_adds_edits_and_retires_codes(client, cast, wave, book, codes) -> None:
    _as(client, cast, "hr")
    url = _url("codebook", wave)
    bad = client.post(url, {"value": "workload", "label_nl": "Dubbel", "label_en": "Double"})
    assert bad.status_code == 400 and b"already has the code workload" in bad.content
    missing = client.post(url, {"value": "new", "label_nl": "", "label_en": "New"})
    assert missing.status_code == 400
    assert book.codes.count() == 2
    ok = client.post(url, {"value": "awareness", "label_nl": "Bekendheid", "label_en": "Awareness"})
    assert ok.status_code == 302 and book.codes.filter(value="awareness").exists()
    workload = codes[0]
    edit = _url("code_edit", wave, workload.pk)
    assert client.post(edit, {"label_nl": "", "label_en": "x"}).status_code == 400
    workload.refresh_from_db()
    assert workload.label_en == "Workload"
    client.post(edit, {"label_nl": "Werkdruk", "label_en": "Work pressure"})
    client.post(edit, {"action": "retire"})
    workload.refresh_from_db()
    assert workload.label_en == "Work pressure" and workload.retired
    page = client.get(url)
    assert b"retired" in page.content and b"Use workload again" in page.content


def test_the_queue_codes_one_answer_at_a_time_without_identifying_anyone(
    client, cast, wave, book, codes
) -> None:
    first, second = _answers(wave, ["Te veel werkdruk", "Hulp dichtbij huis"], hours=31.5, gender="x")
    workload, nearby = codes
    fits = {first.pk: workload, second.pk: nearby}
    _as(client, cast, "hr")
    url = _url("coding_queue", wave)
    page = client.get(url)
    # The queue goes by the answers' random ids: either may come first.
    shown = page.context["answer"]
    assert page.status_code == 200 and shown in (first, second)
    other = second if shown == first else first
    content = page.content.decode()
    assert shown.text in content and other.text not in content
    # Nothing else of the response: no other answers, no response number or key.
    assert "31.5" not in content and "test-" not in content and f"#{shown.response_id}" not in content
    assert 'data-key="1"' in content and "coding.js" in content

    # Bad input: a code of another codebook, no code, an unknown answer; nothing changes.
    for data in (
        {"answer": shown.pk, "codes": [99999]},
        {"answer": shown.pk},
        {"answer": 99999, "codes": [workload.pk]},
        {"answer": "nope", "codes": [workload.pk]},
        {"answer": shown.pk, "codes": ["x"]},
    ):
        bad = client.post(url, data)
        assert bad.status_code == 400
        assert b"Choose" in bad.content or b"does not exist in this wave" in bad.content
    assert not Coding.objects.exists()
    ok = client.post(url, {"answer": shown.pk, "codes": [fits[shown.pk].pk]})
    assert ok.status_code == 302
    assert list(Coding.objects.get().codes.all()) == [fits[shown.pk]]
    assert client.get(url).context["answer"] == other
    # Suggestions come from the coded answers, not from this one.
    coding.assign(
        codebook=book, answer_id=other.pk, coder=cast.user("org_admin"), code_ids=[fits[other.pk].pk]
    )
    extra = _answers(wave, ["Werkdruk is hoog"])[-1]
    page = client.get(url)
    assert page.context["answer"] == extra
    suggested = [code.value for _n, code, score, _c in page.context["rows"] if score is not None]
    assert suggested == ["workload"]

    # Second coding: answers one colleague coded, without suggestions.
    second_page = client.get(url, {"mode": "second"})
    assert second_page.context["answer"] == other
    assert all(score is None for _n, _code, score, _c in second_page.context["rows"])


def test_agreement_and_resolving_differences(client, cast, wave, book, codes) -> None:
    workload, nearby = codes
    answers = _answers(wave, ["a", "b", "c"])
    for answer, one, two in zip(
        answers, [workload, nearby, workload], [workload, nearby, nearby], strict=True
    ):
        coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user("hr"), code_ids=[one.pk])
        coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user("org_admin"), code_ids=[two.pk])
    _as(client, cast, "hr")
    page = client.get(_url("coding_agreement", wave))
    assert page.status_code == 200
    assert page.context["agreement"].n == 3 and b"overall-kappa" in page.content
    assert b"Agree on 1 answer" in page.content
    resolve = _url("coding_resolve", wave)
    assert client.get(resolve).context["answer"] == answers[2]
    assert client.post(resolve, {"answer": answers[0].pk}).status_code == 400  # no codes
    assert client.post(resolve, {"answer": answers[2].pk, "codes": ["x"]}).status_code == 400
    assert not AgreedCoding.objects.exists()
    assert client.post(resolve, {"answer": answers[2].pk, "codes": [nearby.pk]}).status_code == 302
    assert list(AgreedCoding.objects.get().codes.all()) == [nearby]
    assert client.get(resolve).context["answer"] is None


def test_results_page_hides_small_groups(client, cast, wave, book, codes) -> None:
    workload, nearby = codes
    answers = _answers(wave, [f"answer {i}" for i in range(12)])
    for i, answer in enumerate(answers):
        chosen = [workload.pk, nearby.pk] if i < 3 else [workload.pk]
        coding.assign(codebook=book, answer_id=answer.pk, coder=cast.user("hr"), code_ids=chosen)
    page = _as(client, cast, "sector_admin").get(_url("coding_results", wave))
    result = page.context["result"]
    rows = {r.code.value: r for r in result.rows}
    assert rows["nearby"].count is None and result.responses is None
    assert b"answer 1" not in page.content
    assert b"a hidden number could be worked out" in page.content


def test_the_queue_does_not_query_more_with_more_answers(
    client, cast, wave, book, codes, django_assert_max_num_queries
) -> None:
    workload, _nearby = codes
    answers = _answers(wave, [f"werkdruk {i}" for i in range(4)])
    for answer in answers[:2]:
        coding.assign(
            codebook=book, answer_id=answer.pk, coder=cast.user("org_admin"), code_ids=[workload.pk]
        )
    _as(client, cast, "hr")
    url = _url("coding_queue", wave)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    more = _answers(wave, [f"werkdruk hoog {i}" for i in range(40)])
    for answer in more[:20]:
        coding.assign(
            codebook=book, answer_id=answer.pk, coder=cast.user("org_admin"), code_ids=[workload.pk]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.context["answer"] is not None
    index = reverse("surveys:coding_index", args=[wave.pk])
    client.get(index)
    with django_assert_max_num_queries(30) as before:
        client.get(index)
    _answers(wave, [f"meer {i}" for i in range(20)])
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(index)


def test_a_follower_reading_results_creates_no_codebook(client, cast, wave) -> None:
    from vitaal.surveys import services
    from vitaal.surveys.models import Codebook

    _as(client, cast, "sector_admin")
    # While the wave is open: the "results after closing" page, nothing else.
    page = client.get(_url("coding_results", wave))
    assert page.status_code == 200 and b"Results are shown when the wave is closed" in page.content
    services.wave_close(wave=wave)
    page = client.get(_url("coding_results", wave))
    assert page.status_code == 200 and b"no codes yet" in page.content
    assert not Codebook.objects.exists()


def test_the_wave_report_carries_the_coded_answers(client, cast, wave, book, codes) -> None:
    import io

    import openpyxl

    answers = _answers(
        wave, [f"Werkdruk is hoog ({i})" for i in range(15)] + [f"Dichtbij ({i})" for i in range(12)]
    )
    coder = cast.user("hr")
    for answer in answers[:15]:
        coding.assign(codebook=book, answer_id=answer.pk, coder=coder, code_ids=[codes[0].pk])
    for answer in answers[15:]:
        coding.assign(codebook=book, answer_id=answer.pk, coder=coder, code_ids=[codes[1].pk])
    _as(client, cast, "hr")
    page = client.get(reverse("surveys:wave_report", args=[wave.pk])).content.decode()
    section = page.split("Open answers, coded")[1]
    assert "Workload" in section and ">15<" in section and ">12<" in section
    xlsx = client.get(reverse("surveys:wave_report_xlsx", args=[wave.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Coded answers"]
    rows = {r[1]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"Workload": 15, "Help close by": 12}

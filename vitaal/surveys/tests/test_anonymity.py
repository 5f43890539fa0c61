"""Anonymous by construction (DESIGN §3.3, docs/surveys.md "Anonymity"): a response cannot
be linked to an invitation by what the database keeps (transaction ids, row ids,
timestamps), by what a web server logs (no code in any address), or by comparing results
before and after one response. Each property is checked on the real mechanism: the
answer flow over HTTP, the rows as stored, the log records as written."""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.signals import request_started
from django.db import connection, models
from django.urls import reverse

from vitaal.surveys import selectors, services
from vitaal.surveys.models import (
    Answer,
    Invitation,
    ResponseStatus,
    SurveyResponse,
    UsedRight,
    Wave,
    token_hash,
)
from vitaal.surveys.results import Result, Row, question_results, withhold_invertible

from .support import fill

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
GUNICORN_FORMAT = re.search(r"access_log_format = '(.*)'", Path("ops/gunicorn.conf.py").read_text())


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


class Traffic:
    """Every request the test client makes, as a web server sees it: the request line of
    gunicorn's access log (``%(r)s`` of ops/gunicorn.conf.py) and the redirect targets."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.locations: list[str] = []

    def record(self, sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        query = environ.get("QUERY_STRING", "")
        path = environ["PATH_INFO"] + (f"?{query}" if query else "")
        line = f"{environ['REQUEST_METHOD']} {path} {environ.get('SERVER_PROTOCOL', 'HTTP/1.1')}"
        self.lines.append(line)
        # What the access logger writes, through logging so caplog holds it too.
        logging.getLogger("gunicorn.access").info('127.0.0.1 - - [-] "%s" - - - "-"', line)


@pytest.fixture
def traffic(client) -> Iterator[Traffic]:
    seen = Traffic()
    request_started.connect(seen.record)
    original = client.request

    def request(**kwargs: Any) -> Any:
        response = original(**kwargs)
        if response.has_header("Location"):
            seen.locations.append(response["Location"])
        return response

    client.request = request
    try:
        yield seen
    finally:
        request_started.disconnect(seen.record)
        client.request = original


def _answer_everything(client: Any, code: str) -> str:
    """The whole respondent journey with one code: start, pages, save for later, resume
    from another browser, send. Returns the resume code the respondent was given."""
    client.get("/surveys/start/")
    client.post("/surveys/start/", {"code": code})
    client.post("/surveys/start/", {"code": code, "action": "begin"})
    client.get("/surveys/answer/")
    client.post("/surveys/answer/", {"page": "1", "action": "next", "gender": "woman"})
    client.post("/surveys/answer/", {"page": "2", "action": "next", "health_grade": "7", "complaints": "no"})
    client.post("/surveys/answer/", {"page": "3", "action": "save", "took_steps": "no"})
    resume = client.get("/surveys/answer/saved/").context["code"]
    client.cookies.clear()
    client.post("/surveys/start/", {"code": resume})
    client.get("/surveys/answer/?page=4")
    client.post("/surveys/answer/?page=4", {"page": "4", "action": "next", "why_not": ["no_time"]})
    sent = client.post("/surveys/answer/?page=5", {"page": "5", "action": "submit", "future_grade": "8"})
    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:thanks")
    client.get(sent["Location"])
    # A used code, an unknown one, and an old-style address are tried too: refusals are
    # logged by django.request, and must not carry the code either.
    client.post("/surveys/start/", {"code": code, "action": "begin"})
    client.post("/surveys/start/", {"code": "x" + code})
    client.get(f"/surveys/i/{code}/")
    return str(resume)


def _invite(wave: Wave, email: str = "ann@example.org") -> str:
    [(_invitation, token)] = services.invitations_create(wave=wave, emails=[email])
    return token


# --- What a web server logs --------------------------------------------------------------------


def test_no_address_of_the_answer_flow_carries_a_code(client, wave, traffic, caplog) -> None:
    token = _invite(wave)
    caplog.set_level(logging.DEBUG)
    resume = _answer_everything(client, token)
    assert SurveyResponse.objects.get().status == ResponseStatus.COMPLETE
    secrets = {token, resume, token_hash(token), token_hash(resume)}
    # The last request deliberately put the code in a path (the old route, now gone).
    assert traffic.lines[-1].startswith("GET /surveys/i/")
    flow = traffic.lines[:-1]
    assert len(flow) >= 14 and traffic.locations
    for line in [*flow, *traffic.locations]:
        assert not any(secret in line for secret in secrets), line
    # Log records written during the flow (django.request warnings for the refusals, the
    # gunicorn-style access lines) hold no code either.
    records = [r for r in caplog.records if "/surveys/i/" not in r.getMessage()]
    assert any(r.name == "gunicorn.access" for r in records)
    assert any(r.name == "django.request" for r in caplog.records)  # the refusals were logged
    for record in records:
        assert not any(secret in record.getMessage() for secret in secrets), record.getMessage()


def test_the_invitation_link_puts_the_code_in_the_fragment_only(client, cast, wave) -> None:
    from vitaal.core.testing import login

    login(client, cast.user("hr"))
    page = client.post(reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "a@example.org"})
    link = page.content.decode().split("<code>")[1].split("</code>")[0]
    address, fragment = link.split("#", 1)
    assert fragment.startswith("t=") and "?" not in address and address.endswith("/surveys/start/")


def test_the_sample_server_configs_log_no_query_and_no_referrer() -> None:
    """What gunicorn and nginx write: the request line (path and query, now without a
    code) and the client address; neither logs cookies or the Referer header, and the
    code never is in a Referer anyway (browsers drop the fragment)."""
    assert GUNICORN_FORMAT is not None
    fmt = GUNICORN_FORMAT.group(1)
    assert "%(r)s" in fmt and "%(f)s" not in fmt and "cookie" not in fmt.lower()
    nginx = Path("ops/nginx/vitaal.conf").read_text()
    assert (
        "vitaal_private" in nginx
        and "$http_referer" not in nginx.split("log_format vitaal_private", 1)[1][:300]
    )


# --- What the database keeps -----------------------------------------------------------------


def _xmins(table: str, where: str = "", params: tuple[Any, ...] = ()) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} {where}", params)  # noqa: S608 - fixed names
        return {row[0] for row in cursor.fetchall()}


@on_postgresql
def test_invitation_and_response_rows_never_share_a_transaction(client, wave) -> None:
    token = _invite(wave)
    _answer_everything(client, token)
    invitation = _xmins("surveys_invitation")
    responses = _xmins("surveys_surveyresponse")
    answers = _xmins("surveys_answer")
    assert len(invitation) == 1 and responses and answers
    assert invitation.isdisjoint(responses | answers)
    # Even spending the code and storing the first page: separate transactions.
    second = _invite(wave, "bob@example.org")
    right = services.invitation_spend(token=second)
    spent = _xmins("surveys_invitation", "WHERE email = %s", ("bob@example.org",))
    response, _resume = services.response_begin(right=right, raw={"gender": "man"}, page=1)
    created = _xmins("surveys_surveyresponse", "WHERE id = %s", (response.pk,))
    assert spent.isdisjoint(created)
    # Closing rewrites every row of the wave in one transaction: the order in which codes
    # were spent and answers saved is gone from the rows the results are read from.
    services.wave_close(wave=wave)
    closed = _xmins("surveys_invitation") | _xmins("surveys_surveyresponse") | _xmins("surveys_answer")
    assert len(closed) == 1
    assert not UsedRight.objects.exists()


def test_no_row_of_the_flow_keeps_a_time_finer_than_the_day() -> None:
    for model in (Invitation, SurveyResponse, Answer, UsedRight):
        fine = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.DateTimeField, models.TimeField))
        ]
        assert not fine, (model.__name__, fine)
    assert not any(f.name in ("finished", "used_at") for f in Invitation._meta.concrete_fields)


def test_response_and_answer_ids_do_not_follow_the_order_of_writing(wave) -> None:
    token = services.wave_open_link_create(wave=wave)
    made = [
        services.response_begin(right=services.open_link_right(token=token), raw={"gender": "man"}, page=1)[
            0
        ].pk
        for _n in range(20)
    ]
    assert made != sorted(made) and made != sorted(made, reverse=True)
    steps = {b - a for a, b in itertools.pairwise(made)}
    assert len(steps) > 1  # not a sequence with a fixed step either
    answers = list(Answer.objects.filter(response_id__in=made).values_list("pk", "response_id"))
    order = {pk: i for i, pk in enumerate(made)}
    by_response = [pk for pk, _r in sorted(answers, key=lambda pair: order[pair[1]])]
    assert by_response != sorted(by_response)


def test_the_database_holds_no_code_and_no_session_of_the_respondent(client, wave) -> None:
    """Neither the code, nor the resume code, nor the right's nonce is stored in the clear
    anywhere; and the respondent state is a cookie, not a session row."""
    from django.contrib.sessions.models import Session

    token = _invite(wave)
    sessions_before = Session.objects.count()
    resume = _answer_everything(client, token)
    assert Session.objects.count() == sessions_before
    secrets = {token, resume}
    with connection.cursor() as cursor:
        for model in (Invitation, SurveyResponse, Answer, UsedRight, Wave, Session):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - model tables
            dump = " ".join(str(value) for row in cursor.fetchall() for value in row)
            assert not any(secret in dump for secret in secrets), model.__name__


def test_a_logged_in_employee_answers_without_the_session_learning_it(client, cast, wave) -> None:
    from django.contrib.sessions.models import Session

    from vitaal.core.testing import login

    token = _invite(wave)
    login(client, cast.user("employee"))
    resume = _answer_everything(client, token)
    for session in Session.objects.all():
        data = str(session.get_decoded())
        assert resume not in data and token not in data and "survey" not in data


# --- Comparing results before and after one response -----------------------------------------


def _outputs(client: Any, wave: Wave) -> dict[str, bytes]:
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    urls = {
        name: reverse(f"surveys:{name}", args=[wave.pk])
        for name in ("wave_results", "wave_report", "wave_report_xlsx", "wave_report_pdf", "wave_compare")
    }
    urls["wave_results_weighted"] = urls["wave_results"] + "?weighted=1&by=gender"
    urls["coding_index"] = reverse("surveys:coding_index", args=[wave.pk])
    urls["coding_results"] = reverse("surveys:coding_results", args=[wave.pk, "comments"])
    urls["coding_queue"] = reverse("surveys:coding_queue", args=[wave.pk, "comments"])
    out = {}
    for name, url in urls.items():
        page = client.get(url)
        assert page.status_code == 200, name
        out[name] = csrf.sub(b"", page.content)
    out["wave_detail"] = csrf.sub(b"", client.get(reverse("surveys:wave_detail", args=[wave.pk])).content)
    for args in (["analyze"], ["export", "--format", "csv", "--output", "/dev/null"]):
        with pytest.raises(CommandError, match="not closed"):
            call_command("survey", args[0], str(wave.pk), *args[1:], stdout=StringIO())
    return out


def test_an_open_wave_shows_nothing_one_response_changes(client, cast, wave) -> None:
    from django.test import Client

    from vitaal.core.testing import login

    fill(wave, [{"gender": "woman", "health_grade": 7, "comments": "Werkdruk"}] * 12, close=False)
    token = _invite(wave)  # inviting is the researcher's own act, before the snapshot
    researcher = Client(HTTP_ACCEPT_LANGUAGE="en")
    login(researcher, cast.user("hr"))
    before = _outputs(researcher, wave)
    assert b"Results are shown when the wave is closed" in before["wave_report"]
    # One person answers (12 -> 13 responses: the rounded count stays 10).
    _answer_everything(client, token)
    after = _outputs(researcher, wave)
    for name in before:
        assert before[name] == after[name], name
    # The distribution page shows counts in steps of 5 while the wave is open.
    assert selectors.wave_status(wave)["complete"] == 10
    services.wave_close(wave=wave)
    assert selectors.wave_status(wave)["complete"] == 13
    assert (
        b"Results are shown when"
        not in researcher.get(reverse("surveys:wave_report", args=[wave.pk])).content
    )


def test_every_reader_of_answers_refuses_an_open_wave(wave) -> None:
    from vitaal.surveys import coding

    fill(wave, [{"comments": "Werkdruk"}] * 3, close=False)
    question = wave.questionnaire.questions.get(code="comments")
    book = coding.codebook_for(wave=wave, question=question)
    for read in (
        lambda: selectors.wave_frame(wave),
        lambda: coding.open_answers(wave, question),
        lambda: coding.answer_counts(wave),
        lambda: coding.coded_answers(book),
        lambda: coding.coded_frequencies(book),
    ):
        with pytest.raises(selectors.ResultsNotReleased):
            read()


# --- Derived statistics and hidden cells ---------------------------------------------------------


def _solutions(result: Result, values: dict[str, int], n_total: int) -> list[tuple[int, ...]]:
    """Every combination of the hidden counts that fits N, the shown counts and, when one
    is shown, the mean as rounded in the output (3 decimals, like the XLSX and the JSON)."""
    hidden = [row.code for row in result.rows if row.count is None]
    shown = {row.code: row.count for row in result.rows if row.count is not None}
    rest = n_total - sum(shown.values())  # type: ignore[arg-type]
    fits = []
    for combo in itertools.product(range(rest + 1), repeat=len(hidden)):
        if sum(combo) != rest:
            continue
        if result.mean is not None:
            total = sum(values[c] * n for c, n in shown.items()) + sum(  # type: ignore[operator]
                values[c] * n for c, n in zip(hidden, combo, strict=True)
            )
            if round(total / n_total, 3) != round(result.mean.mean, 3):
                continue
        fits.append(combo)
    return fits


def test_a_grade_mean_never_reveals_hidden_counts(wave) -> None:
    # Grades 7 and 8 often, 3 and 9 rarely: disclosure control hides the rare ones.
    # (3 + 2 = 5: the hidden cells together reach k, so no third cell is hidden with them.)
    grades = [7] * 10 + [8] * 11 + [3] * 3 + [9] * 2
    fill(wave, [{"health_grade": g} for g in grades])
    question = wave.questionnaire.questions.get(code="health_grade")
    frame = selectors.wave_frame(wave)
    [result] = question_results(question, frame, k_opinion=5, k_text=10)
    values = {str(v): v for v in range(1, 11)}
    assert result.n == len(grades)
    assert [row.code for row in result.rows if row.count is None] == ["3", "9"]
    # The attack this rule stops: with the mean over all answers (as before), the hidden
    # counts are the only integer solution.
    leaked = Result(result.code, result.text, result.kind, result.n, result.rows)
    from vitaal.surveys import analysis

    leaked.mean = analysis.mean_ci(frame["health_grade"])
    assert len(_solutions(leaked, values, len(grades))) == 1
    # What the page, PDF, XLSX and CLI get: no mean, so every split the suppression left
    # open still fits.
    assert result.mean is None and result.mean_withheld
    assert len(_solutions(result, values, len(grades))) > 1
    assert "mean" not in result.to_dict() and result.to_dict()["mean_withheld"]


def test_a_mean_is_shown_when_no_count_is_hidden(wave) -> None:
    fill(wave, [{"health_grade": g} for g in [7] * 10 + [8] * 11])
    question = wave.questionnaire.questions.get(code="health_grade")
    [result] = question_results(question, selectors.wave_frame(wave), k_opinion=5, k_text=10)
    assert result.mean is not None and round(result.mean.mean, 3) == round((70 + 88) / 21, 3)


def test_the_rule_is_one_function_over_any_result() -> None:
    from vitaal.surveys.analysis import MeanCI

    mean = MeanCI(5.0, 4.0, 6.0, 20, 1.0, 20.0)
    shown = withhold_invertible(
        Result("q", "Q", "grade", 20, [Row("1", "1", 10, 50.0), Row("2", "2", 10, 50.0)], mean)
    )
    assert shown.mean is mean
    hidden = withhold_invertible(
        Result("q", "Q", "grade", 20, [Row("1", "1", None, None), Row("2", "2", 17, 85.0)], mean)
    )
    assert hidden.mean is None and hidden.mean_withheld


def test_the_cli_json_and_the_xlsx_withhold_the_same_mean(wave) -> None:
    import json

    from openpyxl import load_workbook

    from vitaal.surveys import wave_report

    fill(wave, [{"health_grade": g} for g in [7] * 10 + [8] * 11 + [3] * 3 + [9] * 2])
    out = StringIO()
    call_command("survey", "analyze", str(wave.pk), stdout=out)
    grade = next(r for r in json.loads(out.getvalue())["results"] if r["code"] == "health_grade")
    assert "mean" not in grade and grade["mean_withheld"]
    report = wave_report.build(wave, with_breakdowns=False)
    book = load_workbook(io.BytesIO(wave_report.to_xlsx(report)))
    means = [
        row[7]
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == "health_grade"
    ]
    assert means and all(m is None for m in means)


def test_gunicorn_logs_respondent_pages_without_the_address() -> None:
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from ops.gunicorn_logging import RespondentPrivateLogger

    logger = RespondentPrivateLogger(Config())
    fmt = GUNICORN_FORMAT.group(1) if GUNICORN_FORMAT else ""
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[])

    def line(path: str, query: str = "") -> str:
        environ = {
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": "POST",
            "RAW_URI": path + (f"?{query}" if query else ""),
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_USER_AGENT": "Firefox",
        }
        headers = [("X-Real-IP", "203.0.113.9"), ("User-Agent", "Firefox")]
        return fmt % logger.atoms(resp, headers, environ, datetime.timedelta(milliseconds=5))

    respondent = line("/surveys/answer/", "page=2")
    assert "203.0.113.9" not in respondent and "Firefox" not in respondent and "page=2" not in respondent
    assert '"POST /surveys/answer/ HTTP/1.1"' in respondent
    staff = line("/surveys/12/report/")
    assert "203.0.113.9" in staff  # other pages keep the address for the security log

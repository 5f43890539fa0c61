"""The respondent's pages: public, phone-first, and without any secret in an address.

A secret in a URL path or query ends up in the web servers' access logs next to the
client's address (ops/gunicorn.conf.py, ops/nginx/vitaal.conf). So the invitation e-mail
carries its code in the URL *fragment* (``/surveys/start/#t=CODE``), which browsers never
send; ``static/surveys/respond.js`` moves it into the form on the start page and posts it.
Without JavaScript the respondent pastes the code into the same form.

After the code is posted, the browser holds the state in a signed cookie of its own
(``vitaal_survey``, path ``/surveys/``): first a ``SubmissionRight`` (which wave, a fresh
nonce), after the first saved page the response's resume key. It is deliberately not the
Django session: that is a database row which, for an employee who happens to be logged in,
holds their user id, so it would store who answered next to the answers' key. The cookie
is stored nowhere on the server and is removed when the answers are sent.

Nothing here looks at who is logged in. Every page answers with ``no-store`` and a
same-origin referrer policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.surveys import services
from vitaal.surveys.answers import Value, is_shown
from vitaal.surveys.models import (
    AGREEMENT_SCALE,
    GRADE_MAX,
    GRADE_MIN,
    OTHER,
    Question,
    QuestionKind,
    ResponseStatus,
    Wave,
)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public, never cached, and never sending the secret link to another site as a referrer
    (``same-origin``: ``no-referrer`` would make browsers send ``Origin: null``, which
    the CSRF check rightly refuses)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return login_not_required(never_cache(wrapped))


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "surveys/respond/refused.html", {"message": message}, status=status)


# --- Respondent state (a signed cookie, see the module text) -------------------------------

STATE_COOKIE = "vitaal_survey"
STATE_SALT = "vitaal.surveys.respondent"
# Idle limit: the cookie is signed again on every answer page, so only a browser left
# alone this long loses its place (the resume code still works).
STATE_MAX_AGE = 12 * 60 * 60


@dataclass
class State:
    """What the browser holds: a right to start a response, or a started response's key."""

    right: services.SubmissionRight | None = None
    resume: str = ""


def _cookie_path() -> str:
    return reverse("surveys:thanks").removesuffix("thanks/")


def _read_state(request: HttpRequest) -> State:
    raw = request.get_signed_cookie(STATE_COOKIE, default=None, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    if not raw:
        return State()
    try:
        data = json.loads(raw)
    except ValueError:
        return State()
    if not isinstance(data, dict):
        return State()
    if isinstance(data.get("resume"), str):
        return State(resume=data["resume"])
    if isinstance(data.get("right"), dict):
        return State(right=services.SubmissionRight.from_dict(data["right"]))
    return State()


def _write_state(response: HttpResponse, state: State) -> HttpResponse:
    data = (
        {"resume": state.resume} if state.resume else {"right": state.right.to_dict() if state.right else {}}
    )
    response.set_signed_cookie(
        STATE_COOKIE,
        json.dumps(data),
        salt=STATE_SALT,
        path=_cookie_path(),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def _clear_state(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(STATE_COOKIE, path=_cookie_path(), samesite="Lax")
    return response


# --- Entrance ---------------------------------------------------------------------------------

REFUSED_STATUS = {"invalid": 404, "used": 410, "closed": 410}


def _code_from(text: str) -> str:
    """The code from what was pasted: the code itself or the whole link with ``#t=``."""
    text = text.strip()
    if "#t=" in text:
        text = text.split("#t=", 1)[1]
    return text.strip()


@public
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The one entrance. GET: a form for the code (filled from the link's fragment by
    respond.js). POST: look the code up and show the welcome page (nothing is used up, so
    a mail scanner that runs scripts spends nothing), or with ``action=begin`` spend it
    and go to the questions. A resume code goes straight back to the answers."""
    if request.method == "GET":
        return _start_page(request)
    code = _code_from(request.POST.get("code", ""))
    try:
        entrance = services.entrance_for_code(code=code)
        if entrance.kind == "resume":
            assert entrance.response is not None
            if entrance.response.status == ResponseStatus.COMPLETE:
                return redirect("surveys:thanks")
            return _write_state(redirect("surveys:answer"), State(resume=code))
        if request.POST.get("action") != "begin":
            return render(
                request,
                "surveys/respond/welcome.html",
                {"wave": entrance.wave, "questionnaire": entrance.wave.questionnaire, "code": code},
            )
        if entrance.kind == "invitation":
            right = services.invitation_spend(token=code)
        else:
            right = services.open_link_right(token=code)
    except services.CodeRefused as exc:
        return _start_page(request, error=" ".join(exc.messages), status=REFUSED_STATUS[exc.reason])
    return _write_state(redirect("surveys:answer"), State(right=right))


def _start_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "surveys/respond/start.html", {"error": error}, status=status)


# --- Answering --------------------------------------------------------------------------------


@dataclass
class Field:
    """One question as the answer page shows it."""

    question: Question
    value: Value
    errors: list[str] = field(default_factory=list)
    other_text: str = ""

    @property
    def name(self) -> str:
        return self.question.code

    @property
    def choices(self) -> list[tuple[str, str]]:
        q = self.question
        if q.kind in (QuestionKind.AGREEMENT, QuestionKind.MATRIX):
            return [(code, str(label)) for code, label in AGREEMENT_SCALE]
        if q.kind == QuestionKind.GRADE:
            return [(str(n), str(n)) for n in range(GRADE_MIN, GRADE_MAX + 1)]
        pairs = [(o.value, o.localized("label")) for o in q.options.all()]
        if q.allow_other:
            pairs.append((OTHER, _("Other, namely:")))
        return pairs

    @property
    def selected(self) -> list[str]:
        if self.value.choices:
            return self.value.choices
        if self.value.choice:
            return [self.value.choice]
        if self.value.number is not None and self.question.kind == QuestionKind.GRADE:
            return [str(int(self.value.number))]
        return []

    @property
    def number_text(self) -> str:
        n = self.value.number
        if n is None:
            return self.value.text  # what was sent, when it was refused
        return str(int(n)) if float(n).is_integer() else str(n)

    @property
    def rows(self) -> list[tuple[Any, str]]:
        return [(s, self.value.statements.get(s.code, "")) for s in self.question.statements.all()]


def _raw_from_post(request: HttpRequest, questions: list[Question]) -> tuple[dict[str, Any], dict[str, str]]:
    raw: dict[str, Any] = {}
    other: dict[str, str] = {}
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            raw[q.code] = request.POST.getlist(q.code)
        elif q.kind == QuestionKind.MATRIX:
            raw[q.code] = {s.code: request.POST.get(f"{q.code}.{s.code}", "") for s in q.statements.all()}
        else:
            raw[q.code] = request.POST.get(q.code, "")
        if q.allow_other:
            other[q.code] = request.POST.get(f"{q.code}.other", "")
    return raw, other


@public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """One page of questions. Buttons: back, next, save for later, and send (last page).
    Which response: the browser's state cookie; before the first page is saved there is no
    response yet, only the right to create one."""
    state = _read_state(request)
    response = services.response_for_key(state.resume) if state.resume else None
    right = state.right if response is None else None
    wave = (
        response.wave
        if response is not None
        else Wave.objects.select_related("questionnaire").filter(pk=right.wave_id).first()
        if right is not None
        else None
    )
    if wave is None:
        return _clear_state(
            _start_page(
                request, error=_("Open the questionnaire with the link or code from your invitation.")
            )
        )
    if response is not None and response.status == ResponseStatus.COMPLETE:
        return _clear_state(redirect("surveys:thanks"))
    questions = services.questions_of(wave.questionnaire)
    codes = {q.pk: q.code for q in questions}
    values = services.response_values(response) if response is not None else {}

    def pages_shown(current: dict[str, Value]) -> list[int]:
        return sorted({q.page for q in questions if is_shown(q, current, codes)})

    pages = pages_shown(values)
    page = _int(
        request.POST.get("page") if request.method == "POST" else request.GET.get("page"),
        response.current_page if response is not None else pages[0],
    )
    if page not in pages:
        page = min((p for p in pages if p >= page), default=pages[-1])
    errors: dict[str, list[str]] = {}
    posted_raw: dict[str, Any] = {}
    posted_other: dict[str, str] = {}
    if request.method == "POST":
        on_page = [q for q in questions if q.page == page and is_shown(q, values, codes)]
        posted_raw, posted_other = _raw_from_post(request, on_page)
        action = request.POST.get("action", "next")
        try:
            if response is None:
                assert right is not None
                response, resume = services.response_begin(
                    right=right, raw=posted_raw, other=posted_other, page=page
                )
                state = State(resume=resume)
                values = services.response_values(response)
            else:
                values = services.response_save(
                    response=response, raw=posted_raw, other=posted_other, page=page
                )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # not about an answer: the wave closed, right used
                return _clear_state(_refused(request, " ".join(exc.messages), 410))
            errors = exc.message_dict
        if not errors:
            assert response is not None
            pages = pages_shown(values)
            if action == "save":
                return _write_state(redirect("surveys:answer_saved"), state)
            if action == "back":
                return _write_state(
                    redirect(_page_url(max((p for p in pages if p < page), default=page))), state
                )
            if action == "submit" and page == pages[-1]:
                try:
                    services.response_submit(response=response)
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        return _clear_state(_refused(request, " ".join(exc.messages), 410))
                    errors = exc.message_dict
                    page = next(q.page for q in questions if q.code in errors)
                else:
                    # Sent: the browser keeps nothing that leads to the answers.
                    return _clear_state(redirect("surveys:thanks"))
            else:
                return _write_state(
                    redirect(_page_url(min((p for p in pages if p > page), default=page))), state
                )
    fields = [
        _field(q, values, posted_raw, posted_other, errors)
        for q in questions
        if q.page == page and is_shown(q, values, codes)
    ]
    context = {
        "wave": wave,
        "questionnaire": wave.questionnaire,
        "fields": fields,
        "page": page,
        "page_number": pages.index(page) + 1,
        "page_count": len(pages),
        "is_first": page == pages[0],
        "is_last": page == pages[-1],
        "chapter": next((f.question.localized("chapter") for f in fields if f.question.chapter_nl), ""),
        "errors": [(f, e) for f in fields for e in f.errors],
    }
    page_response = render(request, "surveys/respond/answer.html", context, status=400 if errors else 200)
    return _write_state(page_response, state)


def _int(text: Any, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _page_url(page: int) -> str:
    return f"{reverse('surveys:answer')}?page={page}"


def _field(
    q: Question,
    values: dict[str, Value],
    raw: dict[str, Any],
    other: dict[str, str],
    errors: dict[str, list[str]],
) -> Field:
    value = values.get(q.code, Value())
    if q.code in errors:
        # Show what the respondent sent, so they can correct it rather than start over.
        sent = raw.get(q.code)
        if q.kind == QuestionKind.MULTIPLE:
            value = Value(choices=list(sent or []))
        elif q.kind == QuestionKind.MATRIX:
            value = Value(statements={k: v for k, v in (sent or {}).items() if v})
        elif q.kind == QuestionKind.OPEN or q.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
            value = Value(text=str(sent or ""))
        else:
            value = Value(choice=str(sent or ""))
    return Field(q, value, errors.get(q.code, []), other.get(q.code, value.text if q.allow_other else ""))


@public
@require_GET
def answer_saved(request: HttpRequest) -> HttpResponse:
    """The code to go on later, and the same as a link whose fragment carries it."""
    state = _read_state(request)
    response = services.response_for_key(state.resume) if state.resume else None
    if response is None:
        return _start_page(
            request, error=_("Open the questionnaire with the link or code from your invitation.")
        )
    if response.status == ResponseStatus.COMPLETE:
        return _clear_state(redirect("surveys:thanks"))
    link = f"{request.build_absolute_uri(reverse('surveys:start'))}#t={state.resume}"
    return _write_state(
        render(
            request, "surveys/respond/saved.html", {"link": link, "code": state.resume, "wave": response.wave}
        ),
        state,
    )


@public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/respond/thanks.html")

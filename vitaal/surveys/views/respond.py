"""The respondent's pages: public, reached only through a secret link, and phone-first.

Nothing here looks at who is logged in: a respondent is anonymous, also when they happen
to have an account. Every page answers with ``no-store`` and a same-origin referrer policy so the link
(which carries the resume key) is neither cached nor passed on to other sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
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
    Invitation,
    Question,
    QuestionKind,
    ResponseStatus,
    SurveyResponse,
    Wave,
    token_hash,
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


# --- Entrances ----------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A personal link: GET shows the welcome page (without using the link up), POST
    starts the response and uses the link."""
    found = (
        Invitation.objects.select_related("wave__questionnaire").filter(token_hash=token_hash(token)).first()
    )
    if found is None:
        return _refused(request, _("This link is not valid. Check that you copied the whole link."), 404)
    if found.started:
        return _refused(
            request,
            _("This link has already been used. Continue with the link you got when you saved your answers."),
            410,
        )
    return _entrance(request, found.wave, lambda: services.response_start_invited(token=token))


@public
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    wave = Wave.objects.select_related("questionnaire").filter(open_link_hash=token_hash(token)).first()
    if wave is None:
        return _refused(request, _("This link is not valid. Check that you copied the whole link."), 404)
    return _entrance(request, wave, lambda: services.response_start_open(token=token))


def _entrance(
    request: HttpRequest, wave: Wave, start: Callable[[], tuple[SurveyResponse, services.ResumeKey]]
) -> HttpResponse:
    if request.method == "POST":
        try:
            _response, key = start()
        except ValidationError as exc:
            return _refused(request, " ".join(exc.messages), 410)
        return redirect("surveys:answer", key=str(key))
    return render(
        request, "surveys/respond/welcome.html", {"wave": wave, "questionnaire": wave.questionnaire}
    )


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


def _load(key: str) -> tuple[SurveyResponse, services.ResumeKey]:
    parsed = services.ResumeKey.parse(key)
    response = services.response_for_key(parsed)
    if response is None:
        raise Http404
    return response, parsed


@public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, key: str) -> HttpResponse:
    """One page of questions. Buttons: back, next, save for later, and send (last page)."""
    response, parsed = _load(key)
    if response.status == ResponseStatus.COMPLETE:
        return redirect("surveys:thanks")
    questions = services.questions_of(response.wave.questionnaire)
    codes = {q.pk: q.code for q in questions}
    values = services.response_values(response)

    def pages_shown(current: dict[str, Value]) -> list[int]:
        return sorted({q.page for q in questions if is_shown(q, current, codes)})

    pages = pages_shown(values)
    page = _int(
        request.POST.get("page") if request.method == "POST" else request.GET.get("page"),
        response.current_page,
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
            values = services.response_save(response=response, raw=posted_raw, other=posted_other, page=page)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # not about an answer: the wave closed
                return _refused(request, " ".join(exc.messages), 410)
            errors = exc.message_dict
        if not errors:
            pages = pages_shown(values)
            if action == "save":
                return redirect("surveys:answer_saved", key=key)
            if action == "back":
                return redirect(_page_url(key, max((p for p in pages if p < page), default=page)))
            if action == "submit" and page == pages[-1]:
                try:
                    services.response_submit(response=response, invitation_token=parsed.invitation)
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        return _refused(request, " ".join(exc.messages), 410)
                    errors = exc.message_dict
                    page = next(q.page for q in questions if q.code in errors)
                else:
                    return redirect("surveys:thanks")
            else:
                return redirect(_page_url(key, min((p for p in pages if p > page), default=page)))
    fields = [
        _field(q, values, posted_raw, posted_other, errors)
        for q in questions
        if q.page == page and is_shown(q, values, codes)
    ]
    context = {
        "wave": response.wave,
        "questionnaire": response.wave.questionnaire,
        "fields": fields,
        "page": page,
        "page_number": pages.index(page) + 1,
        "page_count": len(pages),
        "is_first": page == pages[0],
        "is_last": page == pages[-1],
        "chapter": next((f.question.localized("chapter") for f in fields if f.question.chapter_nl), ""),
        "errors": [(f, e) for f in fields for e in f.errors],
    }
    return render(request, "surveys/respond/answer.html", context, status=400 if errors else 200)


def _int(text: Any, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _page_url(key: str, page: int) -> str:
    return f"{reverse('surveys:answer', kwargs={'key': key})}?page={page}"


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
def answer_saved(request: HttpRequest, key: str) -> HttpResponse:
    response, _parsed = _load(key)
    if response.status == ResponseStatus.COMPLETE:
        return redirect("surveys:thanks")
    link = request.build_absolute_uri(reverse("surveys:answer", kwargs={"key": key}))
    return render(request, "surveys/respond/saved.html", {"link": link, "wave": response.wave})


@public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/respond/thanks.html")

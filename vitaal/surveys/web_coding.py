"""Open-answer coding pages: codebooks, the coding queue, agreement between coders, the
agreed sets, and the coded frequencies.

Who: the researchers of the wave (``surveys.manage_wave``) for everything that shows or
changes open answers or codes; the coded frequencies are aggregates through disclosure
control and also open to those who follow the wave (``surveys.view_wave``). Nothing here
shows anything that identifies a respondent: an answer is shown by its text only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.surveys import coding, selectors
from vitaal.surveys.coding_suggest import suggest
from vitaal.surveys.models import Answer, Code, Codebook, QuestionKind, Wave
from vitaal.surveys.views.release import released_only

MANAGE, VIEW = "surveys.manage_wave", "surveys.view_wave"


class CodeForm(forms.Form):
    value = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Short name used in exports, e.g. workload. It cannot be changed later."),
    )
    label_nl = forms.CharField(label=gettext_lazy("Label (Dutch)"), max_length=200)
    label_en = forms.CharField(label=gettext_lazy("Label (English)"), max_length=200)
    description_nl = forms.CharField(
        label=gettext_lazy("Description (Dutch)"), max_length=500, required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"), max_length=500, required=False, widget=forms.Textarea
    )


class CodeEditForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["value"]


def _context(request: HttpRequest, pk: int, question: str, perm: str) -> tuple[Wave, Codebook]:
    wave = selectors.wave_for(request.user, pk, perm)
    found = wave.questionnaire.questions.filter(code=question, kind=QuestionKind.OPEN).first()
    if found is None:
        raise Http404
    return wave, coding.codebook_for(wave=wave, question=found)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_GET
@released_only
def coding_index(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, MANAGE)
    questions = list(coding.open_questions(wave))
    codebooks = {cb.question_id: cb for cb in Codebook.objects.filter(wave=wave)}
    progress = coding.coding_progress(list(codebooks.values()))
    counts = coding.answer_counts(wave)
    rows = [
        (
            q,
            counts.get(q.pk, 0),
            progress.get(codebooks[q.pk].pk) if q.pk in codebooks else None,
        )
        for q in questions
    ]
    return render(request, "surveys/coding/index.html", {"wave": wave, "rows": rows})


@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    wave, book = _context(request, pk, question, MANAGE)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                code = coding.code_add(codebook=book, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Code %(code)s added.") % {"code": code.value})
                return redirect(request.path)
        status = 400
    codes = list(book.codes.annotate(n=Count("codings", distinct=True)))
    context = {"wave": wave, "codebook": book, "question": book.question, "codes": codes, "form": form}
    return render(request, "surveys/coding/codebook.html", context, status=status)


@require_http_methods(["GET", "POST"])
def code_edit(request: HttpRequest, pk: int, question: str, code: int) -> HttpResponse:
    wave, book = _context(request, pk, question, MANAGE)
    found = Code.objects.filter(codebook=book, pk=code).first()
    if found is None:
        raise Http404
    back = reverse("surveys:codebook", args=[wave.pk, book.question.code])
    if request.method == "POST" and request.POST.get("action") in ("retire", "restore"):
        coding.code_retire(code=found, retired=request.POST["action"] == "retire")
        messages.success(request, _("Code %(code)s saved.") % {"code": found.value})
        return redirect(back)
    initial = {f: getattr(found, f) for f in ("label_nl", "label_en", "description_nl", "description_en")}
    form = CodeEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                coding.code_edit(code=found, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Code %(code)s saved.") % {"code": found.value})
                return redirect(back)
        status = 400
    context = {"wave": wave, "codebook": book, "question": book.question, "code": found, "form": form}
    return render(request, "surveys/coding/code_edit.html", context, status=status)


def _next_answer(book: Codebook, user: Any, mode: str, after: int) -> tuple[Answer | None, int]:
    """The next answer this coder has not coded: in "new" mode one nobody coded yet, in
    "second" mode one exactly one other coder coded (for double coding)."""
    wanted = 1 if mode == "second" else 0
    answers = (
        coding.open_answers(book.wave, book.question)
        .annotate(n=Count("codings", distinct=True), mine=Count("codings", filter=Q(codings__coder=user)))
        .filter(n=wanted, mine=0)
    )
    remaining = answers.count()
    found = answers.filter(pk__gt=after).first() or (answers.first() if after else None)
    return found, remaining


@require_http_methods(["GET", "POST"])
@released_only
def coding_queue(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    wave, book = _context(request, pk, question, MANAGE)
    mode = "second" if request.GET.get("mode") == "second" else "new"
    status = 200
    chosen: set[str] = set()
    if request.method == "POST":
        chosen = set(request.POST.getlist("codes"))
        try:
            coding.assign(
                codebook=book, answer_id=request.POST.get("answer"), coder=request.user, code_ids=chosen
            )
        except ValidationError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, _("Codes saved."))
            return redirect(f"{request.path}?mode={mode}")
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    current = None
    posted = request.POST.get("answer", "")
    if status == 400 and posted.isdigit():
        current = coding.open_answers(wave, book.question).filter(pk=int(posted)).first()
    answer, remaining = _next_answer(book, request.user, mode, after)
    answer = current or answer
    codes = [c for c in book.codes.all() if not c.retired]
    suggestions: dict[str, float] = {}
    if answer is not None and mode == "new" and codes:
        coded = coding.coded_answers(book)
        settled = {a: coding_set for a in coded.coders if (coding_set := coded.settled(a))}
        settled.pop(answer.pk, None)
        texts = dict(Answer.objects.filter(pk__in=list(settled)[-2000:]).values_list("pk", "text"))
        examples = [(texts[a], sorted(codes_)) for a, codes_ in settled.items() if a in texts]
        suggestions = {s.code: s.score for s in suggest(answer.text, examples)}
    rows = [(i, c, suggestions.get(c.value), str(c.pk) in chosen) for i, c in enumerate(codes, start=1)]
    context = {
        "wave": wave,
        "codebook": book,
        "question": book.question,
        "answer": answer,
        "rows": rows,
        "mode": mode,
        "remaining": remaining,
    }
    return render(request, "surveys/coding/queue.html", context, status=status)


@require_GET
@released_only
def coding_agreement(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    wave, book = _context(request, pk, question, MANAGE)
    result = coding.agreement(book)
    disagreements = len(coding.coded_answers(book).disagreements())
    context = {
        "wave": wave,
        "codebook": book,
        "question": book.question,
        "agreement": result,
        "disagreements": disagreements,
    }
    return render(request, "surveys/coding/agreement.html", context)


@require_http_methods(["GET", "POST"])
@released_only
def coding_resolve(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    """Two coders' differing sets for one answer at a time; a researcher records the set
    they agreed on."""
    wave, book = _context(request, pk, question, MANAGE)
    status = 200
    if request.method == "POST":
        try:
            coding.agree(
                codebook=book,
                answer_id=request.POST.get("answer"),
                decided_by=request.user,
                code_ids=request.POST.getlist("codes"),
            )
        except ValidationError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, _("Agreed codes saved."))
            return redirect(request.path)
    coded = coding.coded_answers(book)
    open_ids = coded.disagreements()
    answer = Answer.objects.filter(pk=open_ids[0]).first() if open_ids else None
    sets: list[frozenset[str]] = [s for _coder, s in coded.coders.get(answer.pk, [])] if answer else []
    codes = list(book.codes.all())
    rows = [(c, [c.value in s for s in sets]) for c in codes]
    context = {
        "wave": wave,
        "codebook": book,
        "question": book.question,
        "answer": answer,
        "rows": rows,
        "remaining": len(open_ids),
    }
    return render(request, "surveys/coding/resolve.html", context, status=status)


@require_GET
@released_only
def coding_results(request: HttpRequest, pk: int, question: str) -> HttpResponse:
    """Readers who only follow the wave never create anything: without a codebook the
    page says there are no codes yet."""
    wave = selectors.wave_for(request.user, pk, VIEW)
    selectors.require_released(wave)  # the same page before and after any response
    found = wave.questionnaire.questions.filter(code=question, kind=QuestionKind.OPEN).first()
    if found is None:
        raise Http404
    book = Codebook.objects.filter(wave=wave, question=found).first()
    context = {
        "wave": wave,
        "codebook": book,
        "question": found,
        "result": coding.coded_frequencies(book) if book is not None else None,
        "can_manage": request.user.has_perm(MANAGE, wave),
    }
    return render(request, "surveys/coding/results.html", context)


__all__ = [
    "code_edit",
    "codebook",
    "coding_agreement",
    "coding_index",
    "coding_queue",
    "coding_resolve",
    "coding_results",
]

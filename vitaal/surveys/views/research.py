"""Researcher pages: waves, their distribution status, and protected results.

Who: the sector admin for sector-wide waves, the org admin and HR advisor for their own
organisation's waves (vitaal/surveys/rules.py). Results show aggregates only, through the
disclosure-control service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_actor
from vitaal.core.disclosure import threshold_for
from vitaal.core.models import Organisation, Sector
from vitaal.core.roles import Role
from vitaal.surveys import selectors, services
from vitaal.surveys.forms import InviteForm, PopulationForm, ReminderForm, WaveForm
from vitaal.surveys.models import QuestionKind, WaveStatus
from vitaal.surveys.results import breakdown, question_results, representativeness
from vitaal.surveys.rules import RESEARCHER_ORG_ROLES
from vitaal.surveys.views.release import released_only
from vitaal.surveys.weighting import wave_weights


def _targets(user: Any) -> tuple[list[Organisation], list[Sector]]:
    actor = get_actor(user)
    organisations = list(
        Organisation.objects.filter(pk__in=actor.orgs_for(RESEARCHER_ORG_ROLES)).order_by("name")
    )
    sectors = list(Sector.objects.filter(pk__in=actor.sectors_for([Role.SECTOR_ADMIN])).order_by("name"))
    return organisations, sectors


def _require_researcher(user: Any) -> tuple[list[Organisation], list[Sector]]:
    organisations, sectors = _targets(user)
    if not organisations and not sectors:
        raise PermissionDenied
    return organisations, sectors


@require_GET
def wave_list(request: HttpRequest) -> HttpResponse:
    _require_researcher(request.user)
    waves = list(
        selectors.waves_visible_to(request.user)
        .select_related("questionnaire", "organisation", "sector")
        .order_by("-created_at", "-pk")
    )
    statuses = selectors.wave_statuses(waves)
    rows = [(wave, statuses[wave.pk]) for wave in waves]
    return render(request, "surveys/wave_list.html", {"rows": rows, "can_create": True})


@require_http_methods(["GET", "POST"])
def wave_create(request: HttpRequest) -> HttpResponse:
    organisations, sectors = _require_researcher(request.user)
    form = WaveForm(request.POST or None, organisations=organisations, sectors=sectors)
    if request.method == "POST" and form.is_valid():
        sector, organisation = form.target_objects()
        if not request.user.has_perm("surveys.add_wave", organisation or sector):
            raise PermissionDenied
        try:
            wave = services.wave_create(
                questionnaire=form.cleaned_data["questionnaire"],
                sector=sector,
                organisation=organisation,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The wave has been created."))
            return redirect("surveys:wave_detail", pk=wave.pk)
    return render(request, "surveys/wave_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    can_manage = request.user.has_perm("surveys.manage_wave", wave)
    return render(
        request,
        "surveys/wave_detail.html",
        {
            "wave": wave,
            "status": selectors.wave_status(wave),
            "can_manage": can_manage,
            "invite_form": InviteForm(),
            "reminder_form": ReminderForm(),
        },
    )


def _manage(request: HttpRequest, pk: int) -> Any:
    return selectors.wave_for(request.user, pk, "surveys.manage_wave")


@require_POST
def wave_state(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _manage(request, pk)
    try:
        if request.POST.get("state") == WaveStatus.OPEN:
            services.wave_open(wave=wave)
            messages.success(request, _("The wave is open."))
        elif request.POST.get("state") == WaveStatus.CLOSED:
            services.wave_close(wave=wave)
            messages.success(request, _("The wave is closed."))
        else:
            messages.error(request, _("Choose open or closed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:wave_detail", pk=wave.pk)


def code_link(request: HttpRequest, token: str) -> str:
    """The link to put in an invitation: the code rides in the fragment (``#t=``), which
    browsers never send to a server, so it reaches no access log (views/respond.py)."""
    return f"{request.build_absolute_uri(reverse('surveys:start'))}#t={token}"


@require_POST
def wave_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Create invitations and show their links once (the tokens are not stored, so they
    cannot be shown again); sending them by email is the researcher's mail merge."""
    wave = _manage(request, pk)
    form = InviteForm(request.POST)
    links: list[tuple[str, str]] = []
    if form.is_valid():
        try:
            pairs = services.invitations_create(wave=wave, emails=form.addresses())
        except ValidationError as exc:
            form.add_error("emails", exc)
        else:
            links = [(inv.email, code_link(request, token)) for inv, token in pairs]
    status = 200 if links else 400
    return render(
        request, "surveys/wave_links.html", {"wave": wave, "form": form, "links": links}, status=status
    )


@require_POST
def wave_open_link(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _manage(request, pk)
    token = services.wave_open_link_create(wave=wave)
    link = code_link(request, token)
    return render(request, "surveys/wave_links.html", {"wave": wave, "open_link": link})


@require_POST
def wave_remind(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _manage(request, pk)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Fill in a subject and a message."))
        return redirect("surveys:wave_detail", pk=wave.pk)
    try:
        sent = services.reminders_send(
            wave=wave, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent) % {"n": sent}
        )
    return redirect("surveys:wave_detail", pk=wave.pk)


@require_http_methods(["GET", "POST"])
def wave_population(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _manage(request, pk)
    questions = services.questions_of(wave.questionnaire)
    form = PopulationForm(request.POST or None, wave=wave, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_population_set(wave=wave, shares=form.shares())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The population figures have been saved."))
            return redirect("surveys:wave_results", pk=wave.pk)
    return render(
        request,
        "surveys/wave_population.html",
        {"wave": wave, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@released_only
def wave_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Frequencies per question (N per question), weighted or not, and an optional
    breakdown by one background question; every count protected."""
    wave = selectors.wave_for(request.user, pk, "surveys.view_wave")
    questions = services.questions_of(wave.questionnaire)
    frame = selectors.wave_frame(wave)
    k_opinion = threshold_for(wave.sector, "survey")
    k_text = threshold_for(wave.sector, "free_text")
    raking = wave_weights(wave, frame)
    weighted = request.GET.get("weighted") == "1" and raking is not None
    weights = raking.weights if weighted and raking is not None else None
    results = [
        r
        for q in questions
        for r in question_results(q, frame, k_opinion=k_opinion, k_text=k_text, weights=weights)
    ]
    backgrounds = [q for q in questions if q.background and q.kind == QuestionKind.SINGLE]
    by = next((q for q in backgrounds if q.code == request.GET.get("by")), None)
    breakdowns = []
    if by is not None:
        breakdowns = [
            breakdown(q, by, frame, k=k_opinion, weights=weights)
            for q in questions
            if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT) and q.pk != by.pk
        ]
    counts = selectors.wave_status(wave)
    sample = representativeness(questions, frame, wave.population or {}, k=k_opinion)
    return render(
        request,
        "surveys/wave_results.html",
        {
            "wave": wave,
            "results": results,
            "weighted": weighted,
            "raking": raking,
            "backgrounds": backgrounds,
            "by": by,
            "breakdowns": breakdowns,
            "counts": counts,
            "representativeness": sample,
            "k": k_opinion,
            "can_manage": request.user.has_perm("surveys.manage_wave", wave),
        },
    )


@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The researcher enters one interview's answers (HR or works-council guides). All
    questions are on one page; answers to questions that skip logic hides are dropped."""
    from vitaal.surveys.answers import Value
    from vitaal.surveys.views.respond import Field, _raw_from_post

    wave = _manage(request, pk)
    if not wave.questionnaire.is_interview:
        raise Http404
    questions = services.questions_of(wave.questionnaire)
    errors: dict[str, list[str]] = {}
    raw: dict[str, Any] = {}
    other: dict[str, str] = {}
    if request.method == "POST":
        raw, other = _raw_from_post(request, questions)
        try:
            services.interview_create(wave=wave, raw=raw, other=other)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            messages.success(request, _("The interview has been saved."))
            return redirect("surveys:wave_detail", pk=wave.pk)
    fields = [Field(q, _sent_value(q, raw), errors.get(q.code, []), other.get(q.code, "")) for q in questions]
    context = {
        "wave": wave,
        "fields": fields,
        "errors": [(f, e) for f in fields for e in f.errors],
        "general_errors": errors.get("", []),
        "empty": Value(),
    }
    return render(request, "surveys/interview_form.html", context, status=400 if errors else 200)


def _sent_value(question: Any, raw: dict[str, Any]) -> Any:
    from vitaal.surveys.answers import Value

    sent = raw.get(question.code)
    if sent is None:
        return Value()
    if question.kind == QuestionKind.MULTIPLE:
        return Value(choices=list(sent))
    if question.kind == QuestionKind.MATRIX:
        return Value(statements={k: v for k, v in sent.items() if v})
    if question.kind in (QuestionKind.OPEN, QuestionKind.GRADE, QuestionKind.NUMBER):
        return Value(text=str(sent)) if question.kind != QuestionKind.GRADE else Value(choice=str(sent))
    return Value(choice=str(sent))

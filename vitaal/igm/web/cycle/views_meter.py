"""Meter sessions: plan one, rate its items line by line (as a group, or each participant
privately), attach evidence, close it and read the results with radar and comparisons.

Individual ratings are only ever read back by the rater (``own_individual_ratings``);
everyone else gets the aggregates of ``session_results``, which withholds them below the
sector's threshold."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_scoped_object_or_404
from vitaal.igm.models import (
    Cycle,
    CycleStatus,
    DevelopmentLine,
    GroupRating,
    Item,
    MeterMode,
    MeterSession,
    SessionEvidence,
    localized,
)
from vitaal.igm.selectors import own_individual_ratings, session_results
from vitaal.igm.services import meter as meter_services
from vitaal.igm.web.cycle import forms as f
from vitaal.igm.web.cycle.common import (
    add_errors,
    check_inside,
    error_text,
    organisation_or_404,
    stored_file_response,
)
from vitaal.igm.web.cycle.results import results_context


def session_or_404(
    request: HttpRequest, org: str, pk: int, perm: str = "igm.view_metersession"
) -> MeterSession:
    return get_scoped_object_or_404(
        request.user,
        MeterSession.objects.select_related(
            "organisation__sector", "unit", "instrument__scale", "instrument__framework"
        ),
        perm,
        organisation__slug=org,
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_or_404(request, org, "igm.add_metersession")
    form = f.SessionCreateForm(
        request.POST or None,
        organisation=organisation,
        initial={"date": timezone.localdate(), "mode": MeterMode.GROUP},
    )
    if request.method == "POST" and form.is_valid():
        active = Cycle.objects.filter(organisation=organisation, status=CycleStatus.ACTIVE).first()
        try:
            session = meter_services.meter_session_create(
                organisation=organisation,
                cycle_number=active.number if active else None,
                created_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The meter session has been created."))
            return redirect("igm:session_detail", org=organisation.slug, pk=session.pk)
    return render(request, "igm/cycle/session_create.html", {"organisation": organisation, "form": form})


def _lines_and_items(session: MeterSession) -> tuple[list[DevelopmentLine], dict[int, list[Item]]]:
    lines = list(session.instrument.framework.lines.order_by("order"))
    per_line: dict[int, list[Item]] = {line.pk: [] for line in lines}
    for item in Item.objects.filter(instrument=session.instrument).order_by("order"):
        per_line.setdefault(item.line_id, []).append(item)
    return [line for line in lines if per_line.get(line.pk)], per_line


@require_GET
def session_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    session = session_or_404(request, org, pk)
    user = request.user
    lines, per_line = _lines_and_items(session)
    can_change = user.has_perm("igm.change_metersession", session)
    is_participant = user.is_authenticated and session.participants.filter(user=user).exists()
    if session.mode == MeterMode.GROUP:
        done = Counter(GroupRating.objects.filter(session=session).values_list("item__line_id", flat=True))
    else:
        done = Counter(r.item.line_id for r in own_individual_ratings(session=session, user=user).values())
    line_rows = [
        {"line": line, "items": len(per_line[line.pk]), "rated": done.get(line.pk, 0)} for line in lines
    ]
    results = session_results(session=session, user=user)
    summaries = {s.key: s for s in results.item_summaries}
    spread_rows = [
        {"line": line, "items": [(item, summaries.get(item.pk)) for item in per_line[line.pk]]}
        for line in lines
    ]
    may_rate = not session.is_closed and (
        can_change
        if session.mode == MeterMode.GROUP
        else is_participant and user.has_perm("igm.rate_metersession", session)
    )
    participants = (
        list(session.participants.select_related("user").order_by("user__last_name")) if can_change else []
    )
    return render(
        request,
        "igm/cycle/session_detail.html",
        {
            "organisation": session.organisation,
            "session": session,
            "line_rows": line_rows,
            "results": results,
            "spread_rows": spread_rows,
            "line_scores": {s.line: s for s in results.line_scores},
            "may_rate": may_rate,
            "can_change": can_change,
            "is_participant": is_participant,
            "participants": participants,
            "participant_form": (
                f.ParticipantForm(
                    organisation=session.organisation, exclude=[p.user_id for p in participants]
                )
                if can_change and not session.is_closed
                else None
            ),
            "evidence": session.evidence.select_related("added_by"),
        },
    )


def _labels(session: MeterSession) -> tuple[list[tuple[int, str]], dict[str, str]]:
    scale = session.instrument.scale
    levels = [(lv.value, f"{lv.value} – {localized(lv, 'label')}") for lv in scale.levels.order_by("value")]
    return levels, {"na": localized(scale, "not_applicable"), "dk": localized(scale, "dont_know")}


@require_http_methods(["GET", "POST"])
def session_rate(request: HttpRequest, org: str, pk: int, line: str) -> HttpResponse:
    """The rating form of one development line: the group's agreed ratings with notes, or
    (individual mode) the user's own ratings."""
    session = session_or_404(request, org, pk)
    group = session.mode == MeterMode.GROUP
    perm = "igm.change_metersession" if group else "igm.rate_metersession"
    if not request.user.has_perm(perm, session):
        raise PermissionDenied
    dev_line = get_object_or_404(DevelopmentLine, framework=session.instrument.framework, code=line)
    lines, per_line = _lines_and_items(session)
    items = per_line.get(dev_line.pk, [])
    if not items:
        raise Http404
    if session.is_closed:
        messages.error(request, _("This meter session is closed; its ratings can no longer be changed."))
        return redirect("igm:session_detail", org=org, pk=session.pk)
    if group:
        current = {r.item_id: r for r in GroupRating.objects.filter(session=session, item__in=items)}
    else:
        current = own_individual_ratings(session=session, user=request.user)  # type: ignore[assignment]
    initial: dict[str, Any] = {}
    for item_id, rating in current.items():
        initial[f"item_{item_id}"] = str(rating.level) if rating.level is not None else rating.answer
        if group:
            initial[f"note_{item_id}"] = rating.note  # type: ignore[attr-defined]
    levels, labels = _labels(session)
    form = f.LineRatingForm(
        request.POST or None, initial=initial, items=items, levels=levels, labels=labels, with_notes=group
    )
    if request.method == "POST" and form.is_valid():
        try:
            if group:
                meter_services.group_ratings_set_many(
                    session=session, entries=[(i, form.value_of(i), form.note_of(i)) for i in items]
                )
            else:
                meter_services.individual_ratings_set_many(
                    session=session,
                    rater=request.user,  # type: ignore[arg-type]
                    entries=[(i, form.value_of(i)) for i in items],
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The ratings of %(line)s have been saved.") % {"line": dev_line.name})
            following = lines[lines.index(dev_line) + 1] if lines.index(dev_line) + 1 < len(lines) else None
            if following is not None and "next" in request.POST:
                return redirect("igm:session_rate", org=org, pk=session.pk, line=following.code)
            return redirect("igm:session_detail", org=org, pk=session.pk)
    elif request.method == "POST":
        messages.error(request, _("Nothing has been saved; correct the answers marked below."))
    return render(
        request,
        "igm/cycle/session_rate.html",
        {
            "organisation": session.organisation,
            "session": session,
            "line": dev_line,
            "form": form,
            "group": group,
            "scope": localized(dev_line, "scope"),
            "levels": [
                (str(lv), localized(lv, "description"))
                for lv in session.instrument.scale.levels.order_by("value")
            ],
        },
    )


@require_POST
def session_participants(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    session = session_or_404(request, org, pk, "igm.change_metersession")
    exclude = list(session.participants.values_list("user_id", flat=True))
    form = f.ParticipantForm(request.POST, organisation=session.organisation, exclude=exclude)
    if not form.is_valid():
        messages.error(request, _("Choose at least one person of the organisation."))
    else:
        try:
            for user in form.cleaned_data["users"]:
                meter_services.session_participant_add(session=session, user=user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The participants have been added."))
    return redirect("igm:session_detail", org=org, pk=session.pk)


@require_POST
def session_close(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    session = session_or_404(request, org, pk, "igm.change_metersession")
    try:
        meter_services.meter_session_close(session=session)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("igm:session_detail", org=org, pk=session.pk)
    messages.success(request, _("The meter session is closed. Its results are below."))
    return redirect("igm:session_results", org=org, pk=session.pk)


@require_GET
def session_results_page(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    session = session_or_404(request, org, pk)
    context = results_context(request, session)
    return render(
        request, "igm/cycle/session_results.html", {"organisation": session.organisation, **context}
    )


@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    session = session_or_404(request, org, pk, "igm.change_metersession")
    form = f.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            meter_services.session_evidence_add(
                session=session,
                kind=form.cleaned_data["kind"],
                summary=form.cleaned_data["summary"],
                upload=form.cleaned_data["file"],
                added_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The evidence has been added."))
            return redirect("igm:session_detail", org=org, pk=session.pk)
    return render(
        request,
        "igm/cycle/evidence_form.html",
        {"organisation": session.organisation, "session": session, "form": form},
    )


def _evidence(request: HttpRequest, org: str, pk: int, perm: str) -> SessionEvidence:
    evidence = get_object_or_404(
        SessionEvidence.objects.select_related("session__organisation", "session__unit"),
        pk=pk,
        session__organisation__slug=org,
    )
    check_inside(request, evidence, perm, evidence.session)
    return evidence


@require_GET
def evidence_download(request: HttpRequest, org: str, pk: int) -> HttpResponseBase:
    return stored_file_response(_evidence(request, org, pk, "igm.view_metersession"))


@require_POST
def evidence_remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    evidence = _evidence(request, org, pk, "igm.change_metersession")
    session_pk = evidence.session_id
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Confirm that the evidence should be removed."))
        return redirect("igm:session_detail", org=org, pk=session_pk)
    meter_services.session_evidence_remove(evidence=evidence)
    messages.success(request, _("The evidence has been removed."))
    return redirect("igm:session_detail", org=org, pk=session_pk)

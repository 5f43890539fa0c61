"""Reads of the surveys app: which waves a user may see, and a wave's answers as a table
(one row per response, one column per variable) for the analysis library."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from vitaal.core.access import get_actor
from vitaal.core.roles import Role
from vitaal.surveys.models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    ResponseStatus,
    SurveyResponse,
    Wave,
)
from vitaal.surveys.rules import RESEARCHER_ORG_ROLES


def waves_visible_to(user: Any) -> QuerySet[Wave]:
    """Waves the user researches or follows: own organisation's waves (org admin, HR),
    and every wave of their sector (sector admin)."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return Wave.objects.none()
    q = Q(organisation_id__in=actor.orgs_for(RESEARCHER_ORG_ROLES))
    q |= Q(sector_id__in=actor.sectors_for([Role.SECTOR_ADMIN]))
    return Wave.objects.filter(q)


def wave_for(user: Any, pk: int, perm: str) -> Wave:
    """One wave: 404 when the user cannot reach it at all, 403 when they may look but not
    do this (``PermissionDenied`` from ``require_perm``)."""
    from django.core.exceptions import PermissionDenied

    wave = Wave.objects.select_related("questionnaire", "sector", "organisation").filter(pk=pk).first()
    if wave is None:
        raise Http404
    if not _reaches(get_actor(user), wave):
        raise Http404
    if not user.has_perm(perm, wave):
        raise PermissionDenied
    return wave


def _reaches(actor: Any, wave: Wave) -> bool:
    """Whether the wave lies inside anything the user belongs to (else it "does not
    exist" for them): its organisation, or for a sector wave, its sector."""
    from vitaal.core.models import Organisation

    if wave.organisation is not None:
        return bool(actor.touches_organisation(wave.organisation))
    if any(wave.sector_id in ids for ids in actor.sector_ids.values()):
        return True
    return Organisation.objects.filter(pk__in=actor.all_org_ids, sector_id=wave.sector_id).exists()


def wave_status(wave: Wave) -> dict[str, int]:
    """Distribution status: invitations (sent, started, finished) and responses by status.
    Counts only; nothing here can connect an invitation to a response."""
    inv = wave.invitations.aggregate(
        invited=Count("pk"),
        started=Count("pk", filter=Q(started=True)),
        finished=Count("pk", filter=Q(finished=True)),
    )
    resp = wave.responses.aggregate(
        partial=Count("pk", filter=Q(status=ResponseStatus.PARTIAL)),
        complete=Count("pk", filter=Q(status=ResponseStatus.COMPLETE)),
    )
    return {**inv, **resp}


def wave_statuses(waves: list[Wave]) -> dict[int, dict[str, int]]:
    """``wave_status`` for many waves in two queries (for lists)."""
    ids = [wave.pk for wave in waves]
    out: dict[int, dict[str, int]] = {
        pk: {"invited": 0, "finished": 0, "partial": 0, "complete": 0} for pk in ids
    }
    for row in (
        Invitation.objects.filter(wave_id__in=ids)
        .values("wave_id")
        .annotate(invited=Count("pk"), finished=Count("pk", filter=Q(finished=True)))
    ):
        out[row["wave_id"]].update(invited=row["invited"], finished=row["finished"])
    for counts in (
        SurveyResponse.objects.filter(wave_id__in=ids)
        .values("wave_id")
        .annotate(
            partial=Count("pk", filter=Q(status=ResponseStatus.PARTIAL)),
            complete=Count("pk", filter=Q(status=ResponseStatus.COMPLETE)),
        )
    ):
        out[counts["wave_id"]].update(partial=counts["partial"], complete=counts["complete"])
    return out


def wave_frame(wave: Wave, *, include_partial: bool = True) -> pd.DataFrame:
    """One row per response (index: a running number, not the database id), one column per
    variable: single/agreement codes as text, multiple choice as lists, grades and numbers
    as floats, open text as text, matrix rows as ``question.statement``, "other, namely"
    texts as ``question#other``; plus ``_status``.
    Two queries whatever the size of the wave."""
    responses = SurveyResponse.objects.filter(wave=wave)
    if not include_partial:
        responses = responses.filter(status=ResponseStatus.COMPLETE)
    status = dict(responses.values_list("pk", "status"))
    rows: dict[int, dict[str, Any]] = {pk: {"_status": value} for pk, value in status.items()}
    answers = Answer.objects.filter(response__in=responses).values_list(
        "response_id",
        "question__code",
        "question__kind",
        "statement__code",
        "choice",
        "choices",
        "number",
        "text",
    )
    for response_id, code, kind, statement, choice, choices, number, text in answers.iterator(
        chunk_size=5000
    ):
        row = rows[response_id]
        if statement is not None:
            row[f"{code}.{statement}"] = choice
        elif kind == QuestionKind.MULTIPLE:
            row[code] = list(choices)
            if text:
                row[f"{code}#other"] = text
        elif kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
            row[code] = number
        elif kind == QuestionKind.OPEN:
            row[code] = text
        else:
            row[code] = choice
            if text:
                row[f"{code}#other"] = text  # the "other, namely" text
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame.reset_index(drop=True)
    return frame


def columns_of(questions: list[Question]) -> list[str]:
    """The frame's variable names in questionnaire order."""
    names: list[str] = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            names.extend(f"{question.code}.{s.code}" for s in question.statements.all())
        else:
            names.append(question.code)
    return names

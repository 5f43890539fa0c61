"""Reads of the surveys app: which waves a user may see, and a wave's answers as a table
(one row per response, one column per variable) for the analysis library."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

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
    WaveStatus,
)
from vitaal.surveys.rules import RESEARCHER_ORG_ROLES

# --- Release of results ------------------------------------------------------------------
#
# The one rule for every output of a wave's answers (results page, report page, PDF, XLSX,
# respondent-group comparison, recommendation-matrix evidence, coding pages, `vitaal survey
# analyze` and `export`): answers are read only for a *closed* wave. While a wave is open,
# a download before and after one response would show that one person's answers, and
# steps of any size can be lined up with one response that crosses a step. So: nothing
# while open. Readers of answers call ``require_released`` (``wave_frame`` and the coding
# readers do it themselves, so a new output cannot forget it). The distribution counts
# (``wave_status``) of an open wave are rounded down to ``OPEN_COUNT_STEP``: they say how
# many took part, never what anyone answered.

OPEN_COUNT_STEP = 5


class ResultsNotReleased(Exception):
    """A wave's answers were asked for while the wave is still open."""

    def __init__(self, wave: Wave) -> None:
        super().__init__(f"wave {wave.pk} is not closed")
        self.wave = wave

    @property
    def message(self) -> str:
        return _("Results are shown when the wave is closed, so that no single response can be seen in them.")


def results_released(wave: Wave) -> bool:
    return wave.status == WaveStatus.CLOSED


def require_released(wave: Wave) -> None:
    if not results_released(wave):
        raise ResultsNotReleased(wave)


def _round_open(wave_status_value: str, counts: dict[str, int]) -> dict[str, int]:
    """Counts of people taking part, rounded down to the step while the wave is open (the
    number invited is the researcher's own input and stays exact)."""
    if wave_status_value == WaveStatus.CLOSED:
        return counts
    return {
        key: value if key == "invited" else value - value % OPEN_COUNT_STEP for key, value in counts.items()
    }


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
    """Distribution status: invitations (sent, started) and responses by status. Counts
    only; nothing here can connect an invitation to a response. Rounded while the wave is
    open (see "Release of results")."""
    inv = wave.invitations.aggregate(
        invited=Count("pk"),
        started=Count("pk", filter=Q(started=True)),
    )
    resp = wave.responses.aggregate(
        partial=Count("pk", filter=Q(status=ResponseStatus.PARTIAL)),
        complete=Count("pk", filter=Q(status=ResponseStatus.COMPLETE)),
    )
    return _round_open(wave.status, {**inv, **resp})


def wave_statuses(waves: list[Wave]) -> dict[int, dict[str, int]]:
    """``wave_status`` for many waves in two queries (for lists)."""
    ids = [wave.pk for wave in waves]
    out: dict[int, dict[str, int]] = {
        pk: {"invited": 0, "started": 0, "partial": 0, "complete": 0} for pk in ids
    }
    for row in (
        Invitation.objects.filter(wave_id__in=ids)
        .values("wave_id")
        .annotate(invited=Count("pk"), started=Count("pk", filter=Q(started=True)))
    ):
        out[row["wave_id"]].update(invited=row["invited"], started=row["started"])
    for counts in (
        SurveyResponse.objects.filter(wave_id__in=ids)
        .values("wave_id")
        .annotate(
            partial=Count("pk", filter=Q(status=ResponseStatus.PARTIAL)),
            complete=Count("pk", filter=Q(status=ResponseStatus.COMPLETE)),
        )
    ):
        out[counts["wave_id"]].update(partial=counts["partial"], complete=counts["complete"])
    return {wave.pk: _round_open(wave.status, out[wave.pk]) for wave in waves}


def wave_frame(wave: Wave, *, include_partial: bool = True) -> pd.DataFrame:
    """One row per response (index: a running number, not the database id), one column per
    variable: single/agreement codes as text, multiple choice as lists, grades and numbers
    as floats, open text as text, matrix rows as ``question.statement``, "other, namely"
    texts as ``question#other``; plus ``_status``.

    Two queries whatever the size of the wave; the JSON lists are read as text and decoded
    only for multiple-choice answers. Columns are filled per variable with
    numpy, not per answer in Python. Raises ``ResultsNotReleased`` for a wave that is not
    closed: every output of answers reads them here."""
    require_released(wave)
    responses = SurveyResponse.objects.filter(wave=wave).order_by("pk")
    if not include_partial:
        responses = responses.filter(status=ResponseStatus.COMPLETE)
    status = list(responses.values_list("pk", "status"))
    pks = np.fromiter((pk for pk, _s in status), dtype=np.int64, count=len(status))
    n = len(pks)
    answers = Answer.objects.filter(response__wave=wave).order_by()
    if not include_partial:
        answers = answers.filter(response__status=ResponseStatus.COMPLETE)
    # The JSON list is read as text and decoded only for multiple-choice answers.
    rows_read = list(
        answers.annotate(choices_text=Cast("choices", output_field=TextField())).values_list(
            "response_id",
            "question_id",
            "statement_id",
            "choice",
            "number",
            "text",
            "choices_text",
            "question__code",
            "question__kind",
            "question__position",
            "statement__code",
        )
    )
    questions = {row[1]: (row[7], row[8], row[9]) for row in rows_read}
    statements = {row[2]: row[10] for row in rows_read if row[2] is not None}
    plain = [row[:6] for row in rows_read if row[8] != QuestionKind.MULTIPLE]
    ticked = [
        (row[0], row[1], json.loads(row[6]) if row[6] else [], row[5])
        for row in rows_read
        if row[8] == QuestionKind.MULTIPLE
    ]
    del rows_read
    columns: dict[str, Any] = {"_status": np.array([s for _pk, s in status], dtype=object)}
    order: dict[str, tuple[int, int]] = {}

    def put(name: str, rank: tuple[int, int], rows: np.ndarray, values: np.ndarray, numeric: bool) -> None:
        if name not in columns:
            columns[name] = np.full(n, np.nan, dtype=float if numeric else object)
            order[name] = rank
        columns[name][rows] = values

    if plain:
        df = pd.DataFrame.from_records(
            plain, columns=["response", "question", "statement", "choice", "number", "text"]
        )
        rows = np.searchsorted(pks, df["response"].to_numpy(dtype=np.int64))
        df["row"] = rows
        for (question_id, statement_id), part in df.groupby(
            ["question", "statement"], dropna=False, sort=False
        ):
            if question_id not in questions:
                continue
            code, kind, position = questions[int(question_id)]
            at = part["row"].to_numpy()
            if not pd.isna(statement_id):
                sub = statements.get(int(statement_id), "")
                put(
                    f"{code}.{sub}",
                    (position, int(statement_id)),
                    at,
                    part["choice"].to_numpy(dtype=object),
                    False,
                )
            elif kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
                put(code, (position, 0), at, part["number"].to_numpy(dtype=float), True)
            elif kind == QuestionKind.OPEN:
                put(code, (position, 0), at, part["text"].to_numpy(dtype=object), False)
            else:
                put(code, (position, 0), at, part["choice"].to_numpy(dtype=object), False)
                other = part["text"].to_numpy(dtype=object)
                given = other != ""
                if given.any():
                    put(f"{code}#other", (position, 1), at[given], other[given], False)
    by_question: dict[int, list[tuple[int, Any, str]]] = {}
    for response_id, question_id, choices, text in ticked:
        by_question.setdefault(question_id, []).append((response_id, choices, text))
    for question_id, items in by_question.items():
        code, _kind, position = questions[question_id]
        at = np.searchsorted(pks, np.fromiter((r for r, _c, _t in items), dtype=np.int64, count=len(items)))
        lists = np.empty(len(items), dtype=object)
        for i, (_r, choices, _t) in enumerate(items):
            lists[i] = list(choices)
        put(code, (position, 0), at, lists, False)
        other = np.array([t for _r, _c, t in items], dtype=object)
        given = other != ""
        if given.any():
            put(f"{code}#other", (position, 1), at[given], other[given], False)
    names = ["_status", *sorted(order, key=lambda name: order[name])]
    return pd.DataFrame({name: columns[name] for name in names}, index=pd.RangeIndex(n))


def columns_of(questions: list[Question]) -> list[str]:
    """The frame's variable names in questionnaire order."""
    names: list[str] = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            names.extend(f"{question.code}.{s.code}" for s in question.statements.all())
        else:
            names.append(question.code)
    return names

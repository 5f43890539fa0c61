"""Reads of meter sessions: scores, item aggregates and reliability, scoped by user.

Privacy of individual ratings (DESIGN §3): an individual rating is read back only by the
rater (``own_individual_ratings``). Everyone else gets aggregates without rater identity,
and only when at least the sector's survey threshold (``threshold_for(sector, "survey")``)
of participants have rated; below it the results are withheld with a reason, because a
mean of two people tells each of them what the other answered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vitaal.core.disclosure import threshold_for
from vitaal.igm.models import (
    Answer,
    DevelopmentLine,
    GroupRating,
    IndividualRating,
    Item,
    MeterMode,
    MeterSession,
)
from vitaal.igm.reliability import LineReliability, line_reliability
from vitaal.igm.scoring import (
    DK,
    NA,
    ItemSpec,
    ItemSummary,
    LineScore,
    ScaleRange,
    group_line_scores,
    individual_line_scores,
)
from vitaal.igm.scoring import Answer as ScoreAnswer


@dataclass(frozen=True)
class SessionShape:
    """What scoring needs from a session's instrument: items, lines in order, the scale."""

    items: list[ItemSpec]
    lines: list[DevelopmentLine]
    scale: ScaleRange

    @property
    def line_codes(self) -> list[str]:
        return [line.code for line in self.lines]


@dataclass
class SessionResults:
    """Everything about a session that may be shown to someone who is not the rater."""

    session: MeterSession
    lines: list[DevelopmentLine]
    line_scores: list[LineScore]
    # individual mode: per item mean, spread and agreement, without rater identity
    item_summaries: list[ItemSummary] = field(default_factory=list)
    # group mode: per item the agreed answer and the discussion note
    group_ratings: dict[int, GroupRating] = field(default_factory=dict)
    raters: int = 0
    minimum_raters: int = 0
    withheld_reason: Promise | str | None = None


def sessions_visible_to(user: Any, action: str = "view") -> QuerySet[MeterSession]:
    return MeterSession.objects.visible_to(user, action).select_related("organisation", "unit", "instrument")


def session_shape(session: MeterSession) -> SessionShape:
    instrument = session.instrument
    items = list(Item.objects.filter(instrument=instrument).select_related("line").order_by("order"))
    lines = list(instrument.framework.lines.order_by("order"))
    low, high = instrument.scale.bounds()
    return SessionShape(
        items=[ItemSpec(key=i.pk, line=i.line.code, weight=i.weight) for i in items],
        lines=lines,
        scale=ScaleRange(low, high),
    )


def _as_answer(answer: str, level: int | None) -> ScoreAnswer:
    if answer == Answer.LEVEL and level is not None:
        return level
    return NA if answer == Answer.NOT_APPLICABLE else DK


def _individual_rows(session: MeterSession) -> dict[int, dict[int, ScoreAnswer]]:
    """participant id -> item id -> answer. Internal: never hand this to a view."""
    rows: dict[int, dict[int, ScoreAnswer]] = defaultdict(dict)
    for participant_id, item_id, answer, level in IndividualRating.objects.filter(
        session=session
    ).values_list("participant_id", "item_id", "answer", "level"):
        rows[participant_id][item_id] = _as_answer(answer, level)
    return rows


def minimum_raters(session: MeterSession) -> int:
    return threshold_for(session.organisation.sector, "survey")


def session_line_scores(session: MeterSession, shape: SessionShape | None = None) -> list[LineScore]:
    """Line scores of a session, for comparisons. An individual session below the
    rater threshold yields lines without a score, so no comparison can leak it."""
    return _results(session, shape).line_scores


def _results(session: MeterSession, shape: SessionShape | None = None) -> SessionResults:
    shape = shape or session_shape(session)
    results = SessionResults(session=session, lines=shape.lines, line_scores=[])
    if session.mode == MeterMode.GROUP:
        ratings = {r.item_id: r for r in GroupRating.objects.filter(session=session)}
        answers: dict[Hashable, ScoreAnswer] = {k: _as_answer(r.answer, r.level) for k, r in ratings.items()}
        results.group_ratings = ratings
        results.line_scores = group_line_scores(shape.items, answers, shape.scale, shape.line_codes)
        return results
    rows = _individual_rows(session)
    results.raters = len(rows)
    results.minimum_raters = minimum_raters(session)
    if results.raters < results.minimum_raters:
        results.withheld_reason = _(
            "Results are shown once at least %(min)s participants have rated (now %(n)s), so that "
            "nobody's answers can be deduced."
        ) % {"min": results.minimum_raters, "n": results.raters}
        results.line_scores = [
            LineScore(code, None, None, 0, sum(1 for i in shape.items if i.line == code), 0)
            for code in shape.line_codes
        ]
        return results
    per_item: dict[Hashable, list[ScoreAnswer]] = defaultdict(list)
    for answers_of_one in rows.values():
        for item_id, answer in answers_of_one.items():
            per_item[item_id].append(answer)
    results.line_scores, results.item_summaries = individual_line_scores(
        shape.items, per_item, shape.scale, shape.line_codes
    )
    return results


def session_results(*, session: MeterSession, user: Any) -> SessionResults:
    """Scores and aggregates of a session for a reader (no individual answers)."""
    if not user.has_perm("igm.view_metersession", session):
        raise PermissionDenied
    return _results(session)


def own_individual_ratings(*, session: MeterSession, user: Any) -> dict[int, IndividualRating]:
    """The user's own individual ratings in a session (item id -> rating); the only read
    of individual ratings there is, and it only ever returns the asker's own."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        r.item_id: r
        for r in IndividualRating.objects.filter(
            session=session, participant__user_id=user.pk
        ).select_related("item")
    }


def session_reliability(*, session: MeterSession, user: Any) -> list[LineReliability]:
    """Cronbach's alpha per line over the session's individual ratings."""
    if not user.has_perm("igm.view_metersession", session):
        raise PermissionDenied
    shape = session_shape(session)
    rows = list(_individual_rows(session).values())
    out: list[LineReliability] = []
    for code in shape.line_codes:
        keys = [i.key for i in shape.items if i.line == code]
        matrix = [[row.get(k) for k in keys] for row in rows]  # type: ignore[call-overload]
        out.append(line_reliability(code, matrix))
    return out


# Plans of approach ------------------------------------------------------------------------

PLAN_SUMMARY_FIELDS = ("pk", "cycle_id", "unit_id", "signed_off_at", "summary_nl", "summary_en")


def published_plan_summaries(user: Any) -> QuerySet[Any]:
    """What an employee sees of the plans of approach: only the summary of a signed-off
    plan of their own organisation, for the central plan and for the plans of their own unit
    and the units above it. Rows are dictionaries of ``PLAN_SUMMARY_FIELDS``, never plans."""
    from django.db.models import Q

    from vitaal.core.access import get_actor
    from vitaal.igm.models import Plan, PlanStatus

    actor = get_actor(user)
    person = actor.person
    if not actor.is_authenticated or person is None or not person.is_current:
        return Plan.objects.none().values(*PLAN_SUMMARY_FIELDS)
    units = Q(unit__isnull=True)
    if person.unit is not None:
        # The plan's unit lies on the path from the organisation down to the person's unit.
        ancestors = [p for p in person.unit.path.split("/") if p]
        paths = ["".join(f"{a}/" for a in ancestors[: i + 1]) for i in range(len(ancestors))]
        units |= Q(unit__path__in=paths)
    return (
        Plan.objects.filter(
            Q(cycle__organisation_id=person.organisation_id),
            units,
            status=PlanStatus.SIGNED_OFF,
        )
        .order_by("cycle_id", "unit__path", "pk")
        .values(*PLAN_SUMMARY_FIELDS)
    )

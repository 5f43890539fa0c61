"""What the results page of a meter session shows: line scores, the radar with its table,
the comparisons the reader may see, and reliability where N is large enough.

Every other session used in a comparison must itself be visible to the reader; a unit
manager does not learn the whole organisation's scores through a comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vitaal.igm.charts import RadarSeries, radar_svg, radar_table
from vitaal.igm.comparisons import (
    baseline_and_evaluation,
    compare_sessions,
    organisation_session_for,
    peer_comparison,
)
from vitaal.igm.models import MeterMode, MeterSession, SessionStatus
from vitaal.igm.scoring import LineDelta, LineScore
from vitaal.igm.selectors import session_line_scores, session_reliability, session_results


@dataclass
class Comparison:
    """One comparison block: a heading, what is compared with what, and the deltas."""

    key: str
    title: str
    base_label: str
    other_label: str
    rows: list[tuple[str, LineDelta]]


def session_label(session: MeterSession) -> str:
    where = session.unit.name if session.unit_id and session.unit else _("whole organisation")
    title = session.title or session.get_purpose_display()
    return f"{title} – {where} ({date_format(session.date, 'SHORT_DATE_FORMAT')})"


def _named(deltas: list[LineDelta], names: dict[str, str]) -> list[tuple[str, LineDelta]]:
    return [(names.get(d.line, d.line), d) for d in deltas]


def _visible(request: HttpRequest, session: MeterSession | None) -> bool:
    return session is not None and request.user.has_perm("igm.view_metersession", session)


def _comparable(request: HttpRequest, session: MeterSession) -> list[MeterSession]:
    return list(
        MeterSession.objects.visible_to(request.user)
        .filter(
            organisation_id=session.organisation_id,
            status=SessionStatus.CLOSED,
            instrument__framework_id=session.instrument.framework_id,
        )
        .exclude(pk=session.pk)
        .select_related("unit", "instrument")
        .order_by("-date", "-pk")
    )


def results_context(request: HttpRequest, session: MeterSession) -> dict[str, Any]:
    user = request.user
    results = session_results(session=session, user=user)
    names = {line.code: line.name for line in results.lines}
    axes = [line.name for line in results.lines]
    scores: list[LineScore] = results.line_scores
    score_rows = [(names.get(s.line, s.line), s) for s in scores]
    has_scores = any(s.score_100 is not None for s in scores)

    comparisons: list[Comparison] = []
    label = session_label(session)
    series = [RadarSeries(label, [s.score_100 for s in scores])]

    candidates = _comparable(request, session)
    chosen: MeterSession | None = None
    raw = request.GET.get("compare", "")
    if raw.isdigit():
        chosen = next((c for c in candidates if c.pk == int(raw)), None)
    if chosen is not None:
        deltas = compare_sessions(base=chosen, other=session)
        comparisons.append(
            Comparison(
                "chosen",
                _("Compared with a chosen measurement"),
                session_label(chosen),
                label,
                _named(deltas, names),
            )
        )
        series.append(RadarSeries(session_label(chosen), [d.base_100 for d in deltas]))

    if session.unit_id:
        org_session = organisation_session_for(session)
        if (
            org_session is not None
            and org_session.pk != getattr(chosen, "pk", None)
            and _visible(request, org_session)
        ):
            deltas = compare_sessions(base=org_session, other=session)
            comparisons.append(
                Comparison(
                    "organisation",
                    _("Unit compared with the whole organisation"),
                    session_label(org_session),
                    label,
                    _named(deltas, names),
                )
            )

    baseline, evaluation = baseline_and_evaluation(
        organisation=session.organisation, framework=session.instrument.framework, unit=session.unit
    )
    if (
        baseline is not None
        and evaluation is not None
        and session.pk in (baseline.pk, evaluation.pk)
        and _visible(request, baseline)
        and _visible(request, evaluation)
    ):
        deltas = compare_sessions(base=baseline, other=evaluation)
        comparisons.append(
            Comparison(
                "evaluation",
                _("Evaluation compared with the baseline"),
                session_label(baseline),
                session_label(evaluation),
                _named(deltas, names),
            )
        )
        other = baseline if session.pk == evaluation.pk else evaluation
        if chosen is None or chosen.pk != other.pk:
            series.append(
                RadarSeries(session_label(other), [s.score_100 for s in session_line_scores(other)])
            )

    peers = peer_comparison(session=session) if session.is_closed and has_scores else None
    peer_rows = [(names.get(p.line, p.line), p) for p in peers.lines] if peers else []
    peers_shown = any(p.peer_mean is not None for _n, p in peer_rows)

    reliability: list[tuple[str, Any, str | None]] = []
    if session.mode == MeterMode.INDIVIDUAL and results.withheld_reason is None:
        dutch = (get_language() or "nl").startswith("nl")
        reliability = [
            (names.get(r.line, r.line), r, r.verdict_nl if dutch else r.verdict_en)
            for r in session_reliability(session=session, user=user)
        ]

    svg = table = None
    if has_scores and len(axes) >= 3:
        title = _("Line scores (0-100): %(session)s") % {"session": label}
        svg = radar_svg(axes, series, title=title)
        table = radar_table(axes, series)
    return {
        "session": session,
        "results": results,
        "score_rows": score_rows,
        "radar_svg": svg,
        "radar_table": table,
        "series": series,
        "comparisons": comparisons,
        "candidates": candidates,
        "chosen": chosen,
        "peers": peers,
        "peer_rows": peer_rows,
        "peers_shown": peers_shown,
        "reliability": reliability,
        "any_alpha": any(r.alpha is not None for _n, r, _v in reliability),
    }

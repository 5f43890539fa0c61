"""Comparing measurements: unit against unit, unit against the whole organisation,
evaluation against baseline, and an organisation against its peers.

Two sessions are compared line by line (matched by line code), which works across the
long and short instrument of one framework. Peer comparisons use the 0-100 scores, so
peers using a different instrument of the same framework still count, and return a value
only when enough organisations contribute (the sector's survey threshold): with fewer, an
organisation could work out a single peer's score.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vitaal.core.disclosure import threshold_for
from vitaal.core.models import Organisation, Unit
from vitaal.igm.models import Framework, MeterSession, SessionPurpose, SessionStatus
from vitaal.igm.scoring import LineDelta, LineScore, compare_line_scores
from vitaal.igm.selectors import session_line_scores


@dataclass(frozen=True)
class PeerLine:
    """One line of a peer comparison: the organisation's own score and the peers' mean
    (both 0-100); ``peer_mean`` is None with a ``reason`` when too few peers contribute."""

    line: str
    own: float | None
    peer_mean: float | None
    contributors: int
    reason: Promise | str | None = None


@dataclass(frozen=True)
class PeerComparison:
    minimum: int
    peers: int
    lines: list[PeerLine]


def _same_framework(a: MeterSession, b: MeterSession) -> None:
    if a.instrument.framework_id != b.instrument.framework_id:
        raise ValidationError(_("Only measurements with the same framework can be compared."))


def compare_sessions(*, base: MeterSession, other: MeterSession) -> list[LineDelta]:
    """Delta per line of ``other`` against ``base`` (unit vs unit, evaluation vs baseline)."""
    _same_framework(base, other)
    return compare_line_scores(session_line_scores(base), session_line_scores(other))


def organisation_session_for(session: MeterSession) -> MeterSession | None:
    """The whole-organisation measurement to set a unit's measurement against: the latest
    closed one of the same framework on or before the unit's date, else the earliest after."""
    qs = MeterSession.objects.filter(
        organisation_id=session.organisation_id,
        unit__isnull=True,
        status=SessionStatus.CLOSED,
        instrument__framework_id=session.instrument.framework_id,
    )
    before = qs.filter(date__lte=session.date).order_by("-date", "-pk").first()
    return before or qs.filter(date__gt=session.date).order_by("date", "pk").first()


def compare_unit_with_organisation(*, session: MeterSession) -> list[LineDelta] | None:
    """The unit's scores (other) against the whole organisation's (base); None when the
    organisation has no closed measurement of the same framework."""
    org_session = organisation_session_for(session)
    if org_session is None:
        return None
    return compare_sessions(base=org_session, other=session)


def baseline_and_evaluation(
    *, organisation: Organisation, framework: Framework, unit: Unit | None = None
) -> tuple[MeterSession | None, MeterSession | None]:
    """The latest closed baseline of the organisation (or unit) and the latest closed
    evaluation after it."""
    qs = MeterSession.objects.filter(
        organisation=organisation, unit=unit, status=SessionStatus.CLOSED, instrument__framework=framework
    )
    baseline = qs.filter(purpose=SessionPurpose.BASELINE).order_by("-date", "-pk").first()
    if baseline is None:
        return None, None
    evaluation = (
        qs.filter(purpose=SessionPurpose.EVALUATION, date__gte=baseline.date)
        .exclude(pk=baseline.pk)
        .order_by("-date", "-pk")
        .first()
    )
    return baseline, evaluation


def peer_line_means(
    own: Sequence[LineScore], peers: Sequence[Sequence[LineScore]], minimum: int
) -> list[PeerLine]:
    """Per line, the mean 0-100 score over the peers that have a score on it; None (with a
    reason) when fewer than ``minimum`` peers contribute."""
    out: list[PeerLine] = []
    for score in own:
        values = [
            s.score_100 for peer in peers for s in peer if s.line == score.line and s.score_100 is not None
        ]
        if len(values) < minimum:
            out.append(
                PeerLine(
                    score.line,
                    score.score_100,
                    None,
                    len(values),
                    _("Too few comparable organisations (%(n)s; at least %(min)s needed).")
                    % {"n": len(values), "min": minimum},
                )
            )
        else:
            out.append(PeerLine(score.line, score.score_100, statistics.fmean(values), len(values)))
    return out


def peer_comparison(*, session: MeterSession) -> PeerComparison:
    """The session's line scores against the latest closed whole-organisation measurement
    of every other active organisation in the same sector and size class."""
    organisation = session.organisation
    minimum = threshold_for(organisation.sector, "survey")
    peer_orgs = Organisation.objects.filter(
        sector_id=organisation.sector_id, size_class=organisation.size_class, is_active=True
    ).exclude(pk=organisation.pk)
    candidates = (
        MeterSession.objects.filter(
            organisation__in=peer_orgs,
            unit__isnull=True,
            status=SessionStatus.CLOSED,
            instrument__framework_id=session.instrument.framework_id,
        )
        .select_related("organisation__sector", "instrument__scale", "instrument__framework")
        .order_by("organisation_id", "-date", "-pk")
    )
    latest: dict[int, MeterSession] = {}
    for candidate in candidates:
        latest.setdefault(candidate.organisation_id, candidate)
    peers = [session_line_scores(s) for s in latest.values()]
    return PeerComparison(minimum, len(peers), peer_line_means(session_line_scores(session), peers, minimum))

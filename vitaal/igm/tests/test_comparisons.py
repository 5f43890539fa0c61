"""Comparisons: unit against unit or organisation, evaluation against baseline, and peers
only above the sector's survey threshold."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from vitaal.core.models import Organisation, SizeClass
from vitaal.igm.comparisons import (
    baseline_and_evaluation,
    compare_sessions,
    compare_unit_with_organisation,
    peer_comparison,
    peer_line_means,
)
from vitaal.igm.models import SessionPurpose
from vitaal.igm.scoring import LineScore
from vitaal.igm.services import group_rating_set, meter_session_close

from .conftest import items_by_code, new_session


def rated(cast, instrument, levels: dict[str, int], **kw):
    session = new_session(cast, instrument, **kw)
    items = items_by_code(instrument)
    for code, level in levels.items():
        group_rating_set(session=session, item=items[code], value=level)
    return meter_session_close(session=session)


def test_baseline_against_evaluation(cast, small):
    org = cast.a.organisation
    base = rated(cast, small, {"a1": 2, "b1": 1}, date=date(2024, 3, 1))
    evaluation = rated(
        cast, small, {"a1": 4, "b1": 1}, date=date(2025, 3, 1), purpose=SessionPurpose.EVALUATION
    )
    found = baseline_and_evaluation(organisation=org, framework=small.framework)
    assert found == (base, evaluation)
    a, b, c = compare_sessions(base=base, other=evaluation)
    assert a.delta == pytest.approx(2.0) and a.delta_100 == pytest.approx(200 / 3)
    assert b.delta == 0
    assert c.delta is None


def test_unit_against_unit_and_against_the_organisation(cast, small):
    whole = rated(cast, small, {"a1": 3}, date=date(2025, 1, 10))
    team1 = rated(cast, small, {"a1": 1}, unit=cast.a.team1, date=date(2025, 2, 1))
    team2 = rated(cast, small, {"a1": 4}, unit=cast.a.team2, date=date(2025, 2, 1))
    assert compare_sessions(base=team1, other=team2)[0].delta == pytest.approx(3.0)
    deltas = compare_unit_with_organisation(session=team1)
    assert deltas is not None
    assert deltas[0].base == 3.0 and deltas[0].other == 1.0 and deltas[0].delta == pytest.approx(-2.0)
    assert whole.unit is None


def test_different_frameworks_are_not_compared(cast, small, igm_default):
    a = rated(cast, small, {"a1": 3})
    b = rated(cast, igm_default, {"st1": 3})
    with pytest.raises(ValidationError):
        compare_sessions(base=a, other=b)


def test_peer_mean_needs_the_threshold():
    own = [LineScore("a", 3.0, 50.0, 1, 1, 1)]
    peers = [[LineScore("a", 2.0, 40.0, 1, 1, 1)], [LineScore("a", None, None, 0, 1, 0)]]
    (line,) = peer_line_means(own, peers, minimum=2)
    assert line.peer_mean is None and line.contributors == 1 and line.reason
    (line,) = peer_line_means(own, [*peers, [LineScore("a", 3.0, 60.0, 1, 1, 1)]], minimum=2)
    assert line.peer_mean == pytest.approx(50.0) and line.reason is None


def test_peer_comparison_refuses_below_the_survey_threshold(cast, small):
    own = rated(cast, small, {"a1": 3})
    # organisation B (same size class) has a closed whole-organisation measurement
    rated(cast, small, {"a1": 2}, organisation=cast.b.organisation)
    result = peer_comparison(session=own)
    assert result.minimum == 5 and result.peers == 1
    assert all(line.peer_mean is None and line.reason for line in result.lines)


def test_peer_comparison_with_enough_peers(cast, small):
    sector = cast.sector
    sector.min_cell_survey = 2
    sector.save()
    own = rated(cast, small, {"a1": 3})
    rated(cast, small, {"a1": 2}, organisation=cast.b.organisation)
    c = Organisation.objects.create(sector=sector, name="C", slug="c", size_class=SizeClass.MEDIUM)
    rated(cast, small, {"a1": 4}, organisation=c)
    # a different size class does not count
    d = Organisation.objects.create(sector=sector, name="D", slug="d", size_class=SizeClass.LARGE)
    rated(cast, small, {"a1": 1}, organisation=d)
    result = peer_comparison(session=own)
    assert result.minimum == 2 and result.peers == 2
    line_a = result.lines[0]
    # peers: 2 -> 33.3 and 4 -> 100 on 0-100 -> mean 66.7; own 3 -> 66.7
    assert line_a.peer_mean == pytest.approx(200 / 3)
    assert line_a.own == pytest.approx(200 / 3)
    assert result.lines[1].peer_mean is None  # line b: no peer has a score

"""Individual ratings are read back by the rater only; others get aggregates, and only
above the sector's survey threshold."""

from __future__ import annotations

import pytest

from vitaal.igm.models import MeterMode
from vitaal.igm.selectors import own_individual_ratings, session_reliability, session_results
from vitaal.igm.services import individual_rating_set, session_participant_add

from .conftest import items_by_code, make_employees, new_session

# participant -> levels for a1, a2, a3
LEVELS = [(4, 3, 1), (3, 3, 2), (2, 2, 2), (4, 4, 3), (1, 2, 1)]


def fill(cast, small, raters):
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    items = items_by_code(small)
    for user, levels in zip(raters, LEVELS, strict=False):
        session_participant_add(session=session, user=user)
        for code, level in zip(("a1", "a2", "a3"), levels, strict=True):
            individual_rating_set(session=session, item=items[code], rater=user, value=level)
    return session


def test_the_rater_reads_back_only_their_own_ratings(cast, small):
    raters = make_employees(cast.a, 5)
    session = fill(cast, small, raters)
    mine = own_individual_ratings(session=session, user=raters[0])
    assert sorted(r.level for r in mine.values()) == [1, 3, 4]
    assert {r.participant.user_id for r in mine.values()} == {raters[0].pk}
    assert own_individual_ratings(session=session, user=cast.user("coordinator")) == {}


def test_readers_get_aggregates_without_individual_values(cast, small):
    raters = make_employees(cast.a, 5)
    session = fill(cast, small, raters)
    results = session_results(session=session, user=cast.user("works_council"))
    assert results.withheld_reason is None and results.raters == 5
    a1 = results.item_summaries[0]
    # a1 levels 4, 3, 2, 4, 1: mean 14/5 = 2.8, median 3, within one level: 4,3,2,4 -> 4/5
    assert a1.mean == pytest.approx(2.8)
    assert (a1.minimum, a1.maximum, a1.n) == (1, 4, 5)
    assert a1.agreement == pytest.approx(0.8)
    # nothing in the results links a value to a person
    public = repr(results.item_summaries) + repr(results.line_scores)
    for user in raters:
        assert user.email not in public
    assert not results.group_ratings
    assert not hasattr(results, "individual_ratings")
    # line a: item means a1 2.8 (w3), a2 2.8 (w2), a3 1.8 (w1) -> (8.4 + 5.6 + 1.8) / 6 = 15.8/6
    assert results.line_scores[0].score == pytest.approx(15.8 / 6)


def test_below_the_threshold_results_are_withheld(cast, small):
    raters = make_employees(cast.a, 4)
    session = fill(cast, small, raters)
    results = session_results(session=session, user=cast.user("coordinator"))
    assert results.raters == 4 and results.minimum_raters == 5
    assert results.withheld_reason
    assert results.item_summaries == []
    assert all(score.score is None for score in results.line_scores)


def test_reliability_refuses_below_ten_participants(cast, small):
    raters = make_employees(cast.a, 5)
    session = fill(cast, small, raters)
    lines = session_reliability(session=session, user=cast.user("coordinator"))
    assert [line.alpha for line in lines] == [None, None, None]
    assert lines[0].n == 5 and lines[0].reason


def test_reliability_with_enough_participants(cast, small):
    import numpy as np

    raters = make_employees(cast.a, 10)
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    items = items_by_code(small)
    matrix = [LEVELS[i % 5] for i in range(10)]
    for user, levels in zip(raters, matrix, strict=True):
        session_participant_add(session=session, user=user)
        for code, level in zip(("a1", "a2", "a3"), levels, strict=True):
            individual_rating_set(session=session, item=items[code], rater=user, value=level)
    line_a = session_reliability(session=session, user=cast.user("coordinator"))[0]
    m = np.asarray(matrix, dtype=float)
    expected = 3 / 2 * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))
    assert line_a.n == 10 and line_a.items == 3
    assert line_a.alpha == pytest.approx(expected)
    assert line_a.verdict_nl in {"onvoldoende", "matig", "voldoende", "goed"}


def test_other_organisations_get_nothing(cast, small):
    from django.core.exceptions import PermissionDenied

    raters = make_employees(cast.a, 5)
    session = fill(cast, small, raters)
    with pytest.raises(PermissionDenied):
        session_results(session=session, user=cast.user("coordinator_b"))

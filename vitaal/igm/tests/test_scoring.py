"""Line scores, item spread and comparisons as pure functions, against hand-computed numbers."""

from __future__ import annotations

import pytest

from vitaal.igm.scoring import (
    DK,
    NA,
    ItemSpec,
    LineScore,
    ScaleRange,
    compare_line_scores,
    group_line_scores,
    individual_line_scores,
    summarise_item,
)

SCALE = ScaleRange(1, 4)
ITEMS = [
    ItemSpec("a1", "a", 3),
    ItemSpec("a2", "a", 2),
    ItemSpec("a3", "a", 1),
    ItemSpec("b1", "b", 1),
    ItemSpec("b2", "b", 1),
    ItemSpec("c1", "c", 2),
]


def test_weighted_mean_leaves_not_applicable_and_dont_know_out_of_both_sides():
    # line a: a1 = 4 (w3), a2 = 2 (w2), a3 = N/A (w1) -> (3*4 + 2*2) / (3 + 2) = 16/5 = 3.2
    #         on 0-100: (3.2 - 1) / (4 - 1) * 100 = 73.33...
    # line b: b1 = don't know, b2 = 1 -> 1.0, i.e. 0 on 0-100
    # line c: c1 = N/A -> no score at all
    scores = group_line_scores(ITEMS, {"a1": 4, "a2": 2, "a3": NA, "b1": DK, "b2": 1, "c1": NA}, SCALE)
    a, b, c = scores
    assert (a.line, a.answered, a.items, a.weight_answered) == ("a", 2, 3, 5)
    assert a.score == pytest.approx(3.2)
    assert a.score_100 == pytest.approx(220 / 3)
    assert (b.score, b.score_100, b.answered, b.items) == (1.0, 0.0, 1, 2)
    assert (c.score, c.score_100, c.answered, c.items) == (None, None, 0, 1)


def test_weights_change_the_score():
    # unweighted the mean of 4 and 1 is 2.5; with weights 3 and 2 it is (12 + 2) / 5 = 2.8
    scores = group_line_scores(ITEMS[:2], {"a1": 4, "a2": 1}, SCALE)
    assert scores[0].score == pytest.approx(2.8)


def test_unanswered_items_count_as_no_answer():
    scores = group_line_scores(ITEMS, {"a1": 2}, SCALE, line_order=["a", "b"])
    assert [s.line for s in scores] == ["a", "b"]
    assert scores[0].score == 2.0 and scores[0].answered == 1
    assert scores[1].score is None


def test_a_level_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        group_line_scores(ITEMS, {"a1": 5}, SCALE)


def test_item_summary_spread_and_agreement():
    # levels 1, 3, 3, 4 (plus one N/A and one don't know):
    # mean 11/4 = 2.75; median 3; within one level of 3: 3, 3, 4 -> agreement 3/4
    # sample SD: deviations -1.75, .25, .25, 1.25 -> squares 3.0625+.0625+.0625+1.5625 = 4.75
    #            / 3 = 1.5833 -> sqrt = 1.2583
    s = summarise_item("x", [1, 3, 3, 4, NA, DK], SCALE)
    assert (s.n, s.n_not_applicable, s.n_dont_know) == (4, 1, 1)
    assert s.mean == pytest.approx(2.75)
    assert s.sd == pytest.approx((4.75 / 3) ** 0.5)
    assert (s.minimum, s.maximum, s.median) == (1, 4, 3.0)
    assert s.agreement == pytest.approx(0.75)


def test_item_summary_without_levels():
    s = summarise_item("x", [NA, DK], SCALE)
    assert s.mean is None and s.sd is None and s.agreement is None and s.n == 0


def test_individual_mode_first_averages_items_then_weights_them():
    # a1: 4, 2 -> 3.0 ; a2: 1, 1 -> 1.0 ; a3: N/A, N/A -> none
    # line a = (3 * 3.0 + 2 * 1.0) / 5 = 11/5 = 2.2
    answers = {"a1": [4, 2], "a2": [1, 1], "a3": [NA, NA]}
    scores, summaries = individual_line_scores(ITEMS[:3], answers, SCALE)
    assert scores[0].score == pytest.approx(2.2)
    assert scores[0].answered == 2
    assert [s.mean for s in summaries] == [3.0, 1.0, None]


def test_compare_gives_delta_per_line():
    base = [LineScore("a", 2.0, 100 / 3, 2, 2, 2), LineScore("b", None, None, 0, 1, 0)]
    other = [LineScore("a", 3.5, 250 / 3, 2, 2, 2), LineScore("b", 2.0, 100 / 3, 1, 1, 1)]
    a, b = compare_line_scores(base, other)
    assert a.delta == pytest.approx(1.5)
    assert a.delta_100 == pytest.approx(50.0)
    assert b.delta is None and b.other == 2.0

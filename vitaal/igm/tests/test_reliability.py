"""Cronbach's alpha per line, against a hand-computed example and numpy."""

from __future__ import annotations

import numpy as np
import pytest

from vitaal.igm.reliability import cronbach_alpha, line_reliability, verdict_for
from vitaal.igm.scoring import DK, NA

# 4 participants x 3 items
ROWS = [
    [1, 2, 2],
    [2, 2, 3],
    [3, 3, 3],
    [4, 3, 4],
]
# Hand computation (sample variances, n - 1 = 3):
#   item 1: 1,2,3,4  mean 2.5  squares 2.25+.25+.25+2.25 = 5   -> var 5/3
#   item 2: 2,2,3,3  mean 2.5  squares 4 x .25 = 1              -> var 1/3
#   item 3: 2,3,3,4  mean 3    squares 1+0+0+1 = 2              -> var 2/3
#   sum of item variances = 8/3
#   totals: 5, 7, 9, 11  mean 8  squares 9+1+1+9 = 20           -> var 20/3
#   alpha = 3/2 * (1 - (8/3) / (20/3)) = 1.5 * 0.6 = 0.9


def numpy_alpha(rows: list[list[float]]) -> float:
    m = np.asarray(rows, dtype=float)
    k = m.shape[1]
    return float(k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1)))


def test_alpha_matches_the_hand_computation_and_numpy():
    assert cronbach_alpha(ROWS) == pytest.approx(0.9)
    assert cronbach_alpha(ROWS) == pytest.approx(numpy_alpha(ROWS))


def test_alpha_matches_numpy_on_random_data():
    rng = np.random.default_rng(7)
    base = rng.integers(1, 5, size=(30, 1))
    rows = np.clip(base + rng.integers(-1, 2, size=(30, 5)), 1, 4).tolist()
    assert cronbach_alpha(rows) == pytest.approx(numpy_alpha(rows))


def test_listwise_deletion_and_verdict():
    # 12 participants; 2 have N/A or don't know on one item and are left out -> N = 10
    complete = [row for row in ROWS for _ in range(3)][:10]
    participants = [*complete, [1, NA, 2], [DK, 3, 3]]
    result = line_reliability("a", participants)
    assert (result.n, result.items) == (10, 3)
    expected = numpy_alpha(complete)
    assert result.alpha == pytest.approx(expected)
    assert result.verdict == verdict_for(expected)[0]
    assert result.reason is None


def test_too_few_participants_gives_no_alpha_but_a_reason():
    result = line_reliability("a", ROWS)
    assert result.alpha is None and result.n == 4
    assert "at least 10" in str(result.reason)


def test_one_item_gives_no_alpha():
    result = line_reliability("a", [[3]] * 12)
    assert result.alpha is None and result.items == 1 and result.reason


@pytest.mark.parametrize(
    ("alpha", "code", "nl"),
    [
        (0.59, "insufficient", "onvoldoende"),
        (0.6, "moderate", "matig"),
        (0.75, "sufficient", "voldoende"),
        (0.8, "good", "goed"),
        (-0.2, "insufficient", "onvoldoende"),
    ],
)
def test_verdict_bands(alpha, code, nl):
    assert verdict_for(alpha)[:2] == (code, nl)

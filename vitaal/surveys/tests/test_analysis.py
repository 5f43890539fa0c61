"""The analysis library against small datasets whose answers were worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vitaal.surveys import analysis


def test_frequencies_leave_missing_answers_out_of_n() -> None:
    answers = pd.Series(["a", "a", "b", None, "c"])
    result = analysis.frequencies(answers, ["a", "b", "c"])
    assert result.counts == {"a": 2, "b": 1, "c": 1}
    assert result.n == 4
    assert result.percent() == {"a": 50.0, "b": 25.0, "c": 25.0}


def test_weighted_frequencies_use_the_weights_of_those_who_answered() -> None:
    answers = pd.Series(["a", "a", "b", None, "c"])
    weights = pd.Series([1.0, 2.0, 1.0, 5.0, 2.0])
    result = analysis.frequencies(answers, ["a", "b", "c"], weights)
    assert result.weighted == {"a": 3.0, "b": 1.0, "c": 2.0}
    pct = result.percent(weighted=True)
    assert pct["a"] == pytest.approx(50.0)
    assert pct["c"] == pytest.approx(100 / 3)
    assert result.n == 4  # N stays the unweighted number of respondents


def test_answers_outside_the_categories_are_an_error() -> None:
    with pytest.raises(ValueError, match="not among the categories"):
        analysis.frequencies(pd.Series(["a", "z"]), ["a", "b"])


def test_multiple_response_as_percent_of_respondents_and_of_responses() -> None:
    answers = pd.Series([["a", "b"], ["a"], [], None, ["b", "c"]])
    result = analysis.multiple_response(answers, ["a", "b", "c"])
    assert result.respondents == 3  # the empty list and None did not answer
    assert result.responses == 5
    assert result.counts == {"a": 2, "b": 2, "c": 1}
    of_respondents = result.percent_of_respondents()
    assert of_respondents["a"] == pytest.approx(200 / 3)
    assert of_respondents["c"] == pytest.approx(100 / 3)
    assert sum(of_respondents.values()) == pytest.approx(500 / 3)  # more than 100%
    assert result.percent_of_responses() == {"a": 40.0, "b": 40.0, "c": 20.0}


def test_grade_mean_with_t_confidence_interval() -> None:
    # mean 8, sd sqrt(2.5), se sqrt(0.5), t(4; 0.975) = 2.776445 -> 8 -/+ 1.963243
    result = analysis.mean_ci(pd.Series([6, 7, 8, 9, 10, None]))
    assert result.n == 5
    assert result.mean == pytest.approx(8.0)
    assert result.sd == pytest.approx(math.sqrt(2.5))
    assert result.low == pytest.approx(6.036757, abs=1e-6)
    assert result.high == pytest.approx(9.963243, abs=1e-6)


def test_weighted_mean_with_equal_weights_equals_the_unweighted_one() -> None:
    values = pd.Series([6.0, 7.0, 8.0, 9.0, 10.0])
    plain = analysis.mean_ci(values)
    weighted = analysis.mean_ci(values, pd.Series([2.0] * 5))
    assert weighted.mean == pytest.approx(plain.mean)
    assert weighted.low == pytest.approx(plain.low)


def test_a_mean_needs_two_answers() -> None:
    with pytest.raises(ValueError):
        analysis.mean_ci(pd.Series([7.0, None]))


def test_chi_square_on_a_2x2_table() -> None:
    # Every expected count is 25; chi2 = 4 * 25/25 = 4.0 with 1 df, p = 0.0455.
    result = analysis.association_test([[20, 30], [30, 20]])
    assert result.test == "chi-square"
    assert result.statistic == pytest.approx(4.0)
    assert result.dof == 1
    assert result.p_value == pytest.approx(0.0455003, abs=1e-6)
    assert result.significant
    assert "statistically significant" in result.reading
    assert "p = 0.046" in result.reading


def test_chi_square_on_a_3x2_table() -> None:
    # Expected 15 per cell; chi2 = 4 * 25/15 = 6.667 with 2 df, p = exp(-6.667/2).
    result = analysis.association_test([[10, 20], [20, 10], [15, 15]])
    assert result.statistic == pytest.approx(20 / 3)
    assert result.dof == 2
    assert result.p_value == pytest.approx(math.exp(-10 / 3))


def test_fisher_exact_for_a_small_2x2_table() -> None:
    # Margins 8/5 and 7/6 of 13: P(a) = C(8,a)C(5,7-a)/1716; the tables at most as likely
    # as the observed one (a = 6, 7, 2) give (140 + 8 + 28) / 1716.
    result = analysis.association_test([[6, 2], [1, 4]])
    assert result.test == "fisher"
    assert result.p_value == pytest.approx(176 / 1716)
    assert not result.significant
    assert "chance" in result.reading


def test_empty_rows_are_dropped_and_too_small_tables_refused() -> None:
    with pytest.raises(ValueError):
        analysis.association_test([[3, 4], [0, 0]])


def test_goodness_of_fit_against_population_shares() -> None:
    # 60/40 against 50/50 of 100: chi2 = (10^2 + 10^2) / 50 = 4.
    result = analysis.goodness_of_fit({"f": 60, "m": 40}, {"f": 0.5, "m": 0.5})
    assert result.statistic == pytest.approx(4.0)
    assert result.dof == 1


def test_raking_one_margin_has_the_closed_form_answer() -> None:
    # 3 women and 1 man raked to 50/50: women 0.5/0.75 = 2/3, the man 0.5/0.25 = 2.
    sample = pd.DataFrame({"gender": ["f", "f", "f", "m"]})
    result = analysis.rake(sample, {"gender": {"f": 50, "m": 50}}, trim=None)
    assert result.converged
    assert list(result.weights.round(6)) == [0.666667, 0.666667, 0.666667, 2.0]
    # Kish: n * sum(w^2) / (sum w)^2 = 4 * (4/3 + 4) / 16 = 4/3; effective N = 16 / (16/3) = 3.
    assert result.design_effect == pytest.approx(4 / 3)
    assert result.effective_n == pytest.approx(3.0)


def test_raking_two_margins_meets_both() -> None:
    sample = pd.DataFrame(
        {
            "gender": ["f", "f", "f", "f", "m", "m", "f", "m"],
            "group": ["op", "obp", "obp", "obp", "op", "obp", "obp", "op"],
        }
    )
    margins = {"gender": {"f": 0.5, "m": 0.5}, "group": {"op": 0.6, "obp": 0.4}}
    result = analysis.rake(sample, margins, trim=None)
    w = result.weights
    assert result.converged
    assert w.mean() == pytest.approx(1.0)
    assert w[sample.gender == "f"].sum() / w.sum() == pytest.approx(0.5)
    assert w[sample.group == "op"].sum() / w.sum() == pytest.approx(0.6)


def test_trimming_bounds_the_weights() -> None:
    sample = pd.DataFrame({"gender": ["f"] * 9 + ["m"]})
    result = analysis.rake(sample, {"gender": {"f": 0.5, "m": 0.5}}, trim=(0.5, 3.0))
    assert result.weights.max() <= 3.0 + 1e-9
    assert result.weights.min() >= 0.5 - 1e-9
    assert result.weights.mean() == pytest.approx(1.0, abs=1e-6)
    assert result.trimmed >= 1
    untrimmed = analysis.rake(sample, {"gender": {"f": 0.5, "m": 0.5}}, trim=None)
    assert untrimmed.weights.max() == pytest.approx(5.0)  # 0.5 / 0.1
    assert result.design_effect < untrimmed.design_effect


@pytest.mark.parametrize(
    ("sample", "margins", "message"),
    [
        (pd.DataFrame({"g": ["f", None]}), {"g": {"f": 1}}, "missing values"),
        (pd.DataFrame({"g": ["f", "x"]}), {"g": {"f": 1}}, "without a population share"),
        (pd.DataFrame({"g": ["f", "f"]}), {"g": {"f": 1, "m": 1}}, "nobody in the sample"),
        (pd.DataFrame({"g": ["f"]}), {"h": {"f": 1}}, "no variable"),
    ],
)
def test_raking_refuses_margins_it_cannot_meet(sample, margins, message) -> None:
    with pytest.raises(ValueError, match=message):
        analysis.rake(sample, margins)


def test_design_effect_of_equal_weights_is_one() -> None:
    assert analysis.design_effect(np.ones(7)) == pytest.approx(1.0)
    assert analysis.effective_n([1, 1, 1]) == pytest.approx(3.0)


def test_cohen_kappa_by_hand() -> None:
    # 8 of 10 agree (po = 0.8); both coders say "a" 5 times (pe = 0.5); kappa = 0.3/0.5.
    first = ["a", "a", "b", "b", "a", "b", "a", "a", "b", "b"]
    second = ["a", "b", "b", "b", "a", "a", "a", "a", "b", "b"]
    assert analysis.cohen_kappa(first, second) == pytest.approx(0.6)
    assert analysis.cohen_kappa(first, first) == pytest.approx(1.0)


def test_kappa_needs_equal_lists() -> None:
    with pytest.raises(ValueError):
        analysis.cohen_kappa(["a"], ["a", "b"])

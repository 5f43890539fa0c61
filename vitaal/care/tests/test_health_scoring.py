"""WHO-5 and work-ability scoring against the published rules."""

from __future__ import annotations

import pytest
from django.utils import translation

from vitaal.care.health import (
    WHO5_ITEMS,
    Advice,
    InvalidAnswers,
    WellbeingBand,
    WorkAbilityBand,
    health_check_evaluate,
    who5_score,
    work_ability_band,
)
from vitaal.care.models import Theme


def test_raw_score_times_four_is_the_percentage():
    score = who5_score([5, 4, 3, 2, 1])
    assert score.raw == 15
    assert score.percentage == 60


@pytest.mark.parametrize(
    ("answers", "raw", "poor"),
    [
        ([3, 3, 2, 2, 2], 12, True),  # 12 is the last raw score that counts as poor
        ([3, 3, 3, 2, 2], 13, False),
    ],
)
def test_poor_wellbeing_boundary_is_raw_12(answers, raw, poor):
    score = who5_score(answers)
    assert score.raw == raw
    assert score.poor_wellbeing is poor
    assert (score.percentage <= 50) is poor


@pytest.mark.parametrize(
    ("answers", "percentage", "depression"),
    [
        ([2, 2, 2, 1, 0], 28, True),
        ([2, 2, 2, 2, 0], 32, False),
    ],
)
def test_depression_screen_boundary_is_28_percent(answers, percentage, depression):
    score = who5_score(answers)
    assert score.percentage == percentage
    assert score.depression_screen is depression
    if depression:
        assert score.band == WellbeingBand.DEPRESSION_RISK
    else:
        assert score.band == WellbeingBand.POOR


@pytest.mark.parametrize("low", [0, 1])
def test_a_single_item_of_0_or_1_is_flagged_even_with_a_good_total(low):
    score = who5_score([5, 5, low, 5, 5])
    assert not score.poor_wellbeing
    assert score.low_items == (3,)
    assert score.flagged


def test_an_item_of_2_is_not_flagged():
    score = who5_score([5, 5, 2, 5, 5])
    assert score.low_items == ()
    assert not score.flagged
    assert score.band == WellbeingBand.GOOD


@pytest.mark.parametrize(
    "answers", [[1, 2, 3, 4], [1, 2, 3, 4, 5, 5], [6, 0, 0, 0, 0], [-1, 0, 0, 0, 0], [True, 1, 1, 1, 1]]
)
def test_answers_outside_the_instrument_are_refused(answers):
    with pytest.raises(InvalidAnswers):
        who5_score(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, WorkAbilityBand.POOR),
        (5, WorkAbilityBand.POOR),
        (6, WorkAbilityBand.MODERATE),
        (7, WorkAbilityBand.MODERATE),
        (8, WorkAbilityBand.GOOD),
        (9, WorkAbilityBand.GOOD),
        (10, WorkAbilityBand.EXCELLENT),
    ],
)
def test_work_ability_bands(score, band):
    assert work_ability_band(score) == band


@pytest.mark.parametrize("score", [-1, 11, 7.5])
def test_work_ability_outside_0_to_10_is_refused(score):
    with pytest.raises(InvalidAnswers):
        work_ability_band(score)


def test_low_wellbeing_suggests_mental_support_and_referral_when_very_low():
    result = health_check_evaluate(who5_answers=[1, 1, 1, 1, 1], work_ability=8)
    assert result.advice[0] == Advice.WELLBEING_DEPRESSION_RISK
    assert result.themes == (Theme.MENTAL,)
    assert result.referral_advised
    assert result.see_company_doctor


def test_poor_work_ability_suggests_physical_and_mental_and_the_company_doctor():
    result = health_check_evaluate(who5_answers=[4, 4, 4, 4, 4], work_ability=4)
    assert Advice.WORK_ABILITY_POOR in result.advice
    assert result.themes == (Theme.PHYSICAL, Theme.MENTAL)
    assert result.see_company_doctor
    assert not result.referral_advised


def test_good_results_suggest_prevention_and_always_say_results_are_private():
    result = health_check_evaluate(who5_answers=[4, 4, 4, 4, 4], work_ability=10)
    assert result.advice == (Advice.WELLBEING_GOOD, Advice.WORK_ABILITY_EXCELLENT, Advice.PRIVATE)
    assert result.themes == (Theme.LIFESTYLE,)
    assert not result.see_company_doctor


def test_messages_follow_the_active_language_and_items_are_bilingual():
    result = health_check_evaluate(who5_answers=[3, 3, 3, 3, 3], work_ability=9)
    with translation.override("en"):
        assert "Only you can see" in result.messages[-1]
        assert WHO5_ITEMS[0].text == "I have felt cheerful and in good spirits"
    with translation.override("nl"):
        assert WHO5_ITEMS[0].text.startswith("voelde ik me")

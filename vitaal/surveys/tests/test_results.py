"""Results through disclosure control: small counts and everything resting on them are
hidden; breakdowns are protected as two-way tables; weighting changes percentages, not
what is hidden."""

from __future__ import annotations

import pandas as pd
import pytest

from vitaal.surveys import selectors, services
from vitaal.surveys.models import ResponseStatus
from vitaal.surveys.results import breakdown, question_results

from .support import fill

pytestmark = pytest.mark.django_db


def _q(wave, code):
    return wave.questionnaire.questions.prefetch_related("options", "statements").get(code=code)


def test_the_frame_has_one_row_per_response_and_one_column_per_variable(wave) -> None:
    fill(
        wave,
        [{"complaints": "yes", "support_used": ["coaching"], "health_grade": 7, "attention": {"cares": "4"}}],
    )
    fill(wave, [{"complaints": "no"}], status=ResponseStatus.PARTIAL)
    frame = selectors.wave_frame(wave)
    assert len(frame) == 2
    assert sorted(frame["_status"]) == ["complete", "partial"]
    row = frame[frame["_status"] == "complete"].iloc[0]
    assert row["support_used"] == ["coaching"] and row["health_grade"] == 7 and row["attention.cares"] == "4"
    assert len(selectors.wave_frame(wave, include_partial=False)) == 1


def test_frame_query_count_does_not_grow_with_the_responses(wave, django_assert_max_num_queries) -> None:
    fill(wave, [{"complaints": "yes", "health_grade": 6}] * 40)
    with django_assert_max_num_queries(2):
        selectors.wave_frame(wave)


def test_small_answer_counts_are_hidden_with_their_percentages(wave) -> None:
    fill(wave, [{"complaints": "yes"}] * 12 + [{"complaints": "no"}] * 2 + [{"complaints": "rather_not"}] * 6)
    [result] = question_results(_q(wave, "complaints"), selectors.wave_frame(wave), k_opinion=5, k_text=10)
    rows = {row.code: row for row in result.rows}
    assert result.n == 20
    assert rows["no"].count is None and rows["no"].percent is None  # 2 < 5
    # The smallest other count is hidden as well, so "no" cannot be worked out as 20 - 12 - 6.
    assert rows["rather_not"].count is None and rows["rather_not"].percent is None
    assert rows["yes"].count == 12 and rows["yes"].percent == pytest.approx(60.0)


def test_a_group_below_the_threshold_shows_nothing(wave) -> None:
    fill(wave, [{"complaints": "yes", "health_grade": 8}] * 4)
    frame = selectors.wave_frame(wave)
    [result] = question_results(_q(wave, "complaints"), frame, k_opinion=5, k_text=10)
    assert result.hidden and result.n is None
    # Zero counts point at nobody and stay visible; the 4 "yes" answers do not.
    assert [(row.code, row.count) for row in result.rows] == [("yes", None), ("no", 0), ("rather_not", 0)]
    [grade] = question_results(_q(wave, "health_grade"), frame, k_opinion=5, k_text=10)
    assert grade.hidden and grade.mean is None


def test_multiple_response_hides_small_ticks_and_small_remainders(wave) -> None:
    rows = (
        [{"support_used": ["coaching", "physio"]}] * 6
        + [{"support_used": ["coaching", "workshop"]}] * 4
        + [{"support_used": ["coaching", "psych"]}] * 2
    )
    fill(wave, rows)
    [result] = question_results(_q(wave, "support_used"), selectors.wave_frame(wave), k_opinion=5, k_text=10)
    by = {row.code: row for row in result.rows}
    assert result.n == 12
    assert by["physio"].count == 6 and by["physio"].percent == pytest.approx(50.0)
    # 12 of 12 ticked coaching and 0 ticked sport: both shown (the remainder is nobody).
    assert by["coaching"].count == 12 and by["sport"].count == 0
    assert by["psych"].count is None  # 2 ticked
    # 4 ticked workshop: small, hidden.
    assert by["workshop"].count is None and by["workshop"].percent is None


def test_open_answers_are_counted_against_the_free_text_threshold(wave) -> None:
    fill(wave, [{"comments": "more breaks"}] * 7)
    [result] = question_results(_q(wave, "comments"), selectors.wave_frame(wave), k_opinion=5, k_text=10)
    assert result.hidden


def test_grade_mean_and_weighted_percentages(wave) -> None:
    fill(wave, [{"health_grade": 6}] * 5 + [{"health_grade": 8}] * 5)
    frame = selectors.wave_frame(wave)
    [plain] = question_results(_q(wave, "health_grade"), frame, k_opinion=5, k_text=10)
    assert plain.mean.mean == pytest.approx(7.0)
    weights = pd.Series([3.0] * 5 + [1.0] * 5, index=frame.index)
    weights[frame["health_grade"] == 8] = 1.0
    weights[frame["health_grade"] == 6] = 3.0
    [weighted] = question_results(_q(wave, "health_grade"), frame, k_opinion=5, k_text=10, weights=weights)
    assert weighted.mean.mean == pytest.approx(6.5)
    assert {r.code: r.percent for r in weighted.rows}["6"] == pytest.approx(75.0)
    assert {r.code: r.count for r in weighted.rows}["6"] == 5  # counts stay unweighted


def test_breakdown_is_protected_and_tested_only_without_hidden_cells(wave) -> None:
    rows = (
        [{"gender": "woman", "complaints": "yes"}] * 20
        + [{"gender": "woman", "complaints": "no"}] * 10
        + [{"gender": "man", "complaints": "yes"}] * 10
        + [{"gender": "man", "complaints": "no"}] * 20
        + [{"gender": "x", "complaints": "yes"}] * 2
    )
    fill(wave, rows)
    frame = selectors.wave_frame(wave)
    result = breakdown(_q(wave, "complaints"), _q(wave, "gender"), frame, k=5)
    assert result.cells["x", "yes"] is None and result.group_totals["x"] is None  # 2 < 5
    hidden = [key for key, value in result.cells.items() if value is None]
    assert len(hidden) >= 2  # complementary suppression: x cannot be found by subtraction
    assert all(result.percents[key] is None for key in hidden)
    assert result.test is None  # a hidden cell: no test
    without_x = frame[frame["gender"] != "x"]
    clean = breakdown(_q(wave, "complaints"), _q(wave, "gender"), without_x, k=5)
    assert clean.cells["woman", "yes"] == 20
    assert clean.percents["woman", "yes"] == pytest.approx(200 / 3)
    assert clean.test is not None and clean.test.test == "chi-square"
    assert clean.test.significant


def test_a_breakdown_needs_a_single_answer_question(wave) -> None:
    services.wave_close(wave=wave)
    with pytest.raises(ValueError):
        breakdown(_q(wave, "support_used"), _q(wave, "gender"), selectors.wave_frame(wave), k=5)


def test_representativeness_compares_the_sample_with_the_population(wave) -> None:
    from vitaal.surveys.results import representativeness

    fill(wave, [{"gender": "woman"}] * 30 + [{"gender": "man"}] * 10)
    questions = list(wave.questionnaire.questions.prefetch_related("options", "statements"))
    [gender] = representativeness(
        questions, selectors.wave_frame(wave), {"gender": {"woman": 50, "man": 50}}, k=5
    )
    assert [(row[1], row[2], row[3]) for row in gender.rows] == [(30, 75.0, 50.0), (10, 25.0, 50.0)]
    # 30/10 against 20/20: chi2 = (100 + 100) / 20 = 10 with 1 df.
    assert gender.test.statistic == pytest.approx(10.0)
    assert gender.test.significant
    fill(wave, [{"gender": "x"}] * 2)
    [with_x] = representativeness(
        questions, selectors.wave_frame(wave), {"gender": {"woman": 50, "man": 48, "x": 2}}, k=5
    )
    assert with_x.rows[2][1] is None and with_x.test is None


def test_respondent_groups_side_by_side(cast) -> None:
    from vitaal.surveys import services
    from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read
    from vitaal.surveys.results import compare_groups

    def wave_of(name):
        q = questionnaire_load(data=questionnaire_read(DATA_DIR / name)).questionnaire
        return services.wave_create(questionnaire=q, sector=cast.sector, title=name)

    hr, wc = wave_of("hr_interview.json"), wave_of("works_council_interview.json")
    fill(hr, [{"continue_collective": "very"}] * 18 + [{"continue_collective": "fairly"}] * 6)
    fill(
        wc,
        [{"continue_collective": "very"}] * 8
        + [{"continue_collective": "fairly"}] * 7
        + [{"continue_collective": "little"}] * 2,
    )

    def q(wave):
        return wave.questionnaire.questions.prefetch_related("options").get(code="continue_collective")

    result = compare_groups(
        [("HR", q(hr), selectors.wave_frame(hr)), ("Works council", q(wc), selectors.wave_frame(wc))], k=5
    )
    assert result.group_totals == {"HR": 24, "Works council": 17}
    assert result.cells["HR", "very"] == 18 and result.percents["HR", "very"] == pytest.approx(75.0)
    assert result.cells["Works council", "little"] is None  # 2 < 5
    assert result.test is None

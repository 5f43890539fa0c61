"""The demo builder: a skewed sector wave that weighting corrects, partial responses, and
interview rounds; answers respect the skip logic."""

from __future__ import annotations

import random

import pytest

from vitaal.core.hooks import DemoContext
from vitaal.surveys import demo, selectors
from vitaal.surveys.models import ResponseStatus, SurveyResponse, Wave
from vitaal.surveys.weighting import wave_weights

pytestmark = pytest.mark.django_db


def test_demo_builds_a_skewed_wave_and_interviews(cast) -> None:
    context = DemoContext(
        sector=cast.sector,
        organisations=[(cast.a.organisation, []), (cast.b.organisation, [])],
        rng=random.Random(3),
    )
    demo.build(context, employees=400, hr=6, works_council=5)
    survey = Wave.objects.get(questionnaire__code="employee-survey")
    responses = SurveyResponse.objects.filter(wave=survey)
    assert responses.count() == 400
    partial = responses.filter(status=ResponseStatus.PARTIAL).count()
    assert 30 < partial < 110  # about one in six
    frame = selectors.wave_frame(survey)
    women = (frame["gender"] == "woman").sum() / frame["gender"].notna().sum()
    assert women > 0.55  # more women than the population's 52%
    raking = wave_weights(survey, frame)
    assert raking is not None and raking.design_effect > 1.0
    answered = frame.dropna(subset=["gender"])
    weighted_women = (
        raking.weights[answered.index][answered["gender"] == "woman"].sum()
        / raking.weights[answered.index].sum()
    )
    assert weighted_women == pytest.approx(0.52, abs=0.01)
    # Skip logic: "why not" only from those who took no steps.
    asked = frame.dropna(subset=["why_not"]) if "why_not" in frame else frame.iloc[0:0]
    assert set(asked["took_steps"]) <= {"no"}
    assert SurveyResponse.objects.filter(wave__questionnaire__code="hr-interview").count() == 6
    wc = Wave.objects.get(questionnaire__code="works-council-interview")
    wc_frame = selectors.wave_frame(wc)
    if "discussed_topics" in wc_frame:
        topics = wc_frame.dropna(subset=["discussed_topics"])
        assert set(topics["discussed"]) <= {"often", "sometimes"}
    assert context.lines and "400 employee responses" in context.lines[0]

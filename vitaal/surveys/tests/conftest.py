"""Fixtures of the surveys tests: the shipped employee questionnaire and an open wave of
organisation A."""

from __future__ import annotations

import pytest
from django.utils import translation

from vitaal.surveys import services
from vitaal.surveys.models import Questionnaire, Wave
from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read


@pytest.fixture(autouse=True)
def english():
    """Messages are checked by their English text, whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def employee_questionnaire(db) -> Questionnaire:
    return questionnaire_load(data=questionnaire_read(DATA_DIR / "employee_survey.json")).questionnaire


@pytest.fixture
def wave(cast, employee_questionnaire) -> Wave:
    wave = services.wave_create(
        questionnaire=employee_questionnaire,
        sector=cast.sector,
        organisation=cast.a.organisation,
        title="Survey 2026",
    )
    return services.wave_open(wave=wave)

"""Importing response files: round trips through .sav, CSV and XLSX, and files that do not
match the questionnaire refused whole with row, column and reason."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from vitaal.surveys import exports, imports, selectors, services
from vitaal.surveys.models import ResponseSource, ResponseStatus, SurveyResponse

from .support import fill

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "gender": "woman",
        "health_grade": 7,
        "complaints": "yes",
        "took_steps": "yes",
        "support_used": ["coaching", "other"],
        "attention": {"cares": "4", "easy_to_ask": "2"},
        "hours": 32.5,
        "comments": "Meer pauzes",
    },
    {"gender": "man", "health_grade": 9, "complaints": "no", "took_steps": "no", "why_not": ["no_need"]},
]


def _second_wave(wave):
    return services.wave_open(
        wave=services.wave_create(
            questionnaire=wave.questionnaire, sector=wave.sector, organisation=wave.organisation, title="Copy"
        )
    )


def _comparable(frame: pd.DataFrame) -> list[dict]:
    return sorted(
        (
            {k: v for k, v in row.items() if not (isinstance(v, float) and pd.isna(v))}
            for row in frame.to_dict("records")
        ),
        key=lambda row: row["health_grade"],
    )


@pytest.mark.parametrize("fmt", ["sav", "csv", "xlsx"])
def test_export_then_import_gives_the_same_answers(wave, tmp_path, fmt) -> None:
    fill(wave, ROWS)
    # "other, namely" text travels in its own column.
    response = SurveyResponse.objects.filter(wave=wave).order_by("pk").first()
    response.answers.filter(question__code="support_used").update(text="Yoga")
    table, variables = exports.response_table(
        selectors.wave_frame(wave), services.questions_of(wave.questionnaire)
    )
    path = tmp_path / f"wave.{fmt}"
    if fmt == "sav":
        exports.to_sav(table, variables, path)
    elif fmt == "csv":
        path.write_bytes(exports.to_csv(table, variables))
    else:
        path.write_bytes(exports.to_xlsx(table, variables))
    target = _second_wave(wave)
    out = StringIO()
    call_command("survey", "import", str(target.pk), str(path), stdout=out)
    assert "2 responses imported" in out.getvalue()
    assert _comparable(selectors.wave_frame(target)) == _comparable(selectors.wave_frame(wave))
    assert set(SurveyResponse.objects.filter(wave=target).values_list("source", flat=True)) == {
        ResponseSource.IMPORT
    }


def test_unknown_columns_are_refused(wave) -> None:
    frame = pd.DataFrame({"gender": ["Woman"], "salary": ["1000"]})
    with pytest.raises(imports.ImportRefused) as info:
        imports.responses_import(wave=wave, frame=frame)
    assert info.value.errors == ["column 'salary': not a variable of this questionnaire."]
    assert not SurveyResponse.objects.exists()


def test_labels_that_do_not_match_are_refused_with_row_and_column(wave) -> None:
    frame = pd.DataFrame(
        {
            "status": ["partial", "partial"],
            "gender": ["Vrouw", "Robot"],
            "attention_cares": ["Agree", "Maybe"],
        }
    )
    with pytest.raises(imports.ImportRefused) as info:
        imports.responses_import(wave=wave, frame=frame)
    assert info.value.errors == [
        "row 3, column 'gender': 'Robot' is not one of its answers.",
        "row 3, column 'attention_cares': 'Maybe' is not one of its answers.",
    ]
    assert not SurveyResponse.objects.exists()


def test_bad_answers_and_missing_required_answers_refuse_the_whole_file(wave) -> None:
    frame = pd.DataFrame(
        {
            "status": ["complete", "complete", "partial"],
            "health_grade": ["8", "11", ""],
            "complaints": ["No", "No", ""],
            "took_steps": ["No", "Yes", ""],
        }
    )
    with pytest.raises(imports.ImportRefused) as info:
        imports.responses_import(wave=wave, frame=frame)
    assert info.value.errors == ["row 3, health_grade: Give a whole number from 1 to 10."]
    assert not SurveyResponse.objects.exists()
    frame.loc[1, "health_grade"] = "6"
    assert imports.responses_import(wave=wave, frame=frame) == 3
    statuses = sorted(SurveyResponse.objects.values_list("status", flat=True))
    assert statuses == [ResponseStatus.COMPLETE, ResponseStatus.COMPLETE, ResponseStatus.PARTIAL]


def test_the_command_refuses_an_unreadable_file(wave, tmp_path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hello")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("survey", "import", str(wave.pk), str(path), stderr=err)
    assert "use a .sav, .csv or .xlsx file" in err.getvalue()

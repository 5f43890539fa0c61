"""Importing response files: round trips through .sav, CSV and XLSX, and files that do not
match the questionnaire refused whole with row, column and reason."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from vitaal.surveys import exports, imports, selectors, services
from vitaal.surveys.models import Answer, ResponseSource, ResponseStatus, SurveyResponse

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
    Answer.objects.filter(response__wave=wave, question__code="support_used").update(text="Yoga")
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
    services.wave_close(wave=target)  # answers are read from closed waves only
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


def test_the_command_refuses_a_file_over_the_upload_limit(wave, tmp_path, settings) -> None:
    """The CLI import applies the web upload's limits (vitaal.core.spreadsheets)."""
    settings.VITAAL_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_text("gender\n" + "woman\n" * 400)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("survey", "import", str(wave.pk), str(path), stderr=err)
    assert "too large" in err.getvalue()
    assert not SurveyResponse.objects.exists()
    # The .sav reader never gets a file over the limit either.
    sav = tmp_path / "big.sav"
    sav.write_bytes(b"\0" * 2000)
    with pytest.raises(CommandError):
        call_command("survey", "import", str(wave.pk), str(sav), stderr=StringIO())


def test_the_command_refuses_a_zip_bomb_workbook(wave, tmp_path) -> None:
    """A workbook whose sheet claims to unpack to far more than it is (ratio and total
    size) is refused before any parser opens it, as on the web."""
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # 60 MB of zeros: compresses about a thousandfold.
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("survey", "import", str(wave.pk), str(path), stderr=err)
    assert "unpacks to more than" in err.getvalue()
    assert not SurveyResponse.objects.exists()


def test_the_command_reads_csv_and_xlsx_through_the_web_reader(wave, tmp_path) -> None:
    """Headers as the web reader normalises them, empty rows skipped, row numbers kept."""
    path = tmp_path / "rows.csv"
    path.write_text("status;Gender\npartial;Woman\n;\npartial;Robot\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("survey", "import", str(wave.pk), str(path), stderr=err)
    assert "row 4, column 'gender': 'Robot' is not one of its answers." in err.getvalue()

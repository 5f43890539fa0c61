"""Response files with labels (.sav round trip, CSV/XLSX safe against formulas) and the
``vitaal survey`` command printing the protected numbers."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import pyreadstat
import pytest
from django.core.management import CommandError, call_command

from vitaal.surveys import exports, selectors, services

from .support import fill

pytestmark = pytest.mark.django_db


def _data(wave) -> None:
    fill(
        wave,
        [
            {
                "gender": "woman",
                "complaints": "yes",
                "support_used": ["coaching", "other"],
                "health_grade": 7,
                "attention": {"cares": "4"},
                "comments": '=HYPERLINK("http://evil")',
            }
        ]
        * 6,
    )
    fill(wave, [{"gender": "man", "complaints": "no", "health_grade": 9}] * 6)


def test_sav_round_trip_keeps_variable_and_value_labels(wave, tmp_path) -> None:
    _data(wave)
    table, variables = exports.response_table(
        selectors.wave_frame(wave), services.questions_of(wave.questionnaire)
    )
    path = tmp_path / "wave.sav"
    exports.to_sav(table, variables, path)
    df, meta = pyreadstat.read_sav(str(path))
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["gender"] == "What is your gender?"
    assert labels["attention_cares"].endswith("My employer thinks health matters.")
    assert meta.variable_value_labels["gender"] == {1.0: "Woman", 2.0: "Man", 3.0: "Other"}
    assert meta.variable_value_labels["attention_cares"][4.0] == "Agree"
    assert meta.variable_value_labels["support_used_coaching"] == {0.0: "not chosen", 1.0: "chosen"}
    assert sorted(df["gender"].tolist()) == [1.0] * 6 + [2.0] * 6
    assert df["support_used_coaching"].tolist().count(1.0) == 6
    assert df["health_grade"].mean() == pytest.approx(8.0)


def test_csv_and_xlsx_carry_labels_and_neutralise_formulas(wave) -> None:
    _data(wave)
    table, variables = exports.response_table(
        selectors.wave_frame(wave), services.questions_of(wave.questionnaire)
    )
    rows = list(csv.reader(io.StringIO(exports.to_csv(table, variables).decode("utf-8-sig"))))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["gender"] in {"Woman", "Man"}
    comments = [dict(zip(header, r, strict=True))["comments"] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in comments
    assert exports.to_xlsx(table, variables)[:2] == b"PK"


def test_spss_names_are_valid() -> None:
    assert exports.spss_name("age-band", "35_44") == "age_band_35_44"
    assert exports.spss_name("1st") == "v_1st"


def test_survey_analyze_prints_the_protected_numbers(wave) -> None:
    _data(wave)
    fill(wave, [{"gender": "x", "complaints": "no"}] * 2)
    out = StringIO()
    call_command("survey", "analyze", str(wave.pk), stdout=out)
    report = json.loads(out.getvalue())
    gender = next(r for r in report["results"] if r["code"] == "gender")
    assert {row["code"]: row["count"] for row in gender["rows"]}["x"] is None
    assert report["responses"]["complete"] == 14
    out = StringIO()
    call_command("survey", "analyze", str(wave.pk), "--format", "csv", stdout=out)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0][:3] == ["variable", "answer", "count"]
    by_answer = {(line[0], line[1]): line[2] for line in lines[1:]}
    assert by_answer["gender", "x"] == ""  # 2 < 5: hidden
    # ... and one more so x cannot be found by subtraction (ties go to the first: woman).
    assert by_answer["gender", "woman"] == "" and by_answer["gender", "man"] == "6"


def test_survey_analyze_weighted_and_unknown_wave(wave) -> None:
    _data(wave)
    services.wave_population_set(wave=wave, shares={"gender": {"woman": 50, "man": 50}})
    out = StringIO()
    call_command("survey", "analyze", str(wave.pk), "--weighted", stdout=out)
    assert json.loads(out.getvalue())["weighted"] is True
    with pytest.raises(CommandError, match="No wave"):
        call_command("survey", "analyze", "999999")


def test_survey_export_writes_a_file(wave, tmp_path) -> None:
    _data(wave)
    target = tmp_path / "out.xlsx"
    call_command(
        "survey", "export", str(wave.pk), "--format", "xlsx", "--output", str(target), stdout=StringIO()
    )
    assert target.read_bytes()[:2] == b"PK"

"""Loading frameworks from JSON: the shipped files load, a bad file is refused whole."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vitaal.igm.models import DevelopmentLine, Framework, Instrument, Item, RatingScale, ScaleLevel
from vitaal.igm.services import framework_load, framework_load_file

from .conftest import DATA, small_data

MODELS = (Framework, DevelopmentLine, RatingScale, ScaleLevel, Instrument, Item)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in MODELS)


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_default_igm_content_loads_with_seven_lines_and_two_instruments(db):
    out = StringIO()
    call_command("load_framework", str(DATA / "igm-default.json"), stdout=out)
    framework = Framework.objects.get(code="igm", version=1)
    assert framework.published and framework.is_default
    lines = list(framework.lines.order_by("order"))
    assert len(lines) == 7
    assert lines[0].name_en == "Health as a strategic issue"
    for line in lines:
        assert line.scope_nl and line.scope_en
        assert 3 <= len(line.examples_nl) == len(line.examples_en) <= 5
    long = Instrument.objects.get(code="igm-meter")
    short = Instrument.objects.get(code="igm-meter-mkb")
    assert (long.variant, short.variant) == ("long", "short")
    for line in lines:
        assert 5 <= long.items.filter(line=line).count() <= 6
        assert short.items.filter(line=line).count() == 2
    assert long.scale.level_values() == [1, 2, 3, 4]
    assert "created" in out.getvalue()


def test_loading_the_same_file_again_changes_nothing(db):
    first = framework_load_file(path=DATA / "igm-default.json")
    before = counts()
    again = framework_load_file(path=DATA / "igm-default.json")
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == first.created
    assert counts() == before


def test_a_sector_framework_with_its_own_pillars_loads_the_same_way(db):
    framework_load_file(path=DATA / "igm-default.json")
    report = framework_load_file(path=DATA / "example-sector-pillars.json")
    assert report.ok, report.errors
    sector = Framework.objects.get(code="hbo-werkvermogen")
    assert sector.lines.count() == 4
    assert not sector.is_default
    assert Framework.objects.get(code="igm").is_default
    assert Instrument.objects.get(code="hbo-scan").scale.level_values() == [1, 2, 3, 4, 5]


def test_a_bad_file_is_refused_with_field_level_messages_and_nothing_is_written(db, tmp_path):
    data = small_data()
    del data["lines"][1]["scope_en"]
    data["lines"][2]["examples_nl"] = "not a list"
    data["instruments"][0]["items"][0]["weight"] = 5
    data["instruments"][0]["items"][1]["line"] = "nope"
    data["framework"]["colour"] = "red"
    with pytest.raises(CommandError):
        call_command("load_framework", str(write(tmp_path, data)), stdout=StringIO(), stderr=StringIO())
    assert counts() == (0,) * len(MODELS)
    report = framework_load(data=data)
    paths = {e.path for e in report.errors}
    assert {
        "lines[2].scope_en",
        "lines[3].examples_nl",
        "instruments[1].items[1].weight",
        "instruments[1].items[2].line",
        "framework.colour",
    } <= paths


def test_an_error_found_while_writing_rolls_back_everything(db):
    data = small_data()
    data["framework"]["name_nl"] = "x" * 300  # too long: only full_clean finds it, after other rows
    data["framework"]["code"] = "other"
    report = framework_load(data=data)
    assert not report.ok
    assert any(e.path == "framework.name_nl" for e in report.errors)
    assert counts() == (0,) * len(MODELS)

    data = small_data()
    data["lines"][2]["name_en"] = "y" * 300  # the framework and two lines are written first
    report = framework_load(data=data)
    assert [e.path for e in report.errors] == ["lines[3].name_en"]
    assert counts() == (0,) * len(MODELS)


def test_a_file_that_would_change_a_published_version_is_refused(db, tmp_path):
    assert framework_load(data=small_data()).ok
    before = counts()
    line = DevelopmentLine.objects.get(code="a")

    changed = small_data()
    changed["lines"][0]["scope_en"] = "Something else"
    changed["instruments"][0]["items"][0]["weight"] = 1
    changed["lines"].pop()  # removing line c
    changed["instruments"][0]["items"] = [i for i in changed["instruments"][0]["items"] if i["line"] != "c"]
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("load_framework", str(write(tmp_path, changed)), stdout=out, stderr=err)
    messages = err.getvalue()
    assert "lines[1].scope_en" in messages
    assert "publish a new version" in messages
    assert counts() == before
    line.refresh_from_db()
    assert line.scope_en == "s"


def test_a_new_version_is_a_new_row(db):
    assert framework_load(data=small_data()).ok
    v2 = small_data()
    v2["framework"]["version"] = 2
    v2["lines"][0]["scope_en"] = "Sharper scope"
    report = framework_load(data=v2)
    assert report.ok, report.errors
    assert list(Framework.objects.filter(code="small").values_list("version", flat=True)) == [2, 1]
    assert DevelopmentLine.objects.get(framework__version=1, code="a").scope_en == "s"
    assert DevelopmentLine.objects.get(framework__version=2, code="a").scope_en == "Sharper scope"


def test_a_draft_version_can_be_edited_by_loading_again(db):
    draft = small_data()
    draft["framework"]["published"] = False
    draft["instruments"][0]["published"] = False
    assert framework_load(data=draft).ok
    draft["lines"][0]["name_en"] = "Renamed"
    draft["instruments"][0]["items"].pop()  # c2
    report = framework_load(data=draft)
    assert report.ok, report.errors
    assert report.removed == 1
    assert DevelopmentLine.objects.get(code="a").name_en == "Renamed"
    assert not Item.objects.filter(code="c2").exists()


def test_check_only_writes_nothing(db):
    report = framework_load(data=small_data(), dry_run=True)
    assert report.ok and report.created > 0
    assert counts() == (0,) * len(MODELS)


def test_not_json_is_refused(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    report = framework_load_file(path=path)
    assert not report.ok and report.errors[0].path == "(file)"


def test_withdrawing_a_published_version_is_refused_but_leaving_the_flag_out_is_not(db):
    assert framework_load(data=small_data()).ok
    withdrawn = small_data()
    withdrawn["framework"]["published"] = False
    report = framework_load(data=withdrawn)
    assert [e.path for e in report.errors] == ["framework.published"]
    assert Framework.objects.get(code="small").published
    silent = small_data()
    del silent["framework"]["published"]
    del silent["instruments"][0]["published"]
    report = framework_load(data=silent)
    assert report.ok and report.created == 0 and report.updated == 0

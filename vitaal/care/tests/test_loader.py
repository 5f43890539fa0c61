"""``vitaal load-care-catalog``: counts, idempotence and refusing bad files whole."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from vitaal.care import services
from vitaal.care.catalog_file import DEFAULT_FILE, CatalogFileError, catalog_load, catalog_read
from vitaal.care.models import (
    Expertise,
    Intervention,
    Package,
    PackageItem,
    Provider,
    ProviderTariff,
    QualityMarkStatus,
)


def _counts() -> dict[str, int]:
    return {
        "expertise": Expertise.objects.count(),
        "interventions": Intervention.objects.count(),
        "providers": Provider.objects.count(),
        "tariffs": ProviderTariff.objects.count(),
        "packages": Package.objects.count(),
        "items": PackageItem.objects.count(),
    }


def _run(*args: str) -> str:
    out = StringIO()
    call_command("load_care_catalog", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def data():
    return catalog_read(DEFAULT_FILE)


def test_shipped_file_loads_with_its_counts(cast, data):
    output = _run("--sector", "hbo")
    expected = {
        "expertise": len(data["expertise"]),
        "interventions": len(data["interventions"]),
        "providers": len(data["providers"]),
        "tariffs": sum(len(p["tariffs"]) for p in data["providers"]),
        "packages": 1,
        "items": len(data["packages"][0]["items"]),
    }
    assert _counts() == expected
    assert expected["interventions"] >= 40
    assert 8 <= expected["providers"] <= 12
    assert f"interventions: {expected['interventions']} created" in output
    package = Package.objects.get(sector=cast.sector, year=2025)
    verdicts = dict(package.items.values_list("intervention__code", "verdict"))
    assert verdicts["basic-health-check"] == "in"
    assert verdicts["mediation"] == "discuss"
    assert verdicts["work-transport"] == "out"
    assert Intervention.objects.get(code="urgent-home-care").is_unique_to_package
    assert not Intervention.objects.get(code="physiotherapy").is_unique_to_package


def test_every_entry_states_its_source_and_names_its_assumptions(data):
    for entry in data["interventions"]:
        assert "assumed" in entry["source"], entry["code"]
        assert entry["description_nl"] and entry["description_en"], entry["code"]


def test_providers_are_spread_and_some_quality_marks_lapse(cast):
    _run()
    regions = set(Provider.objects.values_list("regions__code", flat=True))
    assert len(regions) >= 10
    statuses = {p.quality_mark_status for p in Provider.objects.all()}
    assert statuses >= {QualityMarkStatus.VALID, QualityMarkStatus.EXPIRED}


def test_second_run_changes_nothing(cast):
    _run()
    before = _counts()
    snapshot = list(Intervention.objects.order_by("pk").values())
    output = _run()
    assert _counts() == before
    assert list(Intervention.objects.order_by("pk").values()) == snapshot
    assert " 0 created, 0 updated" in output
    assert "created" not in output.replace(" 0 created", "")


def test_changed_entry_is_updated_in_place(cast, data):
    _run()
    data["interventions"][0]["name_en"] = "Health check, renamed"
    summary = catalog_load(sector=cast.sector, data=data)
    assert summary.counts["interventions"].updated == 1
    assert Intervention.objects.get(code=data["interventions"][0]["code"]).name_en == "Health check, renamed"


def test_bad_file_changes_nothing_and_says_why(cast, data, tmp_path: Path):
    _run()
    before = _counts()
    snapshot = list(Intervention.objects.order_by("pk").values())
    data["interventions"][0]["name_en"] = "Would be a valid change"
    data["interventions"][1]["tariff"] = -10
    data["interventions"][2]["routes"] = []
    data["providers"][0]["tariffs"].append(
        {"intervention": "mediation", "tariff": 1, "valid_from": "2025-01-01"}
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, default=float), encoding="utf-8")
    with translation.override("en"), pytest.raises(CatalogFileError) as exc:
        catalog_load(sector=cast.sector, data=catalog_read(bad))
    text = "\n".join(exc.value.errors)
    assert "tariff: A tariff cannot be negative." in text
    assert "Choose at least one access route" in text
    assert "does not offer this intervention" in text
    assert _counts() == before
    assert list(Intervention.objects.order_by("pk").values()) == snapshot
    with pytest.raises(CommandError, match="nothing was changed"):
        _run(str(bad))


def test_malformed_json_is_refused_with_its_position(cast, tmp_path: Path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": 1,\n "interventions": [}', encoding="utf-8")
    with pytest.raises(CatalogFileError) as exc:
        catalog_read(bad)
    assert "line 2" in exc.value.errors[0]
    assert not Intervention.objects.exists()


def test_unknown_fields_and_wrong_types_are_reported_per_entry(cast, data):
    data["interventions"][0]["colour"] = "red"
    data["interventions"][1]["max_sessions"] = "five"
    data["packages"][0]["items"][0]["verdict"] = "maybe"
    with pytest.raises(CatalogFileError) as exc:
        catalog_load(sector=cast.sector, data=data)
    assert len(exc.value.errors) == 3
    assert not Intervention.objects.exists()


def test_published_package_is_not_changed_by_the_loader(cast, data):
    _run()
    services.package_publish(package=Package.objects.get(year=2025))
    assert "0 updated, 25 unchanged" in _run()  # same file: fine
    data["packages"][0]["items"][0]["verdict"] = "-"
    with pytest.raises(CatalogFileError) as exc:
        catalog_load(sector=cast.sector, data=data)
    assert "published" in exc.value.errors[0]


def test_unknown_sector_is_refused(db):
    with pytest.raises(CommandError, match="No sector"):
        _run("--sector", "nope")

"""Loading the indicator library from its data file (idempotent: loading twice changes
nothing; a changed definition is updated in place)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from vitaal.core.models import Sector
from vitaal.indicators.models import Indicator

DEFAULT_LIBRARY = Path(__file__).resolve().parent / "data" / "indicator-library.json"
FORMAT = "vitaal-indicators/1"


def _definition(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name_nl": entry["name"]["nl"],
        "name_en": entry["name"]["en"],
        "description_nl": entry["description"]["nl"],
        "description_en": entry["description"]["en"],
        "unit": entry["unit"],
        "direction": entry["direction"],
        "frequency": entry["frequency"],
        "source": entry["source"],
        "computation": entry.get("computation", ""),
        "line_code": entry["line"],
        "perspective": entry["perspective"],
        "efqm_area": entry["efqm_area"],
        "data_class": entry.get("data_class", ""),
        "min_value": None if entry.get("min") is None else Decimal(str(entry["min"])),
        "max_value": None if entry.get("max") is None else Decimal(str(entry["max"])),
    }


@transaction.atomic
def load_library(path: Path = DEFAULT_LIBRARY, sector: Sector | None = None) -> tuple[int, int]:
    """Create or update the indicators in the file; returns (created, updated)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValidationError(f"{path.name}: expected format {FORMAT}")
    created = updated = 0
    for entry in data["indicators"]:
        fields = _definition(entry)
        indicator = Indicator.objects.filter(sector=sector, code=entry["code"]).first()
        if indicator is None:
            indicator = Indicator(sector=sector, code=entry["code"], **fields)
            indicator.full_clean()
            indicator.save()
            created += 1
            continue
        changed = [k for k, v in fields.items() if getattr(indicator, k) != v]
        if changed:
            for k in changed:
                setattr(indicator, k, fields[k])
            indicator.full_clean()
            indicator.save(update_fields=changed)
            updated += 1
    return created, updated

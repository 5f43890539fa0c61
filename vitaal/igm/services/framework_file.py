"""The framework file format and its structural check (step 1 of loading, no database).

See ``loader`` for how a checked file is written, and ``docs/howto/add-an-instrument.md``
for the format itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from vitaal.igm.models import InstrumentVariant

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024

# field -> (kind, required); kinds: str, int, bool, strlist, list
Spec = dict[str, tuple[str, bool]]
FRAMEWORK_SPEC: Spec = {
    "code": ("str", True),
    "version": ("int", True),
    "name_nl": ("str", True),
    "name_en": ("str", True),
    "description_nl": ("str", False),
    "description_en": ("str", False),
    "is_default": ("bool", False),
    "published": ("bool", False),
}
LINE_SPEC: Spec = {
    "code": ("str", True),
    "order": ("int", False),
    "name_nl": ("str", True),
    "name_en": ("str", True),
    "scope_nl": ("str", True),
    "scope_en": ("str", True),
    "examples_nl": ("strlist", False),
    "examples_en": ("strlist", False),
}
SCALE_SPEC: Spec = {
    "code": ("str", True),
    "name_nl": ("str", True),
    "name_en": ("str", True),
    "not_applicable_nl": ("str", False),
    "not_applicable_en": ("str", False),
    "dont_know_nl": ("str", False),
    "dont_know_en": ("str", False),
    "levels": ("list", True),
}
LEVEL_SPEC: Spec = {
    "value": ("int", True),
    "label_nl": ("str", True),
    "label_en": ("str", True),
    "description_nl": ("str", True),
    "description_en": ("str", True),
}
INSTRUMENT_SPEC: Spec = {
    "code": ("str", True),
    "version": ("int", True),
    "variant": ("str", True),
    "name_nl": ("str", True),
    "name_en": ("str", True),
    "description_nl": ("str", False),
    "description_en": ("str", False),
    "scale": ("str", True),
    "published": ("bool", False),
    "items": ("list", True),
}
ITEM_SPEC: Spec = {
    "code": ("str", True),
    "line": ("str", True),
    "order": ("int", False),
    "text_nl": ("str", True),
    "text_en": ("str", True),
    "weight": ("int", False),
}
TOP_SPEC: Spec = {
    "format": ("int", True),
    "framework": ("dict", True),
    "lines": ("list", True),
    "scales": ("list", False),
    "instruments": ("list", False),
}


@dataclass(frozen=True)
class LoadError:
    """One problem in a framework file: where (``lines[3].scope_en``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# --- Step 1: structure ---------------------------------------------------------------


def framework_file_read(*, content: bytes | str) -> tuple[dict[str, Any] | None, list[LoadError]]:
    """Parse the JSON text of a framework file."""
    if len(content) > MAX_FILE_BYTES:
        return None, [LoadError("(file)", str(_("The file is too large.")))]
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [LoadError("(file)", str(_("The file is not valid JSON: %(error)s") % {"error": exc}))]
    if not isinstance(data, dict):
        return None, [LoadError("(file)", str(_("The file must contain one JSON object.")))]
    return data, []


def _kind_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "strlist":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if kind == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


KIND_NAMES = {
    "str": _("a text"),
    "int": _("a whole number"),
    "bool": _("true or false"),
    "strlist": _("a list of non-empty texts"),
    "list": _("a list"),
    "dict": _("an object"),
}


def _check_fields(obj: Any, spec: Spec, path: str, errors: list[LoadError]) -> bool:
    """Check one object against its spec; False when it is not usable further."""
    if not isinstance(obj, dict):
        errors.append(LoadError(path, str(_("Expected an object."))))
        return False
    for key in obj:
        if key not in spec:
            errors.append(LoadError(f"{path}.{key}", str(_("Unknown field."))))
    usable = True
    for key, (kind, required) in spec.items():
        if key not in obj:
            if required:
                errors.append(LoadError(f"{path}.{key}", str(_("This field is required."))))
                usable = False
            continue
        value = obj[key]
        if not _kind_ok(kind, value):
            errors.append(
                LoadError(f"{path}.{key}", str(_("Expected %(kind)s.") % {"kind": KIND_NAMES[kind]}))
            )
            usable = False
        elif kind == "str" and required and not value.strip():
            errors.append(LoadError(f"{path}.{key}", str(_("This field cannot be empty."))))
    return usable


def _check_unique_codes(rows: list[Any], path: str, errors: list[LoadError], key: str = "code") -> None:
    seen: dict[Any, int] = {}
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or key not in row:
            continue
        value = row[key]
        if value in seen:
            errors.append(
                LoadError(
                    f"{path}[{i}].{key}",
                    str(
                        _("Duplicate %(key)s %(value)r (also at position %(other)s).")
                        % {
                            "key": key,
                            "value": value,
                            "other": seen[value],
                        }
                    ),
                )
            )
        else:
            seen[value] = i


def framework_file_check(data: dict[str, Any]) -> list[LoadError]:
    """Validate the whole file's structure without touching the database."""
    errors: list[LoadError] = []
    if not _check_fields(data, TOP_SPEC, "(file)", errors):
        return [LoadError(e.path.removeprefix("(file)."), e.message) for e in errors]
    errors = [LoadError(e.path.removeprefix("(file)."), e.message) for e in errors]
    if data["format"] != FORMAT_VERSION:
        errors.append(
            LoadError("format", str(_("Unsupported format; expected %(v)s.") % {"v": FORMAT_VERSION}))
        )
    _check_fields(data["framework"], FRAMEWORK_SPEC, "framework", errors)

    lines = data["lines"]
    if not lines:
        errors.append(LoadError("lines", str(_("A framework needs at least one development line."))))
    for i, line in enumerate(lines, start=1):
        _check_fields(line, LINE_SPEC, f"lines[{i}]", errors)
    _check_unique_codes(lines, "lines", errors)
    line_codes = {row["code"] for row in lines if isinstance(row, dict) and "code" in row}

    scales = data.get("scales", [])
    for i, scale in enumerate(scales, start=1):
        if not _check_fields(scale, SCALE_SPEC, f"scales[{i}]", errors):
            continue
        levels = scale["levels"]
        for j, level in enumerate(levels, start=1):
            _check_fields(level, LEVEL_SPEC, f"scales[{i}].levels[{j}]", errors)
        _check_unique_codes(levels, f"scales[{i}].levels", errors, key="value")
        values = sorted(
            lv["value"] for lv in levels if isinstance(lv, dict) and isinstance(lv.get("value"), int)
        )
        if len(values) < 2 or values != list(range(values[0], values[0] + len(values))) or values[0] < 1:
            errors.append(
                LoadError(
                    f"scales[{i}].levels",
                    str(_("A scale needs at least two levels numbered consecutively from 1 or higher.")),
                )
            )
    _check_unique_codes(scales, "scales", errors)

    instruments = data.get("instruments", [])
    seen_versions: set[tuple[Any, Any]] = set()
    for i, instrument in enumerate(instruments, start=1):
        path = f"instruments[{i}]"
        if not _check_fields(instrument, INSTRUMENT_SPEC, path, errors):
            continue
        if instrument["variant"] not in InstrumentVariant.values:
            errors.append(
                LoadError(
                    f"{path}.variant",
                    str(
                        _("Unknown variant; choose one of: %(choices)s.")
                        % {"choices": ", ".join(InstrumentVariant.values)}
                    ),
                )
            )
        key = (instrument["code"], instrument["version"])
        if key in seen_versions:
            errors.append(LoadError(f"{path}.version", str(_("This instrument version appears twice."))))
        seen_versions.add(key)
        items = instrument["items"]
        if not items:
            errors.append(LoadError(f"{path}.items", str(_("An instrument needs at least one item."))))
        for j, item in enumerate(items, start=1):
            ipath = f"{path}.items[{j}]"
            if not _check_fields(item, ITEM_SPEC, ipath, errors):
                continue
            if item["line"] not in line_codes:
                errors.append(
                    LoadError(
                        f"{ipath}.line",
                        str(
                            _("No development line with code %(code)r in this file.") % {"code": item["line"]}
                        ),
                    )
                )
            weight = item.get("weight", 1)
            if isinstance(weight, int) and not 1 <= weight <= 3:
                errors.append(LoadError(f"{ipath}.weight", str(_("The weight must be 1, 2 or 3."))))
        _check_unique_codes(items, f"{path}.items", errors)
    return errors

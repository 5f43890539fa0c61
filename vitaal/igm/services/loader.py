"""Loading a framework (and optionally its scales and instruments) from a JSON file.

The file describes one framework version completely; ``docs/howto/add-an-instrument.md``
documents the format. Loading happens in two steps, so that a bad file changes nothing:

1. ``framework_file_check`` validates the structure of the whole file (types, required
   fields, unknown keys, duplicate codes, references between items, lines and scales) and
   reports every problem with its place in the file, e.g. ``lines[3].scope_en``
   (positions count from 1).
2. ``framework_load`` writes everything in one transaction, running each model's
   ``full_clean``. Any error (a published version that the file would change, a line
   that is still used) is collected and the whole transaction is rolled back.

Loading the same file twice changes nothing. Lines, scales, levels and items are matched
by code; a key that is absent (``scales``, ``instruments``) leaves what is stored alone,
and instruments not named in the file are left alone too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vitaal.igm.models import DevelopmentLine, Framework, Instrument, Item, RatingScale, ScaleLevel
from vitaal.igm.services.framework_file import (
    FRAMEWORK_SPEC,
    INSTRUMENT_SPEC,
    ITEM_SPEC,
    LEVEL_SPEC,
    LINE_SPEC,
    MAX_FILE_BYTES,
    SCALE_SPEC,
    LoadError,
    Spec,
    framework_file_check,
    framework_file_read,
)


@dataclass
class LoadReport:
    """What a load did (or would have done): objects created, updated and unchanged, or
    the errors that stopped it."""

    framework: Framework | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[LoadError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Raised inside the transaction to undo a load that collected errors."""


# --- Step 2: writing ------------------------------------------------------------------


def _fields(row: dict[str, Any], spec: Spec, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The model fields of a file row, with defaults for optional texts."""
    out: dict[str, Any] = {}
    for key, (kind, _required) in spec.items():
        if key in skip or kind in ("list", "dict"):
            continue
        if key in row:
            out[key] = row[key]
    return out


class _Writer:
    """Applies one checked file inside a transaction, collecting errors by path."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report

    def error(self, path: str, message: Any) -> None:
        self.report.errors.append(LoadError(path, str(message)))

    def save(self, obj: models.Model, values: dict[str, Any], path: str) -> bool:
        """Assign values, validate and save; count what happened. False on errors."""
        is_new = obj.pk is None
        changed = is_new or any(getattr(obj, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(obj, key, value)
        if not changed:
            self.report.unchanged += 1
            return True
        try:
            obj.full_clean()
        except ValidationError as exc:
            self._record(exc, path)
            return False
        obj.save()
        if is_new:
            self.report.created += 1
        else:
            self.report.updated += 1
        return True

    def _record(self, exc: ValidationError, path: str) -> None:
        if hasattr(exc, "error_dict"):
            for field_name, messages in exc.message_dict.items():
                where = path if field_name == "__all__" else f"{path}.{field_name}"
                for message in messages:
                    self.error(where, message)
        else:
            for message in exc.messages:
                self.error(path, message)

    def remove(self, obj: models.Model, path: str, parent_published: bool, what: Promise | str) -> None:
        if parent_published:
            self.error(
                path,
                _(
                    "%(what)s %(code)r is missing from the file, but the stored version is published and "
                    "cannot lose it; publish a new version."
                )
                % {"what": what, "code": getattr(obj, "code", obj)},
            )
            return
        try:
            obj.delete()
            self.report.removed += 1
        except ProtectedError:
            self.error(
                path,
                _("%(what)s %(code)r is missing from the file but is still in use, so it cannot be removed.")
                % {"what": what, "code": getattr(obj, "code", obj)},
            )

    def sync_children(
        self,
        rows: list[dict[str, Any]],
        existing: dict[Any, models.Model],
        key: str,
        path: str,
        parent_published: bool,
        what: Promise | str,
        build: Callable[[int, dict[str, Any], models.Model | None], models.Model | None],
    ) -> dict[Any, models.Model]:
        """Create or update one child per row (matched on ``key``) and remove the stored
        children the file no longer has."""
        saved: dict[Any, models.Model] = {}
        for i, row in enumerate(rows, start=1):
            obj = build(i, row, existing.get(row[key]))
            if obj is not None:
                saved[row[key]] = obj
        for code, obj in existing.items():
            if code not in saved and not any(r[key] == code for r in rows):
                self.remove(obj, path, parent_published, what)
        return saved


def framework_load(*, data: dict[str, Any], dry_run: bool = False) -> LoadReport:
    """Validate and write a framework file's data in one transaction. Returns a report;
    when it has errors (or ``dry_run``), nothing was changed."""
    report = LoadReport(errors=framework_file_check(data))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(data, _Writer(report))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        # Nothing was written, so there is no stored framework to point at.
        report.framework = None
    return report


def framework_load_file(*, path: Path | str, dry_run: bool = False) -> LoadReport:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return LoadReport(errors=[LoadError("(file)", str(exc.strerror or exc))])
    data, errors = framework_file_read(content=content)
    if data is None:
        return LoadReport(errors=errors)
    return framework_load(data=data, dry_run=dry_run)


def _write(data: dict[str, Any], w: _Writer) -> None:
    fw_row = data["framework"]
    framework = Framework.objects.filter(code=fw_row["code"], version=fw_row["version"]).first()
    was_published = framework is not None and framework.published
    framework = framework or Framework()
    values = _fields(fw_row, FRAMEWORK_SPEC, skip=("is_default", "published"))
    values.setdefault("description_nl", "")
    values.setdefault("description_en", "")
    if not w.save(framework, values, "framework"):
        return
    w.report.framework = framework

    def build_line(i: int, row: dict[str, Any], obj: models.Model | None) -> models.Model | None:
        line = obj or DevelopmentLine(framework=framework)
        vals = _fields(row, LINE_SPEC)
        vals.setdefault("order", i)
        vals.setdefault("examples_nl", [])
        vals.setdefault("examples_en", [])
        return line if w.save(line, vals, f"lines[{i}]") else None

    lines = w.sync_children(
        data["lines"],
        {ln.code: ln for ln in framework.lines.all()},
        "code",
        "lines",
        was_published,
        _("Development line"),
        build_line,
    )

    if "scales" in data:

        def build_scale(i: int, row: dict[str, Any], obj: models.Model | None) -> models.Model | None:
            scale = obj or RatingScale(framework=framework)
            if not w.save(scale, _fields(row, SCALE_SPEC), f"scales[{i}]"):
                return None
            assert isinstance(scale, RatingScale)

            def build_level(j: int, lrow: dict[str, Any], lobj: models.Model | None) -> models.Model | None:
                level = lobj or ScaleLevel(scale=scale)
                return level if w.save(level, _fields(lrow, LEVEL_SPEC), f"scales[{i}].levels[{j}]") else None

            w.sync_children(
                row["levels"],
                {lv.value: lv for lv in scale.levels.all()},
                "value",
                f"scales[{i}].levels",
                was_published,
                _("Scale level"),
                build_level,
            )
            return scale

        w.sync_children(
            data["scales"],
            {s.code: s for s in framework.scales.all()},
            "code",
            "scales",
            was_published,
            _("Rating scale"),
            build_scale,
        )
    if w.report.errors:
        return

    # A missing "published" keeps the stored state; only an explicit false withdraws.
    framework.published = bool(fw_row.get("published", was_published))
    if framework.published or was_published:
        try:
            framework.full_clean()
        except ValidationError as exc:
            w._record(exc, "framework")
            return
        if not was_published:
            framework.save(update_fields=["published"])
            w.report.updated += 1
    if fw_row.get("is_default", False) and not framework.is_default:
        if not framework.published:
            w.error("framework.is_default", _("Only a published framework can be the default."))
            return
        Framework.objects.filter(is_default=True).exclude(pk=framework.pk).update(is_default=False)
        framework.is_default = True
        framework.save(update_fields=["is_default"])

    scales = {s.code: s for s in framework.scales.all()}
    for i, row in enumerate(data.get("instruments", []), start=1):
        _write_instrument(framework, row, f"instruments[{i}]", lines, scales, w)


def _write_instrument(
    framework: Framework,
    row: dict[str, Any],
    path: str,
    lines: dict[Any, models.Model],
    scales: dict[str, RatingScale],
    w: _Writer,
) -> None:
    scale = scales.get(row["scale"])
    if scale is None:
        w.error(
            f"{path}.scale",
            _("No rating scale with code %(code)r in this framework.") % {"code": row["scale"]},
        )
        return
    instrument = Instrument.objects.filter(
        framework=framework, code=row["code"], version=row["version"]
    ).first()
    was_published = instrument is not None and instrument.published
    instrument = instrument or Instrument(framework=framework)
    values = _fields(row, INSTRUMENT_SPEC, skip=("scale", "published"))
    values.setdefault("description_nl", "")
    values.setdefault("description_en", "")
    values["scale"] = scale
    if not w.save(instrument, values, path):
        return

    def build_item(j: int, irow: dict[str, Any], obj: models.Model | None) -> models.Model | None:
        item = obj or Item(instrument=instrument)
        vals = _fields(irow, ITEM_SPEC, skip=("line",))
        vals.setdefault("order", j)
        vals.setdefault("weight", 1)
        vals["line"] = lines[irow["line"]]
        return item if w.save(item, vals, f"{path}.items[{j}]") else None

    w.sync_children(
        row["items"],
        {it.code: it for it in instrument.items.all()},
        "code",
        f"{path}.items",
        was_published,
        _("Item"),
        build_item,
    )
    if w.report.errors:
        return
    instrument.published = bool(row.get("published", was_published))
    if instrument.published or was_published:
        try:
            instrument.full_clean()
        except ValidationError as exc:
            w._record(exc, path)
            return
        if not was_published:
            instrument.save(update_fields=["published"])
            w.report.updated += 1

"""Import of an insurer's usage spreadsheet (CSV or XLSX): check the whole file, then
apply it in one transaction.

- A file that cannot be read is refused outright; nothing is stored.
- Row errors (row, column, reason) are stored as codes and shown in the reader's language;
  a file with any row error cannot be applied.
- Idempotent: a file applied before is refused as a whole (by its SHA-256), and a row whose
  key (organisation, quarter, intervention or theme, gender, age band, function group)
  was imported before is skipped and reported as a duplicate. Two rows with one key in
  the same file are an error: which one is right cannot be known.

The column mapping (``COLUMNS``) is shown on the upload page and in docs/care-reporting.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care.models import ImportStatus, InsurerImportBatch, InsurerUsageRow, Intervention, Theme
from vitaal.care.usage_counts import AGE_BANDS, UNKNOWN
from vitaal.core.models import FunctionGroup, Organisation, Sector, User
from vitaal.core.spreadsheets import UploadRejected, read_table

# (column, Dutch alias, required, meaning)
COLUMNS: list[tuple[str, str, bool, Any]] = [
    ("organisation", "organisatie", True, _("The organisation's code in vitaal (as in its web address).")),
    ("year", "jaar", True, _("The year, e.g. 2026.")),
    ("quarter", "kwartaal", True, _("The quarter: 1, 2, 3 or 4 (Q1 to Q4 also works).")),
    (
        "intervention",
        "interventie",
        False,
        _("The intervention's code in the catalog. Leave empty to report by theme."),
    ),
    (
        "theme",
        "thema",
        False,
        _(
            "Required without an intervention: physical, mental, lifestyle or other "
            "(or fysiek, mentaal, leefstijl, overig)."
        ),
    ),
    ("gender", "geslacht", False, _("f (or v), m, x; empty means unknown.")),
    ("age_band", "leeftijdsgroep", False, _("<35, 35-44, 45-54 or 55+; empty means unknown.")),
    (
        "function_group",
        "functiegroep",
        False,
        _("The function group's code, e.g. OP or OBP; empty means unknown."),
    ),
    ("users", "gebruikers", True, _("The number of employees who used it: a whole number, 0 or more.")),
    ("cost", "kosten", False, _("The cost in euros, e.g. 1250.50 or 1250,50; empty means 0.")),
]
ALIASES = {alias: name for name, alias, _r, _h in COLUMNS}
REQUIRED = [name for name, _a, required, _h in COLUMNS if required]

MESSAGES: dict[str, Any] = {
    "missing_column": _("The column “%(column)s” is missing."),
    "required": _("This value is required."),
    "unknown_organisation": _("There is no organisation with the code “%(value)s” in this sector."),
    "bad_year": _("“%(value)s” is not a year between 2000 and 2100."),
    "bad_quarter": _("“%(value)s” is not a quarter (1 to 4)."),
    "unknown_intervention": _("There is no intervention with the code “%(value)s” in the catalog."),
    "bad_theme": _("“%(value)s” is not a theme."),
    "theme_mismatch": _("The theme does not match the intervention's theme (%(theme)s)."),
    "theme_required": _("Give an intervention or a theme."),
    "bad_gender": _("“%(value)s” is not a gender code (f, v, m, x)."),
    "bad_age_band": _("“%(value)s” is not an age band (<35, 35-44, 45-54, 55+)."),
    "unknown_function_group": _("There is no function group with the code “%(value)s”."),
    "bad_users": _("“%(value)s” is not a whole number of 0 or more."),
    "bad_cost": _("“%(value)s” is not an amount of 0 or more."),
    "duplicate_in_file": _("This row repeats row %(other)s (same organisation, quarter and group)."),
    "already_imported": _("Imported before; this row was skipped."),
}
ALREADY_APPLIED = _("This file was imported before. Nothing was changed.")
NOT_ALLOWED = _("You are not allowed to do this.")
CANNOT_APPLY = _("This import cannot be applied: it has errors or was already handled.")

THEMES = {
    **{t.value: t.value for t in Theme},
    "fysiek": "physical",
    "lichamelijk": "physical",
    "mentaal": "mental",
    "psychisch": "mental",
    "leefstijl": "lifestyle",
    "overig": "other",
    "anders": "other",
}
GENDERS = {
    "f": "f",
    "v": "f",
    "vrouw": "f",
    "female": "f",
    "m": "m",
    "man": "m",
    "male": "m",
    "x": "x",
    "": "u",
}


def error_text(error: dict[str, Any]) -> str:
    """A stored row error in the active language."""
    return str(MESSAGES[error["code"]]) % error.get("params", {})


@dataclass(frozen=True)
class ParsedRow:
    number: int
    organisation_id: int
    year: int
    quarter: int
    theme: str
    intervention_id: int | None
    gender: str
    age_band: str
    function_group: str
    users: int
    cost: Decimal

    @cached_property
    def key(self) -> str:
        what = f"i{self.intervention_id}" if self.intervention_id else f"t{self.theme}"
        parts = [self.organisation_id, self.year, self.quarter, what, self.gender, self.age_band]
        return ":".join(str(p) for p in [*parts, self.function_group])


def _require(user: User, sector: Sector) -> None:
    if not user.has_perm("care.import_insurer_usage", sector):
        raise ValidationError(NOT_ALLOWED, code="not_allowed")


def parse(sector: Sector, filename: str, content: bytes) -> tuple[list[ParsedRow], list[dict[str, Any]]]:
    """The file's rows and its row errors. Raises ValidationError for an unreadable file."""
    try:
        headers, raw_rows = read_table(filename=filename, content=content)
    except UploadRejected as exc:
        raise ValidationError(exc.message, code="unreadable") from exc
    names = [ALIASES.get(h, h) for h in headers]
    errors: list[dict[str, Any]] = []
    for column in REQUIRED:
        if column not in names:
            errors.append(
                {"row": 1, "column": column, "code": "missing_column", "params": {"column": column}}
            )
    if errors:
        return [], errors
    organisations = {o.slug: o.pk for o in Organisation.objects.filter(sector=sector)}
    interventions = {i.code: (i.pk, i.theme) for i in Intervention.objects.filter(sector=sector)}
    groups = set(FunctionGroup.objects.filter(sector=sector).values_list("code", flat=True))
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rows, start=2):
        row = {ALIASES.get(k, k): v for k, v in raw.items()}
        if not any(row.values()):
            continue
        row_errors: list[dict[str, Any]] = []

        def fail(
            column: str, code: str, index: int = index, row_errors: list[Any] = row_errors, **params: Any
        ) -> None:
            row_errors.append({"row": index, "column": column, "code": code, "params": params})

        value = {name: (row.get(name) or "").strip() for name, _a, _r, _h in COLUMNS}
        for name in REQUIRED:
            if not value[name]:
                fail(name, "required")
        org_id = organisations.get(value["organisation"])
        if value["organisation"] and org_id is None:
            fail("organisation", "unknown_organisation", value=value["organisation"])
        year = _int(value["year"])
        if value["year"] and (year is None or not 2000 <= year <= 2100):
            fail("year", "bad_year", value=value["year"])
        quarter = _int(value["quarter"].upper().removeprefix("Q"))
        if value["quarter"] and (quarter is None or not 1 <= quarter <= 4):
            fail("quarter", "bad_quarter", value=value["quarter"])
        intervention_id, theme = None, THEMES.get(value["theme"].lower(), "")
        if value["theme"] and not theme:
            fail("theme", "bad_theme", value=value["theme"])
        if value["intervention"]:
            found = interventions.get(value["intervention"])
            if found is None:
                fail("intervention", "unknown_intervention", value=value["intervention"])
            else:
                intervention_id = found[0]
                if theme and theme != found[1]:
                    fail("theme", "theme_mismatch", theme=found[1])
                theme = found[1]
        elif not value["theme"]:
            fail("theme", "theme_required")
        gender = GENDERS.get(value["gender"].lower())
        if gender is None:
            fail("gender", "bad_gender", value=value["gender"])
        band = value["age_band"] or UNKNOWN
        if band not in (*AGE_BANDS, UNKNOWN):
            fail("age_band", "bad_age_band", value=value["age_band"])
        group = value["function_group"]
        if group and group not in groups:
            fail("function_group", "unknown_function_group", value=group)
        users = _int(value["users"])
        if value["users"] and (users is None or users < 0):
            fail("users", "bad_users", value=value["users"])
        cost = _money(value["cost"])
        if cost is None:
            fail("cost", "bad_cost", value=value["cost"])
        if row_errors:
            errors.extend(row_errors)
            continue
        item = ParsedRow(
            number=index,
            organisation_id=org_id or 0,
            year=year or 0,
            quarter=quarter or 0,
            theme=theme,
            intervention_id=intervention_id,
            gender=gender or "u",
            age_band=band,
            function_group=group,
            users=users or 0,
            cost=cost or Decimal(0),
        )
        if item.key in seen:
            fail("organisation", "duplicate_in_file", other=seen[item.key])
            errors.extend(row_errors)
            continue
        seen[item.key] = index
        parsed.append(item)
    return parsed, errors


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _money(text: str) -> Decimal | None:
    if not text:
        return Decimal(0)
    cleaned = text.replace("€", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        return None
    return amount.quantize(Decimal("0.01"))


def _row_key(sector: Sector, row: ParsedRow) -> str:
    return f"{sector.pk}:{row.key}"


def _existing_keys(rows: list[ParsedRow]) -> set[str]:
    """The keys of stored rows for the organisations and quarters the file covers: the
    only rows a file's row can repeat. Asked by period rather than by listing every key
    of a 100,000-row file in one IN (...)."""
    if not rows:
        return set()
    periods = Q()
    for year, quarter in {(r.year, r.quarter) for r in rows}:
        periods |= Q(year=year, quarter=quarter)
    # Organisations belong to one sector, so these rows are the sector's own.
    stored = InsurerUsageRow.objects.filter(periods, organisation_id__in={r.organisation_id for r in rows})
    return set(stored.values_list("row_key", flat=True))


def insurer_import_check(
    *, user: User, sector: Sector, insurer: str, filename: str, content: bytes
) -> InsurerImportBatch:
    """Check a file whole. An unreadable file or one imported before raises
    ValidationError and stores nothing; otherwise the batch records the check's outcome."""
    _require(user, sector)
    digest = hashlib.sha256(content).hexdigest()
    if InsurerImportBatch.objects.filter(
        sector=sector, content_sha256=digest, status=ImportStatus.APPLIED
    ).exists():
        raise ValidationError(ALREADY_APPLIED, code="already_applied")
    rows, errors = parse(sector, filename, content)
    existing = _existing_keys(rows)
    duplicates = [
        {"row": r.number, "column": "", "code": "already_imported", "params": {}}
        for r in rows
        if _row_key(sector, r) in existing
    ]
    return InsurerImportBatch.objects.create(
        sector=sector,
        insurer=insurer.strip(),
        filename=filename[:255],
        content=content,
        content_sha256=digest,
        status=ImportStatus.REJECTED if errors else ImportStatus.VALIDATED,
        rows_total=len(rows) + len({e["row"] for e in errors}),
        errors=errors[:500],
        duplicates=duplicates[:500],
        uploaded_by=user,
    )


@transaction.atomic
def insurer_import_apply(*, user: User, batch: InsurerImportBatch) -> int:
    """Apply a checked file in one transaction; returns the number of new rows. Rows
    imported before are skipped (and listed as duplicates)."""
    locked = InsurerImportBatch.objects.select_for_update().select_related("sector").get(pk=batch.pk)
    _require(user, locked.sector)
    if locked.status != ImportStatus.VALIDATED:
        raise ValidationError(CANNOT_APPLY, code="not_validated")
    applied = InsurerImportBatch.objects.filter(
        sector=locked.sector, content_sha256=locked.content_sha256, status=ImportStatus.APPLIED
    )
    if applied.exists():
        raise ValidationError(ALREADY_APPLIED, code="already_applied")
    rows, errors = parse(locked.sector, locked.filename, bytes(locked.content))
    if errors:
        raise ValidationError(CANNOT_APPLY, code="errors")
    keys = {_row_key(locked.sector, r): r for r in rows}
    existing = _existing_keys(rows)
    new = [
        InsurerUsageRow(
            batch=locked,
            organisation_id=r.organisation_id,
            year=r.year,
            quarter=r.quarter,
            theme=r.theme,
            intervention_id=r.intervention_id,
            gender=r.gender,
            age_band=r.age_band,
            function_group=r.function_group,
            users=r.users,
            cost=r.cost,
            row_key=key,
        )
        for key, r in keys.items()
        if key not in existing
    ]
    InsurerUsageRow.objects.bulk_create(new)
    locked.duplicates = [
        {"row": r.number, "column": "", "code": "already_imported", "params": {}}
        for key, r in keys.items()
        if key in existing
    ][:500]
    locked.status = ImportStatus.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["duplicates", "status", "applied_at"])
    return len(new)


@transaction.atomic
def insurer_import_cancel(*, user: User, batch: InsurerImportBatch) -> None:
    locked = InsurerImportBatch.objects.select_for_update().select_related("sector").get(pk=batch.pk)
    _require(user, locked.sector)
    if locked.status != ImportStatus.VALIDATED:
        raise ValidationError(CANNOT_APPLY, code="not_validated")
    locked.status = ImportStatus.CANCELLED
    locked.save(update_fields=["status"])

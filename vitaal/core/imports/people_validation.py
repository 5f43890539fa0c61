"""Validating employee records from the HR system before anything is written.

Reads CSV/XLSX rows or API records, checks every value of every row and builds a plan
(creates, updates, leavers) plus a list of errors by row, column and reason. Used by
vitaal.core.imports.people, which applies a plan in one transaction.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vitaal.core.models import FunctionGroup, Organisation, Person, Unit
from vitaal.core.spreadsheets import normalise_header, read_table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


MODES = ("partial", "full")
# More errors than this are not listed one by one: nobody reads them, and the job row
# would grow to megabytes.
MAX_ERRORS = 1000
# Rows per INSERT/UPDATE statement: well inside PostgreSQL's 65,535 parameters.
BATCH_SIZE = 1000

# (canonical column, Dutch alias, required?, description) — shown on the import page.
COLUMN_HELP: list[tuple[str, str, bool, StrOrPromise]] = [
    (
        "employee_number",
        "personeelsnummer",
        True,
        gettext_lazy("The employee number in the HR system; identifies the person."),
    ),
    ("first_name", "voornaam", False, gettext_lazy("First name.")),
    ("last_name", "achternaam", True, gettext_lazy("Last name, including any prefix.")),
    ("email", "e_mail", False, gettext_lazy("Work e-mail address.")),
    (
        "unit",
        "afdeling",
        False,
        gettext_lazy("The code of the unit (department, team) as set up in vitaal."),
    ),
    (
        "function_group",
        "functiegroep",
        False,
        gettext_lazy("The code of the function group, e.g. OP or OBP."),
    ),
    (
        "gender",
        "geslacht",
        False,
        gettext_lazy("f (or v), m or x; leave empty when unknown."),
    ),
    ("birth_year", "geboortejaar", False, gettext_lazy("Year of birth, e.g. 1975.")),
    (
        "weekly_hours",
        "uren_per_week",
        False,
        gettext_lazy("Contract hours per week, e.g. 32 or 36,5."),
    ),
    (
        "employment_start",
        "datum_in_dienst",
        False,
        gettext_lazy("Start of employment, as YYYY-MM-DD or DD-MM-YYYY."),
    ),
    (
        "employment_end",
        "datum_uit_dienst",
        False,
        gettext_lazy("End of employment, as YYYY-MM-DD or DD-MM-YYYY; empty if employed."),
    ),
]

COLUMNS = [c[0] for c in COLUMN_HELP]
REQUIRED_COLUMNS = [c[0] for c in COLUMN_HELP if c[2]]
_HEADER_MAP: dict[str, str] = {}
for _name, _alias, _required, _description in COLUMN_HELP:
    _HEADER_MAP[_name] = _name
    _HEADER_MAP[_alias] = _name

# Column -> Person attribute it sets.
_ATTRIBUTE = {
    "employee_number": "employee_number",
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "unit": "unit_id",
    "function_group": "function_group_id",
    "gender": "gender",
    "birth_year": "birth_year",
    "weekly_hours": "weekly_hours",
    "employment_start": "employment_start",
    "employment_end": "employment_end",
}

_GENDERS = {
    "v": "f",
    "vrouw": "f",
    "f": "f",
    "female": "f",
    "m": "m",
    "man": "m",
    "male": "m",
    "x": "x",
    "anders": "x",
    "other": "x",
    "u": "u",
    "onbekend": "u",
    "unknown": "u",
    "": "u",
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})([-.])(\d{1,2})\2(\d{4})$")


# --- Validation -------------------------------------------------------------------------


@dataclass
class _Change:
    """An existing person and the attributes that get a new value."""

    pk: int
    user_id: int | None
    values: dict[str, Any]


@dataclass
class _Plan:
    """What an import would do, or why it cannot. Plain values, not model instances:
    building 50,000 of those costs seconds that a validation does not need."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[_Change] = field(default_factory=list)
    leavers: list[_Change] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0
    extra_errors: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})
        else:
            self.extra_errors += 1

    def final_errors(self) -> list[dict[str, Any]]:
        if not self.extra_errors:
            return list(self.errors)
        return [
            *self.errors,
            {
                "row": 0,
                "column": "",
                "message": _("… and %(n)s more errors that are not listed.") % {"n": self.extra_errors},
            },
        ]

    def summary(self, mode: str) -> dict[str, Any]:
        valid = not self.errors
        return {
            "created": len(self.creates) if valid else 0,
            "updated": len(self.updates) if valid else 0,
            "unchanged": self.unchanged if valid else 0,
            "leavers": len(self.leavers) if valid else 0,
            "rows": self.rows,
            "mode": mode,
        }


def _parse_date(value: str) -> datetime.date | None:
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY_DATE.match(value)
        if not match:
            return None
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _text_parser(column: str, attribute: str) -> Callable[[str], Any]:
    max_length = cast(models.CharField, Person._meta.get_field(attribute)).max_length or 0

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("At most %(max)s characters are allowed (this value has %(n)s).")
                % {"max": max_length, "n": len(value)}
            )
        return value

    return parse


class _RowValidator:
    """Turns one row of text into Person attribute values, collecting errors."""

    def __init__(self, organisation: Organisation) -> None:
        self.units = {
            code.casefold(): pk
            for pk, code in Unit.objects.filter(organisation=organisation)
            .exclude(code="")
            .values_list("pk", "code")
        }
        self.function_groups = {
            code.casefold(): pk
            for pk, code in FunctionGroup.objects.filter(sector_id=organisation.sector_id).values_list(
                "pk", "code"
            )
        }
        self.this_year = timezone.localdate().year
        self.parsers: dict[str, Callable[[str], Any]] = {
            "employee_number": _text_parser("employee_number", "employee_number"),
            "first_name": _text_parser("first_name", "first_name"),
            "last_name": _text_parser("last_name", "last_name"),
            "email": self._email,
            "unit": self._unit,
            "function_group": self._function_group,
            "gender": self._gender,
            "birth_year": self._birth_year,
            "weekly_hours": self._weekly_hours,
            "employment_start": self._date,
            "employment_end": self._date,
        }

    def _email(self, value: str) -> str:
        if len(value) > 254:
            raise ValidationError(_("Enter a valid e-mail address."))
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(_("Enter a valid e-mail address.")) from exc
        return value

    def _unit(self, value: str) -> int:
        try:
            return self.units[value.casefold()]
        except KeyError:
            raise ValidationError(
                _("There is no unit with code “%(code)s” in this organisation.") % {"code": value}
            ) from None

    def _function_group(self, value: str) -> int:
        try:
            return self.function_groups[value.casefold()]
        except KeyError:
            raise ValidationError(
                _("There is no function group with code “%(code)s”.") % {"code": value}
            ) from None

    def _gender(self, value: str) -> str:
        try:
            return _GENDERS[value.casefold()]
        except KeyError:
            raise ValidationError(
                _("Unknown gender “%(value)s”: use f (or v), m or x, or leave it empty.") % {"value": value}
            ) from None

    def _birth_year(self, value: str) -> int:
        if value.isdigit() and 1900 <= int(value) <= self.this_year:
            return int(value)
        raise ValidationError(_("Enter a year between 1900 and %(max)s.") % {"max": self.this_year})

    def _weekly_hours(self, value: str) -> Decimal:
        try:
            hours = Decimal(value.replace(",", "."))
        except InvalidOperation:
            hours = Decimal("NaN")
        if not hours.is_finite() or not Decimal(0) <= hours <= Decimal(60):
            raise ValidationError(_("Enter a number of hours between 0 and 60, such as 32 or 36,5."))
        return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def _date(self, value: str) -> datetime.date:
        parsed = _parse_date(value)
        if parsed is None:
            raise ValidationError(
                _("Enter a valid date as YYYY-MM-DD or DD-MM-YYYY (for example 2024-03-01).")
            )
        return parsed

    def values(
        self, number: int, record: dict[str, str], plan: _Plan, *, require_keys: bool
    ) -> dict[str, Any] | None:
        """The attribute values of the columns present in ``record``, or None if invalid."""
        out: dict[str, Any] = {}
        ok = True
        for column in REQUIRED_COLUMNS:
            if (require_keys and column not in record) or (column in record and not record[column].strip()):
                plan.error(number, column, _("A value is required."))
                ok = False
        for column, raw in record.items():
            value = raw.strip()
            if column in REQUIRED_COLUMNS and not value:
                continue
            if not value and column != "gender":
                out[_ATTRIBUTE[column]] = "" if column in ("first_name", "email") else None
                continue
            try:
                out[_ATTRIBUTE[column]] = self.parsers[column](value)
            except ValidationError as exc:
                plan.error(number, column, exc.messages[0])
                ok = False
        return out if ok else None


def _plan(
    *,
    organisation: Organisation,
    records: Iterable[tuple[int, dict[str, str]]],
    mode: str,
    plan: _Plan,
    require_keys: bool,
) -> _Plan:
    """Validate every row (collecting all errors) and work out what applying would do."""
    validator = _RowValidator(organisation)
    existing = {
        row["employee_number"]: row
        for row in Person.objects.filter(organisation=organisation).values(
            "pk", "user_id", *_ATTRIBUTE.values()
        )
    }
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for number, record in records:
        plan.rows += 1
        values = validator.values(number, record, plan, require_keys=require_keys)
        employee_number = record.get("employee_number", "").strip()
        if employee_number:
            if employee_number in seen:
                plan.error(
                    number,
                    "employee_number",
                    _("Employee number %(number)s already appears in row %(row)s.")
                    % {"number": employee_number, "row": seen[employee_number]},
                )
                continue
            seen[employee_number] = number
        if values is None:
            continue
        person = existing.get(employee_number)
        before = person or {}
        start = values.get("employment_start", before.get("employment_start"))
        end = values.get("employment_end", before.get("employment_end"))
        if start and end and end < start:
            plan.error(
                number,
                "employment_end" if "employment_end" in values else "employment_start",
                _("The end of employment lies before its start."),
            )
            continue
        if plan.errors:
            # Keep validating for errors, but stop building a plan nobody will apply.
            continue
        if person is None:
            plan.creates.append(values)
            continue
        changed = {attr: value for attr, value in values.items() if person[attr] != value}
        if changed:
            plan.updates.append(_Change(pk=person["pk"], user_id=person["user_id"], values=changed))
        else:
            plan.unchanged += 1
    if plan.rows == 0 and not plan.errors:
        plan.error(0, "", _("There are no people to import."))
    if mode == "full" and not plan.errors:
        yesterday = today - datetime.timedelta(days=1)
        for number_, person in existing.items():
            if number_ in seen:
                continue
            start, end = person["employment_start"], person["employment_end"]
            if (start is not None and start > today) or (end is not None and end < today):
                continue  # not employed today: not yet started, or already left
            # Never end a contract before it started (someone who starts today).
            new_end = max(yesterday, start or yesterday)
            if end != new_end:
                plan.leavers.append(
                    _Change(
                        pk=person["pk"],
                        user_id=person["user_id"],
                        values={"employment_end": new_end},
                    )
                )
    return plan


def _file_records(filename: str, content: bytes, plan: _Plan) -> list[tuple[int, dict[str, str]]]:
    """Read the file and map its header to canonical columns; header problems are
    reported as errors in row 1. Raises UploadRejected."""
    headers, rows = read_table(filename=filename, content=content)
    mapping: dict[str, str] = {}
    for header in headers:
        canonical = _HEADER_MAP.get(header)
        if canonical is None:
            plan.error(
                1,
                header,
                _("Unknown column. The columns that can be imported are: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        elif canonical in mapping.values():
            plan.error(1, header, _("This column appears more than once (also under another name)."))
        else:
            mapping[header] = canonical
    for column in REQUIRED_COLUMNS:
        if column not in mapping.values():
            plan.error(1, column, _("The required column “%(column)s” is missing.") % {"column": column})
    records: list[tuple[int, dict[str, str]]] = []
    # Row 1 is the header, so the first data row is spreadsheet row 2.
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        if row.get(""):
            plan.error(number, "", _("This row has a value in a column without a heading."))
        records.append((number, {mapping[h]: v for h, v in row.items() if h in mapping}))
    return records


def _record_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal | str):
        return str(value)
    return None


def _api_records(records: list[Any], plan: _Plan) -> list[tuple[int, dict[str, str]]]:
    out: list[tuple[int, dict[str, str]]] = []
    reported_unknown: set[str] = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            plan.error(number, "", _("Each record must be an object with column names as keys."))
            continue
        mapped: dict[str, str] = {}
        for key, value in record.items():
            name = normalise_header(str(key))
            canonical = _HEADER_MAP.get(name)
            if canonical is None:
                if name not in reported_unknown:
                    reported_unknown.add(name)
                    plan.error(
                        number,
                        str(key),
                        _("Unknown column. The columns that can be imported are: %(columns)s.")
                        % {"columns": ", ".join(COLUMNS)},
                    )
                continue
            if canonical in mapped:
                plan.error(
                    number,
                    str(key),
                    _("This column appears more than once (also under another name)."),
                )
                continue
            text = _record_text(value)
            if text is None:
                plan.error(number, canonical, _("Enter text or a number."))
                continue
            mapped[canonical] = text
        out.append((number, mapped))
    return out

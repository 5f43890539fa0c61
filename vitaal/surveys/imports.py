"""Reading response files back (the inverse of ``exports``): SPSS .sav with codes, or
CSV/XLSX with value labels (Dutch or English) or codes. The whole file is checked against
the questionnaire's codebook first; one unknown column or value refuses the file with row,
column and reason, and nothing is stored (DESIGN §3 rule 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vitaal.core.spreadsheets import UploadRejected, normalise_header, read_table
from vitaal.surveys import services
from vitaal.surveys.exports import Variable, codebook
from vitaal.surveys.models import (
    AGREEMENT_SCALE,
    OTHER,
    Question,
    QuestionKind,
    ResponseSource,
    ResponseStatus,
    Wave,
)


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def read_file(path: Path) -> pd.DataFrame:
    """The file as a table, through the same checks as an upload on the web
    (``vitaal.core.spreadsheets.read_table``: size limit before anything is read, type by
    content, a workbook's unpacked size and compression ratio (zip bombs), the row limit).
    An operator's file is no more trusted than an upload: it may come from anywhere.
    Fully empty rows are skipped; the index keeps each row's place in the file."""
    suffix = path.suffix.lower()
    if suffix not in (".sav", ".csv", ".xlsx"):
        raise ImportRefused([f"{path.name}: use a .sav, .csv or .xlsx file."])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused([f"{path.name}: cannot be read ({exc.strerror})."]) from exc
    if size > settings.VITAAL_MAX_UPLOAD_BYTES:
        # Checked on the file's size, before a byte is read into memory.
        raise ImportRefused([f"{path.name}: {_too_large(size)}"])
    if suffix == ".sav":
        return _read_sav(path)
    try:
        header, rows = read_table(filename=path.name, content=path.read_bytes())
    except UploadRejected as exc:
        where = f"row {exc.row}, " if exc.row else ""
        raise ImportRefused([f"{path.name}: {where}{exc.message}"]) from exc
    frame = pd.DataFrame(
        [[row.get(name, "") for name in header] for row in rows], columns=header, dtype=object
    )
    if len(frame.columns):
        frame = frame[frame.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
    return frame


def _too_large(size: int) -> str:
    return str(
        _("The file is too large (%(size)s MB); the maximum is %(max)s MB.")
        % {
            "size": f"{size / (1024 * 1024):.1f}",
            "max": f"{settings.VITAAL_MAX_UPLOAD_BYTES / (1024 * 1024):.1f}",
        }
    )


def _read_sav(path: Path) -> pd.DataFrame:
    import pyreadstat

    max_rows = int(settings.VITAAL_MAX_IMPORT_ROWS)
    try:
        # One row more than allowed is enough to know that there are too many.
        frame, _meta = pyreadstat.read_sav(str(path), row_limit=max_rows + 1)
    except Exception as exc:  # a broken file of any kind is one clear refusal
        raise ImportRefused([f"{path.name}: cannot be read ({exc})."]) from exc
    if len(frame) > max_rows:
        raise ImportRefused([f"{path.name}: more than {max_rows} rows; split it into smaller files."])
    return frame


def _label_lookup(variable: Variable, question: Question) -> dict[str, int]:
    """Every text that stands for a number: the number itself, and the labels in both
    languages."""
    lookup = {str(number): number for number in variable.value_labels}
    lookup.update({label.strip().lower(): number for number, label in variable.value_labels.items()})
    if question.kind == QuestionKind.SINGLE:
        for option in question.options.all():
            number = next((n for n, code in variable.codes.items() if code == option.value), None)
            if number is not None:
                lookup[option.label_nl.strip().lower()] = number
                lookup[option.label_en.strip().lower()] = number
    if question.kind in (QuestionKind.AGREEMENT, QuestionKind.MATRIX):
        for language in ("nl", "en"):
            with translation.override(language):
                for code, label in AGREEMENT_SCALE:
                    lookup[str(label).strip().lower()] = int(code)
    return lookup


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def rows_from_frame(
    frame: pd.DataFrame, questions: list[Question]
) -> list[tuple[int, dict[str, Any], dict[str, str], str]]:
    """(row number in the file, raw answers, other texts, status) per row, or
    ``ImportRefused`` listing every unknown column and every value that does not fit.
    Column names match as written or as ``read_table`` normalises them (lower case)."""
    book = [variable for variable, _read in codebook(questions)]
    by_name = {normalise_header(v.name): v for v in book} | {v.name: v for v in book}
    by_code = {q.code: q for q in questions}
    errors = [
        f"column {name!r}: not a variable of this questionnaire."
        for name in frame.columns
        if name not in by_name and name != "status"
    ]
    if errors:
        raise ImportRefused(errors)
    lookups = {v.name: _label_lookup(v, by_code[v.question]) for v in book if v.value_labels}
    out: list[tuple[int, dict[str, Any], dict[str, str], str]] = []
    for index, row in frame.iterrows():
        number = int(index) + 2  # the header is row 1
        raw: dict[str, Any] = {}
        other: dict[str, str] = {}
        status = str(row.get("status", "") or ResponseStatus.COMPLETE).strip() or ResponseStatus.COMPLETE
        if status not in ResponseStatus.values:
            errors.append(f"row {number}, column 'status': {status!r} is not partial or complete.")
        for name, value in row.items():
            variable = by_name.get(str(name))
            if variable is None or _empty(value):
                continue
            question = by_code[variable.question]
            if variable.part == OTHER and not variable.value_labels:
                other[question.code] = str(value).strip()
                continue
            if variable.value_labels:
                key = (
                    str(int(value))
                    if isinstance(value, float) and value.is_integer()
                    else str(value).strip().lower()
                )
                coded = lookups[variable.name].get(key)
                if coded is None:
                    errors.append(f"row {number}, column {name!r}: {value!r} is not one of its answers.")
                    continue
                if question.kind == QuestionKind.MULTIPLE:
                    if coded == 1:
                        raw.setdefault(question.code, []).append(variable.part)
                elif question.kind == QuestionKind.MATRIX:
                    raw.setdefault(question.code, {})[variable.part] = variable.codes[coded]
                else:
                    raw[question.code] = variable.codes[coded]
            else:
                raw[question.code] = (
                    str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
                )
        out.append((number, raw, other, status))
    if errors:
        raise ImportRefused(errors)
    return out


@transaction.atomic
def responses_import(*, wave: Wave, frame: pd.DataFrame) -> int:
    """Store every row as a response, or nothing: answers are checked exactly as on the
    answer pages; a complete row must answer every shown required question."""
    questions = services.questions_of(wave.questionnaire)
    rows = rows_from_frame(frame, questions)
    errors: list[str] = []
    for number, raw, other, status in rows:
        response, _resume = services._new_response(wave, ResponseSource.IMPORT)
        try:
            services.response_save(response=response, raw=raw, other=other)
            if status == ResponseStatus.COMPLETE:
                services.response_submit(response=response)
        except ValidationError as exc:
            details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            errors.extend(
                f"row {number}, {code or 'row'}: {' '.join(msgs)}" for code, msgs in details.items()
            )
    if errors:
        raise ImportRefused(errors)  # leaving the atomic block with an error undoes every row
    return len(rows)

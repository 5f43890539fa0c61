"""Reading uploaded tables (CSV, XLSX) safely and writing spreadsheet exports.

Uploads come from outside, so everything is checked before it is parsed: size, type by
content (not by name), the uncompressed size of a workbook before anything is
decompressed, and the number of rows. Exports pass every string through ``safe_cell`` so
that a value typed into vitaal cannot turn into a formula in someone's Excel.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A worksheet's XML compresses well, but not a thousandfold; a member that claims more is
# a zip bomb. Small members are exempt because their ratio says nothing.
MAX_COMPRESSION_RATIO = 200
RATIO_EXEMPT_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

CSV_DELIMITERS = (",", ";", "\t")
CSV_EXTENSIONS = frozenset({"csv", "txt", "tsv"})
MACRO_EXTENSIONS = frozenset({"xlsm", "xltm", "xlam"})
# Characters that make a spreadsheet program treat a cell as a formula (or, for tab and
# carriage return, that some programs strip before doing so).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HEADER_SEP_RE = re.compile(r"[\s\-]+")
_SHEET_TITLE_BAD_RE = re.compile(r"[\[\]:*?/\\]")

_BINARY_SIGNATURES = (
    b"\xd0\xcf\x11\xe0",  # OLE2: old .xls, .doc
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf",
    b"Rar!",
)


class UploadRejected(Exception):
    """An uploaded file that cannot or may not be read. ``message`` is translated and fit
    to show to the user; ``row`` and ``column`` point at the spot when there is one."""

    def __init__(self, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


# --- Reading ----------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """'Datum in dienst ' -> 'datum_in_dienst', 'E-mail' -> 'e_mail'."""
    name = name.replace("\ufeff", "").strip().lower()
    return _HEADER_SEP_RE.sub("_", name)


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def read_table(*, filename: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header (normalised names) and the data rows of an uploaded CSV or XLSX file.

    Every row is a dict keyed by the header's names, values as stripped strings. Empty
    rows in the middle are kept (so that row numbers stay right; callers skip them),
    empty rows at the end are dropped. Values in columns without a header name are put
    under the key ``""`` so that the caller can report them. Raises UploadRejected.
    """
    max_bytes = settings.VITAAL_MAX_UPLOAD_BYTES
    if len(content) > max_bytes:
        raise UploadRejected(
            _("The file is too large (%(size)s MB); the maximum is %(max)s MB.")
            % {"size": _megabytes(len(content)), "max": _megabytes(max_bytes)}
        )
    if not content.strip():
        raise UploadRejected(_("The file is empty."))
    ext = _extension(filename)
    if ext in MACRO_EXTENSIONS:
        raise UploadRejected(
            _("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx or CSV.")
        )
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        grid = _read_xlsx(content)
    elif ext == "xlsx":
        raise UploadRejected(_("This file is not a valid Excel workbook (.xlsx)."))
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(
            _("The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV.")
        )
    elif ext and ext not in CSV_EXTENSIONS:
        raise UploadRejected(_("Only CSV files and Excel workbooks (.xlsx) can be imported."))
    else:
        grid = _read_csv(content)
    return _grid_to_rows(grid)


def _megabytes(n: int) -> str:
    size = n / (1024 * 1024)
    return f"{size:.1f}".removesuffix(".0") if size >= 1 else f"{size:.3f}".rstrip("0").rstrip(".")


def _max_rows() -> int:
    return int(settings.VITAAL_MAX_IMPORT_ROWS)


def _too_many_rows() -> UploadRejected:
    return UploadRejected(
        _("The file has more than %(max)s rows; split it into smaller files.")
        % {"max": f"{_max_rows():,}".replace(",", ".")}
    )


def _grid_to_rows(grid: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    # Leading and trailing empty rows carry nothing; the first row left is the header.
    while grid and not any(grid[-1]):
        grid.pop()
    start = 0
    while start < len(grid) and not any(grid[start]):
        start += 1
    grid = grid[start:]
    if not grid:
        raise UploadRejected(_("The file is empty."))
    names = [normalise_header(h) for h in grid[0]]
    seen: set[str] = set()
    for name in names:
        if not name:
            continue
        if name in seen:
            raise UploadRejected(
                _("The column “%(column)s” appears more than once in the header row.") % {"column": name},
                row=1,
                column=name,
            )
        seen.add(name)
    data = grid[1:]
    if len(data) > _max_rows():
        raise _too_many_rows()
    headers = [n for n in names if n]
    rows: list[dict[str, str]] = []
    width = len(names)
    for cells in data:
        row = dict.fromkeys(headers, "")
        for i, value in enumerate(cells):
            if not value:
                continue
            name = names[i] if i < width else ""
            if name:
                row[name] = value
            elif "" not in row:
                row[""] = value
        rows.append(row)
    return headers, rows


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or the
    Windows code page older Excel versions write."""
    unreadable = UploadRejected(
        _("The character encoding could not be recognised. Save the file as CSV UTF-8.")
    )
    if content.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.rstrip("\x1a")  # DOS end-of-file marker
    raise unreadable


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: Dutch Excel writes ';', others ',' or tab."""
    for line in text.splitlines():
        if not line.strip():
            continue
        counts = {d: _count_unquoted(line, d) for d in CSV_DELIMITERS}
        best = max(CSV_DELIMITERS, key=lambda d: counts[d])
        return best if counts[best] else ","
    return ","


def _count_unquoted(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _read_csv(content: bytes) -> list[list[str]]:
    if any(content.startswith(sig) for sig in _BINARY_SIGNATURES):
        raise UploadRejected(_("This is not a CSV file or Excel workbook."))
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected(_("This is not a text file; it contains binary data."))
    text = _decode(content)
    if _CONTROL_RE.search(text):
        raise UploadRejected(_("This is not a text file; it contains binary data."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    limit = _max_rows() + 1  # plus the header
    grid: list[list[str]] = []
    trailing_empty = 0
    try:
        for cells in reader:
            row = [c.strip() for c in cells]
            grid.append(row)
            trailing_empty = 0 if any(row) else trailing_empty + 1
            if len(grid) - trailing_empty > limit:
                raise _too_many_rows()
    except csv.Error as exc:
        raise UploadRejected(
            _("The CSV file could not be read near line %(line)s: %(reason)s")
            % {"line": reader.line_num, "reason": str(exc)}
        ) from exc
    return grid


def _check_xlsx_container(content: bytes) -> None:
    """Refuse anything but a plain workbook, looking only at the zip's directory first."""
    not_a_workbook = _("This file is not a valid Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRejected(not_a_workbook) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise UploadRejected(not_a_workbook)
        names = {info.filename for info in infos}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRejected(_("Workbooks with macros are not accepted. Save the file as .xlsx or CSV."))
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRejected(not_a_workbook)
        if any(info.flag_bits & 0x1 for info in infos):
            raise UploadRejected(_("Password-protected workbooks cannot be read. Remove the password first."))
        total = sum(info.file_size for info in infos)
        max_total = settings.VITAAL_MAX_UNCOMPRESSED_BYTES
        too_big = UploadRejected(
            _("The workbook unpacks to more than %(max)s MB, which is more than allowed.")
            % {"max": _megabytes(max_total)}
        )
        if total > max_total:
            raise too_big
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_EXEMPT_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise too_big
        # The sizes above are what the archive claims. Unpack in bounded chunks to make
        # sure it tells the truth before a parser that may trust it gets the file;
        # zipfile stops at the claimed size and then fails on the checksum.
        try:
            actual = 0
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        actual += len(chunk)
                        if actual > max_total:
                            raise too_big
            content_types = archive.read("[Content_Types].xml")
        except UploadRejected:
            raise
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise UploadRejected(not_a_workbook) from exc
        if b"macroEnabled" in content_types:
            raise UploadRejected(_("Workbooks with macros are not accepted. Save the file as .xlsx or CSV."))


def _read_xlsx(content: bytes) -> list[list[str]]:
    _check_xlsx_container(content)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        with workbook:
            index = next(
                (i for i, meta in enumerate(workbook.sheets_metadata) if meta.typ == SheetTypeEnum.WorkSheet),
                0,
            )
            sheet = workbook.get_sheet_by_index(index)
            # Reading one row more than allowed (plus header) is enough to know it is too many.
            raw = sheet.to_python(skip_empty_area=True, nrows=_max_rows() + 2)
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise UploadRejected(_("The workbook could not be read; it may be damaged.")) from exc
    grid = [[cell_to_text(v) for v in row] for row in raw]
    while grid and not any(grid[-1]):
        grid.pop()
    if len(grid) > _max_rows() + 1:
        raise _too_many_rows()
    return grid


def cell_to_text(value: Any) -> str:
    """A spreadsheet value as the text a person would type: dates as YYYY-MM-DD, whole
    numbers without '.0'."""
    kind = type(value)
    if kind is str:  # the common cases first: a large import calls this for every cell
        return value.strip()
    if value is None:
        return ""
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is int:
        return str(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value).strip()


# --- Writing ----------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Protect a value against formula injection (CWE-1236): text that a spreadsheet
    would run as a formula gets a leading apostrophe. Numbers, also as text, stay as
    they are, because '-5' is a value and not a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_PREFIXES) and not _NUMBER_RE.match(value):
        return "'" + value
    return value


def _clean_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def write_xlsx(*, headers: list[str], rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    """A one-sheet workbook with a bold, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    title = _SHEET_TITLE_BAD_RE.sub(" ", sheet_title).strip()[:31] or "Sheet1"
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(_clean_text(str(name))))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_export_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return safe_cell(_clean_text(value))
    if isinstance(value, int | float | Decimal | datetime.date | datetime.time | bool):
        return value
    return safe_cell(_clean_text(str(value)))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of an XLSX file that no cache keeps (it usually holds personal data)."""
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename) or "export.xlsx"
    if not safe_name.lower().endswith(".xlsx"):
        safe_name += ".xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "UploadRejected",
    "cell_to_text",
    "normalise_header",
    "read_table",
    "safe_cell",
    "write_xlsx",
    "xlsx_response",
]

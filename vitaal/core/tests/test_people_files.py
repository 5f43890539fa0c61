"""HR import of people: reading uploaded files safely, and the spreadsheet export."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from vitaal.core.imports import people as people_import
from vitaal.core.models import ImportJob, Membership, Person, Unit, User
from vitaal.core.spreadsheets import UploadRejected, read_table, safe_cell, write_xlsx
from vitaal.core.tests.people_import_support import (
    csv_bytes,
    upload,
    upload_and_apply,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("english")


# --- Reading files ----------------------------------------------------------------------


def test_csv_with_semicolons_and_bom(org, hr_user):
    headers, rows = read_table(filename="x.csv", content=csv_bytes(bom=True))

    assert headers[0] == "personeelsnummer"
    assert headers[3] == "e_mail"
    assert rows[0]["uren_per_week"] == "36,5"
    job = upload_and_apply(org, hr_user, csv_bytes(bom=True))
    assert job.summary["created"] == 3


def test_csv_in_windows_1252_with_commas_and_quotes(org, hr_user):
    content = ('employee_number,first_name,last_name\r\n1001,"Zoë","d\'Ancona, van"\r\n\r\n\r\n').encode(
        "cp1252"
    )

    job = upload_and_apply(org, hr_user, content)

    person = Person.objects.get(employee_number="1001")
    assert (person.first_name, person.last_name) == ("Zoë", "d'Ancona, van")
    assert job.summary["rows"] == 1


def test_tab_separated(org, hr_user):
    job = upload_and_apply(org, hr_user, b"Employee Number\tLast-Name\n1001\tJansen\n")

    assert job.summary["created"] == 1


def test_xlsx_round_trip(org, hr_user):
    content = xlsx_bytes(
        [
            ["Personeelsnummer", "Achternaam", "Geboortejaar", "Uren per week", "Datum in dienst"],
            [1001, "de Vries", 1975, 36.5, datetime.date(2010, 3, 1)],
            ["00042", "Jansen", 1980.0, 40, datetime.datetime(2015, 9, 1)],
            [None, None, None, None, None],
        ]
    )

    job = upload_and_apply(org, hr_user, content, filename="people.xlsx")

    assert job.summary["created"] == 2
    anna = Person.objects.get(employee_number="1001")
    assert (anna.birth_year, anna.weekly_hours) == (1975, Decimal("36.5"))
    assert anna.employment_start == datetime.date(2010, 3, 1)
    assert Person.objects.get(employee_number="00042").employment_start == datetime.date(2015, 9, 1)

    # What vitaal exports can be uploaded again without changing anything.
    exported = people_import.people_export_xlsx(
        people=list(Person.objects.select_related("unit", "function_group")), user=hr_user
    )
    again = upload(org, hr_user, exported, filename="export.xlsx")
    assert again.status == ImportJob.Status.VALIDATED, again.errors
    assert again.summary["unchanged"] == 2


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _rejected(org, user, content, filename):
    job = upload(org, user, content, filename=filename)
    assert job.status == ImportJob.Status.REJECTED
    assert len(job.errors) == 1
    assert job.errors[0]["row"] == 0
    assert not Person.objects.exists()
    return job.errors[0]["message"]


def test_zip_bomb_is_refused_before_unpacking(org, hr_user):
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100_000

    message = _rejected(org, hr_user, bomb, "bomb.xlsx")

    assert "MB" in message


def test_workbook_too_large_when_unpacked(org, hr_user, settings):
    settings.VITAAL_MAX_UNCOMPRESSED_BYTES = 1000
    content = xlsx_bytes([["employee_number", "last_name"], *[[i, f"Name {i}"] for i in range(200)]])

    message = _rejected(org, hr_user, content, "people.xlsx")

    assert "unpacks" in message


def test_macro_workbook_is_refused(org, hr_user):
    plain = xlsx_bytes([["employee_number", "last_name"], ["1", "A"]])
    buffer = io.BytesIO(plain)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x01" * 100)

    assert "macro" in _rejected(org, hr_user, buffer.getvalue(), "people.xlsx")
    assert "macro" in _rejected(org, hr_user, plain, "people.xlsm")


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "people.csv"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "people.csv"),
        (b"employee_number,last_name\n1,\0\0\0\n", "people.csv"),
        (_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "people.xlsx"),
        (b"employee_number,last_name\n1,A\n", "people.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "people.xls"),
        (b"employee_number,last_name\n1,A\n", "people.exe"),
        (b"", "people.csv"),
    ],
)
def test_wrong_file_type_is_refused(org, hr_user, content, filename):
    message = _rejected(org, hr_user, content, filename)

    assert message


def test_too_large_file_is_refused(org, hr_user, settings):
    settings.VITAAL_MAX_UPLOAD_BYTES = 100

    message = _rejected(org, hr_user, csv_bytes(), "people.csv")

    assert "MB" in message


def test_too_many_rows_is_refused(org, hr_user, settings):
    settings.VITAAL_MAX_IMPORT_ROWS = 2

    assert _rejected(org, hr_user, csv_bytes(), "people.csv")
    with pytest.raises(UploadRejected):
        read_table(
            filename="p.xlsx",
            content=xlsx_bytes([["employee_number"], ["1"], ["2"], ["3"]]),
        )
    # Empty trailing rows do not count.
    _headers, rows = read_table(filename="p.csv", content=b"a,b\n1,x\n2,y\n\n\n,\n")
    assert len(rows) == 2


def test_header_only_file_is_rejected(org, hr_user):
    job = upload(org, hr_user, b"employee_number;last_name\r\n")

    assert job.status == ImportJob.Status.REJECTED


# --- Export -----------------------------------------------------------------------------


def test_safe_cell():
    assert safe_cell('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert safe_cell("+cmd") == "'+cmd"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("-5") == "-5"
    assert safe_cell("-2,5") == "-2,5"
    assert safe_cell(-5) == -5
    assert safe_cell("Jansen") == "Jansen"
    assert safe_cell(None) is None


def test_export_is_safe_from_formula_injection(org, hr_user):
    person = Person.objects.create(
        organisation=org,
        employee_number="1",
        first_name='=HYPERLINK("http://x.example","klik")',
        last_name="@Jansen",
        unit=Unit.objects.get(code="FIN"),
    )

    content = people_import.people_export_xlsx(people=[person], user=hr_user)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["first_name"] == '\'=HYPERLINK("http://x.example","klik")'
    assert values["last_name"] == "'@Jansen"
    assert values["unit"] == "FIN"
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_export_contains_only_whitelisted_fields(org):
    manager = User.objects.create_user("manager@example.org", "x")
    unit = Unit.objects.get(code="FIN")
    Membership.objects.create(user=manager, role="manager", sector=org.sector, organisation=org, unit=unit)
    person = Person.objects.create(
        organisation=org,
        employee_number="1",
        last_name="Jansen",
        gender="f",
        birth_year=1970,
        unit=unit,
    )

    content = people_import.people_export_xlsx(people=[person], user=manager)

    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[1]]
    assert "gender" not in header
    assert "birth_year" not in header
    assert "employee_number" in header


def test_write_xlsx_and_response():
    from vitaal.core.spreadsheets import xlsx_response

    content = write_xlsx(headers=["a", "b"], rows=[["=1+1", 3]], sheet_title="Test: [1]")
    response = xlsx_response(content, "people export.xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    cells = [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[2]]
    assert cells == ["'=1+1", 3]

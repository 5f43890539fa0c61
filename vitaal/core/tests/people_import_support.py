"""Shared data and helpers for the HR import tests."""

from __future__ import annotations

import io

import openpyxl

from vitaal.core.imports import people as people_import
from vitaal.core.models import ImportJob

HEADER = "personeelsnummer;voornaam;achternaam;e-mail;afdeling;functiegroep;geslacht;geboortejaar;uren per week;datum in dienst;datum uit dienst"  # noqa: E501
ROWS = [
    "1001;Anna;de Vries;anna@example.org;FIN;OBP;v;1975;36,5;1-3-2010;",
    "1002;Bram;Jansen;bram@example.org;HR;OP;m;1980;40;2015-09-01;",
    "1003;Chris;Bakker;;fin;op;;1990;24;01-02-2020;",
]


def csv_bytes(rows: list[str] = ROWS, header: str = HEADER, *, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def upload(org, user, content, *, filename="people.csv", mode="partial"):
    return people_import.people_import_create(
        organisation=org, user=user, filename=filename, content=content, mode=mode
    )


def upload_and_apply(org, user, content, **kwargs):
    job = upload(org, user, content, **kwargs)
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    return people_import.people_import_apply(job=job, user=user)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

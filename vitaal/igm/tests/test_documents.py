"""The cycle's documents as structured forms, and their DOCX and PDF exports opened and
read back (python-docx; pdftotext)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.igm.models import CommunicationItem, DocumentKind, StartMemo
from vitaal.igm.services import cycle_close
from vitaal.igm.services.documents import document_save

from .access_plans import build_plans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def built(cast):
    return build_plans(cast)


def url(name, cast, **kw):
    return reverse(f"igm:{name}", kwargs={"org": cast.a.organisation.slug, **kw})


MEMO = {
    "motives": "Het verzuim stijgt al drie jaar.",
    "yield_concrete": "Twee procentpunt minder verzuim.",
    "yield_strategic": "Een aantrekkelijke werkgever blijven.",
    "goals": "Werkdruk omlaag in de piekweken.",
    "scope": "Alle teams van de faculteit.",
    "project_organisation": "Stuurgroep met directie, projectgroep met trekker.",
    "communication": "Intranet en teamoverleg.",
}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


def test_coordinator_writes_the_start_memo_and_exports_it(client, cast, built):
    login(client, cast.user("coordinator"))
    assert client.post(url("document_edit", cast, kind=DocumentKind.START_MEMO), MEMO).status_code == 302
    memo = StartMemo.objects.get(cycle=built["cycle"])
    assert memo.yield_strategic == MEMO["yield_strategic"]
    assert memo.updated_by == cast.user("coordinator")

    response = client.get(url("document_docx", cast, kind=DocumentKind.START_MEMO))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    from docx import Document

    docx = Document(io.BytesIO(response.content))
    texts = [p.text for p in docx.paragraphs]
    assert "Start memo" in texts
    assert "Expected yield: strategic" in texts
    assert MEMO["yield_strategic"] in texts
    assert MEMO["project_organisation"] in texts

    response = client.get(url("document_pdf", cast, kind=DocumentKind.START_MEMO))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Start memo" in text
    assert "Twee procentpunt minder verzuim." in text
    assert "Hogeschool A" in text


def test_communication_plan_table_in_both_exports(client, cast, built):
    login(client, cast.user("advisor"))
    data = {
        "audience": "Leidinggevenden",
        "message": "Uitleg over de nulmeting",
        "channel": "Leidinggevendenoverleg",
        "starts_on": "2025-02-01",
        "ends_on": "2025-02-28",
        "owner": "Trekker",
    }
    assert client.post(url("communication_item_add", cast), data).status_code == 302
    docx_response = client.get(url("document_docx", cast, kind=DocumentKind.COMMUNICATION_PLAN))
    from docx import Document

    docx = Document(io.BytesIO(docx_response.content))
    cells = [c.text for row in docx.tables[0].rows for c in row.cells]
    assert "Audience" in cells and "Leidinggevenden" in cells and "Uitleg over de nulmeting" in cells
    text = pdf_text(client.get(url("document_pdf", cast, kind=DocumentKind.COMMUNICATION_PLAN)).content)
    assert "Leidinggevenden" in text and "Communication plan" in text


def test_management_letter_pdf(client, cast, built):
    login(client, cast.user("management"))
    text = pdf_text(client.get(url("document_pdf", cast, kind=DocumentKind.MANAGEMENT_LETTER)).content)
    assert "Management letter" in text and "Directie" in text


def test_dates_out_of_order_change_nothing(client, cast, built):
    login(client, cast.user("coordinator"))
    before = CommunicationItem.objects.count()
    data = {
        "audience": "Iedereen",
        "message": "x",
        "channel": "Mail",
        "starts_on": "2025-03-01",
        "ends_on": "2025-02-01",
        "owner": "Trekker",
    }
    response = client.post(url("communication_item_add", cast), data)
    assert response.status_code == 200
    assert "The end date lies before the start date." in response.content.decode()
    assert CommunicationItem.objects.count() == before


def test_missing_fields_change_nothing(client, cast, built):
    login(client, cast.user("coordinator"))
    response = client.post(
        url("document_edit", cast, kind=DocumentKind.START_MEMO), {"motives": "Alleen dit"}
    )
    assert response.status_code == 200
    assert StartMemo.objects.get(cycle=built["cycle"]).motives == "Verzuim"


def test_unknown_kind_is_404(client, cast, built):
    login(client, cast.user("coordinator"))
    assert client.get(url("document_detail", cast, kind="memo")).status_code == 404
    assert client.get(url("document_docx", cast, kind="memo")).status_code == 404


def test_unwritten_document_has_no_export(client, cast, built):
    StartMemo.objects.all().delete()
    login(client, cast.user("coordinator"))
    assert client.get(url("document_pdf", cast, kind=DocumentKind.START_MEMO)).status_code == 404
    assert (
        "has not been written yet"
        in client.get(url("document_detail", cast, kind="start-memo")).content.decode()
    )


def test_works_council_reads_but_does_not_write(client, cast, built):
    login(client, cast.user("works_council"))
    assert client.get(url("document_detail", cast, kind=DocumentKind.START_MEMO)).status_code == 200
    assert client.post(url("document_edit", cast, kind=DocumentKind.START_MEMO), MEMO).status_code == 403
    assert StartMemo.objects.get(cycle=built["cycle"]).motives == "Verzuim"


def test_other_organisation_and_employee_are_refused(client, cast, built):
    login(client, cast.user("coordinator_b"))
    assert client.post(url("document_edit", cast, kind=DocumentKind.START_MEMO), MEMO).status_code == 404
    assert client.get(url("document_pdf", cast, kind=DocumentKind.START_MEMO)).status_code == 404
    client.logout()
    login(client, cast.user("employee"))
    assert client.get(url("document_docx", cast, kind=DocumentKind.START_MEMO)).status_code == 403
    assert StartMemo.objects.get(cycle=built["cycle"]).motives == "Verzuim"


def test_closed_cycle_refuses_changes(cast, built):
    from django.core.exceptions import ValidationError

    cycle_close(cycle=built["cycle"], closed_on=date(2025, 12, 31))
    with pytest.raises(ValidationError):
        document_save(cycle=built["cycle"], kind=DocumentKind.START_MEMO, values=MEMO, by=None)
    assert StartMemo.objects.get(cycle=built["cycle"]).motives == "Verzuim"

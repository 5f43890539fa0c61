"""Evidence beside a meter session and files of checklist steps: checked uploads, stored
under MEDIA_ROOT, served only through an access-checked view, removed by editors."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.igm.models import PhaseStep, SessionEvidence, StepAttachment
from vitaal.igm.models import evidence as evidence_module
from vitaal.igm.tests.conftest import new_session

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})


def url(name: str, cast, *args) -> str:
    return reverse(f"igm:{name}", args=[cast.a.organisation.slug, *args])


def _add(client, cast, session, name: str, content: bytes, kind: str = "rie", summary: str = "Findings."):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        url("evidence_add", cast, session.pk), {"kind": kind, "summary": summary, "file": upload}
    )


def test_pdf_evidence_is_stored_privately_and_served_only_to_readers(client, cast, small, tmp_path):
    session = new_session(cast, small)
    login(client, cast.user("coordinator"))
    assert _add(client, cast, session, "rie 2024.pdf", PDF).status_code == 302
    evidence = SessionEvidence.objects.get(session=session)
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(tmp_path) and stored.read_bytes() == PDF
    assert "rie 2024" not in stored.name  # a random name on disk
    page = client.get(url("session_detail", cast, session.pk)).content.decode()
    assert evidence.file.url not in page
    download = url("evidence_download", cast, evidence.pk)
    assert download in page
    login(client, cast.user("works_council"))
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    for role, status in (("hr", 403), ("employee", 403), ("coordinator_b", 404)):
        login(client, cast.user(role))
        assert client.get(download).status_code == status, role


def test_summary_only_evidence_is_fine(client, cast, small):
    session = new_session(cast, small)
    login(client, cast.user("advisor"))
    response = client.post(
        url("evidence_add", cast, session.pk), {"kind": "absence", "summary": "4.1% in 2024."}
    )
    assert response.status_code == 302
    assert SessionEvidence.objects.get().has_file is False


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "not accepted"),
        ("fake.pdf", b"<html>", "does not match"),
        ("image.png", PDF, "does not match"),
        ("data.csv", b"a,b\x00", "does not match"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_stored(client, cast, small, tmp_path, name, content, message):
    session = new_session(cast, small)
    login(client, cast.user("coordinator"))
    response = _add(client, cast, session, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SessionEvidence.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_too_large_files_are_refused(client, cast, small, monkeypatch):
    monkeypatch.setattr(evidence_module, "MAX_ATTACHMENT_BYTES", 10)
    session = new_session(cast, small)
    login(client, cast.user("coordinator"))
    response = _add(client, cast, session, "big.png", PNG)
    assert "larger than" in response.content.decode()
    assert not SessionEvidence.objects.exists()


def test_removal_by_editors_only_and_with_confirmation(client, cast, small):
    session = new_session(cast, small)
    login(client, cast.user("coordinator"))
    _add(client, cast, session, "survey.png", PNG, kind="survey")
    evidence = SessionEvidence.objects.get()
    path = Path(evidence.file.path)
    remove = url("evidence_remove", cast, evidence.pk)
    login(client, cast.user("management"))
    assert client.post(remove, {"confirm": "1"}).status_code == 403
    login(client, cast.user("coordinator"))
    assert client.post(remove).status_code == 302  # without confirmation: nothing removed
    assert SessionEvidence.objects.exists() and path.exists()
    assert client.post(remove, {"confirm": "1"}).status_code == 302
    assert not SessionEvidence.objects.exists() and not path.exists()


def test_step_attachments(client, cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    login(client, cast.user("coordinator"))
    upload = SimpleUploadedFile("letter.pdf", PDF)
    add = url("step_attachment_add", cast, cycle.number, step.pk)
    response = client.post(add, {"file": upload, "description": "Signed letter"})
    assert response.status_code == 302
    attachment = StepAttachment.objects.get(step=step)
    assert attachment.description == "Signed letter"
    client.post(add, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert StepAttachment.objects.count() == 1
    login(client, cast.user("management"))
    download = url("step_attachment_download", cast, cycle.number, attachment.pk)
    assert client.get(download).status_code == 200
    assert client.post(add, {"file": SimpleUploadedFile("b.pdf", PDF)}).status_code == 403
    login(client, cast.user("coordinator_b"))
    assert client.get(download).status_code == 404

"""Evidence beside a measurement and attachments of checklist steps.

A meter session is discussed with what the organisation already knows: RI&E findings,
results of an employee survey, absence figures, other documents. Each piece of evidence is
a summary text and, optionally, a file. Files live under ``MEDIA_ROOT`` with a random name
and are only ever served by an access-checked view, never from a public URL.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycle import PhaseStep
from .meter import MeterSession

# Extension -> content types a browser may send for it. The first is what we serve back.
ALLOWED_FILE_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "csv": ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _stored_name(prefix: str, filename: str) -> str:
    """A random file name that keeps only the (checked) extension of the upload."""
    ext = PurePath(filename).suffix.lower().lstrip(".")
    return f"igm/{prefix}/{uuid.uuid4().hex}.{ext}"


def evidence_upload_to(instance: Any, filename: str) -> str:
    return _stored_name("evidence", filename)


def step_upload_to(instance: Any, filename: str) -> str:
    return _stored_name("steps", filename)


class EvidenceKind(models.TextChoices):
    RIE = "rie", _("RI&E findings")
    SURVEY = "survey", _("Employee-survey results")
    ABSENCE = "absence", _("Absence figures")
    OTHER = "other", _("Other or file")


class StoredFile(models.Model):
    """The stored-file fields shared by evidence and step attachments."""

    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def has_file(self) -> bool:
        return bool(self.file)  # type: ignore[attr-defined]


class SessionEvidence(StoredFile):
    """One piece of evidence used when rating a meter session."""

    session = models.ForeignKey(
        MeterSession, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("meter session")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    summary = models.TextField(_("summary"))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["session", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.session_id})"

    @property
    def organisation(self) -> Any:
        return self.session.organisation


class StepAttachment(StoredFile):
    """A file kept with a checklist step of the cycle (a signed letter, minutes, a memo)."""

    step = models.ForeignKey(
        PhaseStep, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("phase step")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=step_upload_to, max_length=200)

    class Meta:
        verbose_name = _("step attachment")
        verbose_name_plural = _("step attachments")
        ordering = ["step", "pk"]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)

    @property
    def organisation(self) -> Any:
        return self.step.phase.cycle.organisation


_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def check_upload(upload: Any) -> tuple[str, str]:
    """Refuse a file that is too large, has an extension outside ``ALLOWED_FILE_TYPES``, or
    whose first bytes do not match that extension. Returns (safe original name, content
    type to serve it with)."""
    from django.core.exceptions import ValidationError

    name = PurePath(str(upload.name or "")).name[-200:]
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_FILE_TYPES:
        raise ValidationError(
            {"file": _("This kind of file is not accepted. Use PDF, XLSX, DOCX, CSV, PNG or JPG.")}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    ok = b"\x00" not in head if ext == "csv" else head.startswith(_SIGNATURES[ext])
    if not ok:
        raise ValidationError({"file": _("The content of the file does not match its extension.")})
    return name, ALLOWED_FILE_TYPES[ext][0]

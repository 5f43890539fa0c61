"""URL access table of the igm cycle area (see vitaal/core/testing_access.py).

POSTs are sent so that they change nothing that a later row depends on: without the
``confirm`` field a removal is refused, an empty close form is refused, a draft registration
cannot be verified. Sessions and phases are separate per row where a write would matter."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from vitaal.core.testing import Cast
from vitaal.core.testing_access import Access, org_a
from vitaal.igm.models import (
    Cycle,
    EvidenceKind,
    Framework,
    Instrument,
    MeterMode,
    MeterSession,
    PhaseStep,
    SessionEvidence,
    StepAttachment,
    WorksCouncilAdvice,
)

EDITORS = {"org_admin", "coordinator", "advisor"}
READERS = EDITORS | {"management", "works_council"}
ADVISERS = EDITORS | {"works_council"}
CONTACTS = {"org_admin", "coordinator"}
FILE_NAME = "igm/access-table/sample.pdf"


def prepare(cast: Cast) -> None:
    from vitaal.igm.services.cycle import cycle_start, works_council_advice_record
    from vitaal.igm.services.loader import framework_load_file
    from vitaal.igm.services.meter import meter_session_create
    from vitaal.igm.services.registration import phase_registration_save
    from vitaal.igm.tests.conftest import DATA

    if not Framework.objects.filter(published=True, is_default=True).exists():
        framework_load_file(path=DATA / "igm-default.json")
    instrument = Instrument.objects.filter(published=True).order_by("pk").first()
    assert instrument is not None
    org = cast.a.organisation
    cycle = cycle_start(organisation=org, started_on=date(2025, 1, 6), coordinator=cast.user("coordinator"))
    works_council_advice_record(cycle=cycle, subject="start_memo", requested_on=date(2025, 2, 1))
    for number in (1, 2, 3):
        phase_registration_save(phase=cycle.phases.get(number=number), values={"lessons_learned": "x"})
    if not default_storage.exists(FILE_NAME):
        default_storage.save(FILE_NAME, ContentFile(b"%PDF-1.4 access table\n"))
    step = PhaseStep.objects.filter(phase__cycle=cycle).order_by("pk").first()
    StepAttachment.objects.create(
        step=step, file=FILE_NAME, original_name="sample.pdf", content_type="application/pdf", size=10
    )
    for title in ("work", "close"):
        session = meter_session_create(
            organisation=org, instrument=instrument, mode=MeterMode.GROUP, date=date(2025, 3, 1), title=title
        )
    work = MeterSession.objects.get(organisation=org, title="work")
    SessionEvidence.objects.create(
        session=work,
        kind=EvidenceKind.RIE,
        summary="s",
        file=FILE_NAME,
        original_name="sample.pdf",
        content_type="application/pdf",
        size=10,
    )
    del session


def _cycle(c: Cast) -> dict[str, Any]:
    return {**org_a(c), "number": Cycle.objects.get(organisation=c.a.organisation).number}


def _phase(n: int) -> Any:
    return lambda c: {**_cycle(c), "phase": n}


def _session(title: str) -> Any:
    return lambda c: {
        **org_a(c),
        "pk": MeterSession.objects.get(organisation=c.a.organisation, title=title).pk,
    }


def _work_line(c: Cast) -> dict[str, Any]:
    session = MeterSession.objects.get(organisation=c.a.organisation, title="work")
    line = session.instrument.items.order_by("order").first().line  # type: ignore[union-attr]
    return {**_session("work")(c), "line": line.code}


def _step(c: Cast) -> dict[str, Any]:
    return {
        **_cycle(c),
        "pk": PhaseStep.objects.filter(phase__cycle__organisation=c.a.organisation).first().pk,
    }  # type: ignore[union-attr]


def _attachment(c: Cast) -> dict[str, Any]:
    return {**_cycle(c), "pk": StepAttachment.objects.get().pk}


def _evidence(c: Cast) -> dict[str, Any]:
    return {**org_a(c), "pk": SessionEvidence.objects.get().pk}


def _advice(c: Cast) -> dict[str, Any]:
    return {**_cycle(c), "pk": WorksCouncilAdvice.objects.get().pk}


ACCESS: dict[str, Access] = {
    "igm:overview": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:cycle_start": Access(kwargs=org_a, org=True, ok=EDITORS),
    "igm:cycle_detail": Access(kwargs=_cycle, org=True, ok=READERS),
    "igm:cycle_close": Access(kwargs=_cycle, org=True, ok=EDITORS, method="post", data={}, success=302),
    "igm:phase_edit": Access(kwargs=_phase(0), org=True, ok=EDITORS),
    "igm:step_edit": Access(kwargs=_step, org=True, ok=READERS),
    "igm:step_attachment_add": Access(
        kwargs=_step, org=True, ok=EDITORS, method="post", data={}, success=302
    ),
    "igm:step_attachment_download": Access(kwargs=_attachment, org=True, ok=READERS),
    "igm:step_attachment_remove": Access(
        kwargs=_attachment, org=True, ok=EDITORS, method="post", data={}, success=302
    ),
    "igm:group_member_add": Access(kwargs=_cycle, org=True, ok=EDITORS),
    "igm:coordinator_change": Access(kwargs=_cycle, org=True, ok=EDITORS),
    "igm:meeting_add": Access(kwargs=_cycle, org=True, ok=EDITORS),
    "igm:advice_add": Access(kwargs=_cycle, org=True, ok=ADVISERS),
    "igm:advice_edit": Access(kwargs=_advice, org=True, ok=ADVISERS),
    "igm:registration_detail": Access(kwargs=_phase(1), org=True, ok=READERS),
    "igm:registration_edit": Access(kwargs=_phase(1), org=True, ok=EDITORS),
    "igm:registration_submit": Access(
        kwargs=_phase(2), org=True, ok=EDITORS, method="post", data={}, success=302
    ),
    "igm:registration_verify": Access(
        kwargs=_phase(3), org=True, ok=CONTACTS, method="post", data={}, success=302
    ),
    "igm:session_create": Access(kwargs=org_a, org=True, ok=EDITORS),
    "igm:session_detail": Access(kwargs=_session("work"), org=True, ok=READERS),
    "igm:session_rate": Access(kwargs=_work_line, org=True, ok=EDITORS),
    "igm:session_participants": Access(
        kwargs=_session("work"), org=True, ok=EDITORS, method="post", data={}, success=302
    ),
    "igm:session_close": Access(
        kwargs=_session("close"), org=True, ok=EDITORS, method="post", data={}, success=302
    ),
    "igm:session_results": Access(kwargs=_session("work"), org=True, ok=READERS),
    "igm:evidence_add": Access(kwargs=_session("work"), org=True, ok=EDITORS),
    "igm:evidence_download": Access(kwargs=_evidence, org=True, ok=READERS),
    "igm:evidence_remove": Access(
        kwargs=_evidence, org=True, ok=EDITORS, method="post", data={}, success=302
    ),
}

"""URL access table of the igm plans area (see vitaal/core/testing_access.py).

``prepare`` builds an active cycle for organisation A with three plans (a draft for team 1
with a line, point, goal and action; a submitted one for team 2; a signed-off one for the
faculty), the three documents and a stored signal. Actions that change state are asked for
with GET, which shows their confirmation page, so the table never changes what it tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from vitaal.core.testing import Cast
from vitaal.core.testing_access import HAS_PERSON, Access, org_a
from vitaal.igm.models import (
    CommunicationItem,
    DocumentKind,
    Framework,
    Goal,
    ImprovementPoint,
    Plan,
    PlanLine,
    StoredSignal,
)
from vitaal.igm.services import (
    action_set,
    cycle_start,
    framework_load,
    goal_set,
    improvement_point_add,
    plan_create,
    plan_line_add,
    plan_sign_off,
    plan_submit,
)
from vitaal.igm.services.documents import communication_item_add, document_save

EDITORS = {"org_admin", "coordinator", "advisor"}
READERS = EDITORS | {"management", "works_council"}
CYCLE_READERS_ANYWHERE = READERS | {f"{r}_b" for r in READERS}
START = date(2025, 1, 6)

FRAMEWORK: dict[str, Any] = {
    "format": 1,
    "framework": {"code": "plans", "version": 1, "name_nl": "P", "name_en": "P", "published": True},
    "lines": [
        {"code": c, "name_nl": f"Lijn {c}", "name_en": f"Line {c}", "scope_nl": "s", "scope_en": "s"}
        for c in ("a", "b", "c")
    ],
    "scales": [
        {
            "code": "four",
            "name_nl": "Vier",
            "name_en": "Four",
            "levels": [
                {
                    "value": v,
                    "label_nl": str(v),
                    "label_en": str(v),
                    "description_nl": "d",
                    "description_en": "d",
                }
                for v in (1, 2, 3, 4)
            ],
        }
    ],
    "instruments": [
        {
            "code": "plans-meter",
            "version": 1,
            "variant": "long",
            "name_nl": "M",
            "name_en": "M",
            "scale": "four",
            "published": True,
            "items": [
                {"code": f"{c}{i}", "line": c, "text_nl": "t", "text_en": "t", "weight": 1}
                for c in ("a", "b", "c")
                for i in (1, 2)
            ],
        }
    ],
}


def build_plans(cast: Cast) -> dict[str, Any]:
    """The objects the plans pages need, for organisation A."""
    report = framework_load(data=FRAMEWORK)
    assert report.ok, report.errors
    framework = Framework.objects.get(code="plans")
    a = cast.a
    cycle = cycle_start(
        organisation=a.organisation,
        started_on=START,
        framework=framework,
        coordinator=cast.user("coordinator"),
    )
    lines = list(framework.lines.order_by("order"))
    draft = plan_create(cycle=cycle, unit=a.team1, summary_nl="Minder werkdruk.", summary_en="Less pressure.")
    plan_line = plan_line_add(plan=draft, line=lines[0])
    point = improvement_point_add(plan_line=plan_line, title="Piekweken")
    goal = goal_set(
        improvement_point=point,
        specific="Minder overwerk",
        indicator_name="Overwerkuren",
        target_value=Decimal(2),
        owner=cast.user("manager"),
        deadline=date(2025, 12, 1),
    )
    action = action_set(
        goal=goal, title="Rooster aanpassen", owner=cast.user("coordinator"), due_date=date(2025, 6, 1)
    )
    submitted = plan_create(cycle=cycle, unit=a.team2)
    plan_line_add(plan=submitted, line=lines[1])
    plan_submit(plan=submitted)
    signed = plan_create(
        cycle=cycle, unit=a.faculty, summary_nl="Samen gezond werken.", summary_en="Healthy together."
    )
    plan_line_add(plan=signed, line=lines[2])
    plan_submit(plan=signed)
    plan_sign_off(plan=signed, by=cast.user("management"))
    document_save(
        cycle=cycle,
        kind=DocumentKind.MANAGEMENT_LETTER,
        values={
            "addressed_to": "Alle medewerkers",
            "letter_date": START,
            "reason": "Gezond werk",
            "commitment": "Tijd en geld",
            "signatory": "Directie",
        },
        by=cast.user("coordinator"),
    )
    document_save(
        cycle=cycle,
        kind=DocumentKind.START_MEMO,
        values={
            "motives": "Verzuim",
            "yield_concrete": "Minder verzuim",
            "yield_strategic": "Goed werkgeverschap",
            "goals": "Doelen",
            "scope": "Hele organisatie",
            "project_organisation": "Stuurgroep",
            "communication": "Intranet",
        },
        by=cast.user("coordinator"),
    )
    item = communication_item_add(
        cycle=cycle,
        audience="Medewerkers",
        message="We starten",
        channel="Intranet",
        starts_on=START,
        owner="Trekker",
    )
    StoredSignal.objects.create(
        cycle=cycle,
        kind="action_overdue",
        severity="warning",
        subject_type="action",
        subject_id=action.pk,
        params={"action": action.title, "due_date": "2025-06-01"},
        computed_for=date(2025, 7, 1),
    )
    return {
        "cycle": cycle,
        "draft": draft,
        "submitted": submitted,
        "signed": signed,
        "plan_line": plan_line,
        "point": point,
        "goal": goal,
        "action": action,
        "item": item,
    }


def prepare(cast: Cast) -> None:
    build_plans(cast)


def _plan(c: Cast, unit_attr: str) -> Plan:
    return Plan.objects.get(cycle__organisation=c.a.organisation, unit=getattr(c.a, unit_attr))


def draft(c: Cast) -> dict[str, Any]:
    return {**org_a(c), "pk": _plan(c, "team1").pk}


def point_kw(c: Cast) -> dict[str, Any]:
    return {**draft(c), "point": ImprovementPoint.objects.get(plan_line__plan__unit=c.a.team1).pk}


def goal_kw(c: Cast) -> dict[str, Any]:
    goal = Goal.objects.get(improvement_point__plan_line__plan__unit=c.a.team1)
    return {**draft(c), "goal": goal.pk}


ACCESS: dict[str, Access] = {
    "igm:plan_list": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:plan_create": Access(kwargs=org_a, org=True, ok=EDITORS),
    "igm:plan_detail": Access(kwargs=draft, org=True, ok=READERS),
    "igm:plan_edit": Access(kwargs=draft, org=True, ok=EDITORS),
    "igm:plan_line_add": Access(kwargs=draft, org=True, ok=EDITORS),
    "igm:improvement_point_add": Access(
        kwargs=lambda c: {**draft(c), "line": PlanLine.objects.get(plan__unit=c.a.team1).pk},
        org=True,
        ok=EDITORS,
    ),
    "igm:goal_add": Access(kwargs=point_kw, org=True, ok=EDITORS),
    "igm:goal_edit": Access(
        kwargs=lambda c: {**point_kw(c), "goal": goal_kw(c)["goal"]},
        org=True,
        ok=EDITORS,
    ),
    "igm:action_add": Access(kwargs=goal_kw, org=True, ok=EDITORS),
    "igm:action_edit": Access(
        kwargs=lambda c: {
            **goal_kw(c),
            "action": Goal.objects.get(pk=goal_kw(c)["goal"]).actions.get().pk,
        },
        org=True,
        ok=EDITORS,
    ),
    "igm:plan_part_remove": Access(
        kwargs=lambda c: {
            **draft(c),
            "part": "line",
            "part_pk": PlanLine.objects.get(plan__unit=c.a.team1).pk,
        },
        org=True,
        ok=EDITORS,
    ),
    "igm:plan_submit": Access(kwargs=draft, org=True, ok=EDITORS),
    "igm:plan_sign_off": Access(
        kwargs=lambda c: {**org_a(c), "pk": _plan(c, "team2").pk}, org=True, ok={"management"}
    ),
    "igm:plan_reopen": Access(
        kwargs=lambda c: {**org_a(c), "pk": _plan(c, "faculty").pk}, org=True, ok={"coordinator"}
    ),
    "igm:initiative_add": Access(kwargs=org_a, org=True, ok=EDITORS),
    "igm:our_plan": Access(kwargs=org_a, org=True, ok=HAS_PERSON - {"employee_b", "manager_b"}),
    "igm:document_list": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:document_detail": Access(
        kwargs=lambda c: {**org_a(c), "kind": DocumentKind.START_MEMO}, org=True, ok=READERS
    ),
    "igm:document_edit": Access(
        kwargs=lambda c: {**org_a(c), "kind": DocumentKind.START_MEMO}, org=True, ok=EDITORS
    ),
    "igm:document_docx": Access(
        kwargs=lambda c: {**org_a(c), "kind": DocumentKind.MANAGEMENT_LETTER}, org=True, ok=READERS
    ),
    "igm:document_pdf": Access(
        kwargs=lambda c: {**org_a(c), "kind": DocumentKind.COMMUNICATION_PLAN}, org=True, ok=READERS
    ),
    "igm:communication_item_add": Access(kwargs=org_a, org=True, ok=EDITORS),
    "igm:communication_item_remove": Access(
        kwargs=lambda c: {
            **org_a(c),
            "pk": CommunicationItem.objects.get(plan__cycle__organisation=c.a.organisation).pk,
        },
        org=True,
        ok=EDITORS,
    ),
    "igm:signal_list": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:progress_report": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:progress_report_pdf": Access(kwargs=org_a, org=True, ok=READERS),
    "igm:digest_settings": Access(ok=CYCLE_READERS_ANYWHERE),
}


def closed_session(cast: Cast, unit: Any, levels: dict[str, int], *, day: date = date(2025, 2, 1)) -> Any:
    """A closed group meter session with the framework of ``build_plans``: every item of a
    line rated at ``levels[line code]``; ``unit`` None measures the whole organisation."""
    from vitaal.igm.models import Instrument, SessionPurpose
    from vitaal.igm.services import group_rating_set, meter_session_close, meter_session_create

    instrument = Instrument.objects.get(code="plans-meter")
    session = meter_session_create(
        organisation=cast.a.organisation,
        instrument=instrument,
        mode="group",
        date=day,
        unit=unit,
        purpose=SessionPurpose.BASELINE,
        title="Nulmeting",
    )
    for item in instrument.items.select_related("line"):
        group_rating_set(session=session, item=item, value=levels[item.line.code])
    return meter_session_close(session=session)

"""Writes for the improvement cycle: start and close a cycle, plan phases, tick off steps,
change the coordinator, record meetings, groups and works council advice.

Keyword-only, validated with ``full_clean()``, one transaction each; bad input raises
``ValidationError`` with a translatable message and changes nothing. Permission checks
belong to the caller (``igm.change_cycle``, ``igm.advise_cycle``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date as date_type
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.access import get_actor
from vitaal.core.models import Membership, Organisation, User
from vitaal.core.roles import Role
from vitaal.igm.models import (
    AdviceKind,
    AdviceOutcome,
    CoordinatorAssignment,
    Cycle,
    CycleStatus,
    Framework,
    GroupMembership,
    Meeting,
    Phase,
    PhaseNumber,
    PhaseStep,
    StepAttachment,
    StepStatus,
    WorksCouncilAdvice,
)
from vitaal.igm.models.cycle import CYCLE_CLOSED, ONE_ACTIVE_CYCLE, OTHER_CYCLE
from vitaal.igm.models.evidence import check_upload

DEFAULT_STEPS_FILE = Path(__file__).resolve().parent.parent / "data" / "cycle-steps.json"


class _Unset:
    """Marks an argument the caller did not pass, so that ``None`` can mean "clear it"."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@cache
def default_steps() -> dict[int, list[dict[str, str]]]:
    """The default checklist per phase number, read once from ``cycle-steps.json``."""
    data = json.loads(DEFAULT_STEPS_FILE.read_text(encoding="utf-8"))
    return {int(p["number"]): list(p["steps"]) for p in data["phases"]}


def _lock_active(cycle: Cycle) -> Cycle:
    locked = Cycle.objects.select_for_update().select_related("organisation").get(pk=cycle.pk)
    if not locked.is_active:
        raise ValidationError(CYCLE_CLOSED)
    return locked


def _require_member(organisation: Organisation, user: User, field: str) -> None:
    if not get_actor(user).touches_organisation(organisation):
        raise ValidationError({field: _("This person does not belong to the organisation of the cycle.")})


@transaction.atomic
def cycle_start(
    *,
    organisation: Organisation,
    started_on: date_type,
    framework: Framework | None = None,
    previous: Cycle | None = None,
    coordinator: User | None = None,
) -> Cycle:
    """Start the next cycle of an organisation with phases 0-5 and the default checklist.
    Without ``previous`` the last closed cycle is taken, so a second cycle starts from the
    evaluation of the first."""
    # Lock the organisation so two simultaneous starts cannot both pass the check below.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if Cycle.objects.filter(organisation=organisation, status=CycleStatus.ACTIVE).exists():
        raise ValidationError(ONE_ACTIVE_CYCLE)
    if framework is None:
        framework = Framework.objects.filter(is_default=True, published=True).first()
        if framework is None:
            raise ValidationError({"framework": _("There is no published default framework; choose one.")})
    existing = Cycle.objects.filter(organisation=organisation)
    if previous is None:
        previous = existing.filter(status=CycleStatus.CLOSED).order_by("-number").first()
    number = (existing.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = Cycle(
        organisation=organisation,
        number=number,
        previous=previous,
        framework=framework,
        started_on=started_on,
    )
    cycle.full_clean()
    cycle.save()
    steps = default_steps()
    for number_ in PhaseNumber.values:
        phase = Phase.objects.create(cycle=cycle, number=number_)
        PhaseStep.objects.bulk_create(
            PhaseStep(
                phase=phase,
                order=(i + 1) * 10,
                code=s["code"],
                title_nl=s["title_nl"],
                title_en=s["title_en"],
                track=s.get("track", "central"),
            )
            for i, s in enumerate(steps.get(number_, []))
        )
    if coordinator is not None:
        _require_member(organisation, coordinator, "coordinator")
        CoordinatorAssignment.objects.create(cycle=cycle, user=coordinator, from_date=started_on)
    return cycle


@transaction.atomic
def cycle_close(*, cycle: Cycle, closed_on: date_type) -> Cycle:
    cycle = _lock_active(cycle)
    cycle.status = CycleStatus.CLOSED
    cycle.closed_on = closed_on
    cycle.full_clean()
    cycle.save(update_fields=["status", "closed_on"])
    CoordinatorAssignment.objects.filter(cycle=cycle, to_date__isnull=True).update(
        to_date=max(closed_on, cycle.started_on)
    )
    return cycle


@transaction.atomic
def phase_update(
    *,
    phase: Phase,
    planned_start: date_type | None = UNSET,
    planned_end: date_type | None = UNSET,
    status: str = UNSET,
) -> Phase:
    """Plan a phase or change its status; the planned end may not lie before its start."""
    _lock_active(phase.cycle)
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    for field, value in (("planned_start", planned_start), ("planned_end", planned_end), ("status", status)):
        if value is not UNSET:
            setattr(phase, field, value)
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def step_update(
    *,
    cycle: Cycle,
    step: PhaseStep,
    status: str = UNSET,
    owner: User | None = UNSET,
    due_date: date_type | None = UNSET,
    done_date: date_type | None = UNSET,
    notes: str = UNSET,
    today: date_type | None = None,
) -> PhaseStep:
    """Update a checklist item of ``cycle``. Marking it done without a date records today;
    reopening it clears the date."""
    cycle = _lock_active(cycle)
    step = PhaseStep.objects.select_for_update().select_related("phase").get(pk=step.pk)
    if step.phase.cycle_id != cycle.pk:
        raise ValidationError(OTHER_CYCLE)
    if owner is not UNSET and owner is not None:
        _require_member(cycle.organisation, owner, "owner")
    for field, value in (("status", status), ("owner", owner), ("due_date", due_date), ("notes", notes)):
        if value is not UNSET:
            setattr(step, field, value)
    if done_date is not UNSET:
        step.done_date = done_date
    for field, value in (("due_date", step.due_date), ("done_date", step.done_date)):
        if value is not None and value < cycle.started_on:
            raise ValidationError({field: _("This date lies before the start of the cycle.")})
    if step.done_date is not None and step.done_date > (today or timezone.localdate()):
        raise ValidationError({"done_date": _("A step cannot be done on a date in the future.")})
    if step.status == StepStatus.DONE and step.done_date is None:
        step.done_date = today or timezone.localdate()
    elif step.status != StepStatus.DONE and done_date is UNSET:
        step.done_date = None
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def cycle_coordinator_change(*, cycle: Cycle, user: User, on_date: date_type) -> CoordinatorAssignment:
    """Hand the coordinator role to ``user`` from ``on_date``; the previous assignment ends
    the day before and stays on record."""
    cycle = _lock_active(cycle)
    _require_member(cycle.organisation, user, "user")
    if on_date < cycle.started_on:
        raise ValidationError({"on_date": _("The change cannot lie before the start of the cycle.")})
    current = (
        CoordinatorAssignment.objects.select_for_update().filter(cycle=cycle, to_date__isnull=True).first()
    )
    if current is not None:
        if current.user_id == user.pk:
            raise ValidationError({"user": _("This person already is the coordinator of the cycle.")})
        if on_date <= current.from_date:
            raise ValidationError(
                {"on_date": _("The change must lie after the start of the current coordinator.")}
            )
        current.to_date = on_date - timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["to_date"])
    assignment = CoordinatorAssignment(cycle=cycle, user=user, from_date=on_date)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def group_member_add(
    *,
    cycle: Cycle,
    user: User,
    group: str,
    from_date: date_type,
    to_date: date_type | None = None,
    role: str = "",
) -> GroupMembership:
    cycle = _lock_active(cycle)
    _require_member(cycle.organisation, user, "user")
    member = GroupMembership(
        cycle=cycle, user=user, group=group, role=role, from_date=from_date, to_date=to_date
    )
    member.full_clean()
    member.save()
    return member


def _management_among(organisation: Organisation, users: list[User]) -> bool:
    return (
        Membership.objects.active()
        .filter(user__in=users, role=Role.MANAGEMENT, organisation=organisation)
        .exists()
    )


@transaction.atomic
def meeting_record(
    *,
    cycle: Cycle,
    date: date_type,
    kind: str,
    attendees: Iterable[User] = (),
    management_present: bool | None = None,
    phase: Phase | None = None,
    minutes: str = "",
) -> Meeting:
    """Record a meeting. Without an explicit ``management_present`` it is derived from the
    attendees: true when one of them holds the management role in the organisation."""
    cycle = _lock_active(cycle)
    people = list(attendees)
    for person in people:
        _require_member(cycle.organisation, person, "attendees")
    if management_present is None:
        management_present = _management_among(cycle.organisation, people)
    meeting = Meeting(
        cycle=cycle,
        phase=phase,
        date=date,
        kind=kind,
        management_present=management_present,
        minutes=minutes,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(people)
    return meeting


@transaction.atomic
def works_council_advice_record(
    *,
    cycle: Cycle,
    subject: str,
    requested_on: date_type,
    kind: str = AdviceKind.ADVICE,
    given_on: date_type | None = None,
    outcome: str = AdviceOutcome.PENDING,
    note: str = "",
    recorded_by: User | None = None,
    advice: WorksCouncilAdvice | None = None,
) -> WorksCouncilAdvice:
    """Record a request for advice or consent, or (with ``advice``) its answer."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if advice is None:
        if not cycle.is_active:
            raise ValidationError(CYCLE_CLOSED)
        advice = WorksCouncilAdvice(cycle=cycle)
    else:
        advice = WorksCouncilAdvice.objects.select_for_update().get(pk=advice.pk)
        if advice.cycle_id != cycle.pk:
            raise ValidationError(OTHER_CYCLE)
    advice.subject = subject
    advice.kind = kind
    advice.requested_on = requested_on
    advice.given_on = given_on
    advice.outcome = outcome
    advice.note = note
    advice.recorded_by = recorded_by
    advice.full_clean()
    advice.save()
    return advice


@transaction.atomic
def step_attachment_add(
    *, cycle: Cycle, step: PhaseStep, upload: Any, description: str = "", added_by: User | None = None
) -> StepAttachment:
    """Keep a checked file with a checklist step of an active cycle."""
    cycle = _lock_active(cycle)
    if step.phase.cycle_id != cycle.pk:
        raise ValidationError(OTHER_CYCLE)
    name, content_type = check_upload(upload)
    attachment = StepAttachment(
        step=step,
        description=description.strip(),
        original_name=name,
        content_type=content_type,
        size=upload.size,
        added_by=added_by,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def step_attachment_remove(*, attachment: StepAttachment) -> None:
    if not attachment.step.phase.cycle.is_active:
        raise ValidationError(CYCLE_CLOSED)
    file = attachment.file
    with transaction.atomic():
        attachment.delete()
    if file:
        file.delete(save=False)

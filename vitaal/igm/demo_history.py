"""The IGM part of a history build (``vitaal demo --years 5``): every organisation that is
not one of the everyday demo's three stories gets an IGM history that fits the years, on
one of three tracks, in turn:

* *completed*: a first cycle that ran through all six phases (baseline and evaluation
  meter sessions, signed-off plans with their actions done, verified registrations) and
  was closed; a second cycle, started from it, now in phase 3, 4 or 5;
* *mid-cycle*: one cycle started one to three years ago, now in phase 3 or 4, with
  baseline sessions and plans (signed off once implementation started);
* *starting*: a cycle started weeks ago, in phase 0, 1 or 2, nothing measured yet.

Measured are the organisation as a whole, up to ``PARENTS_MEASURED`` faculties and
services and up to ``TEAMS_MEASURED`` teams, with the long IGM-meter. Rows go in with bulk writes: a fixed
number of queries per cycle, whatever the number of items, steps and units."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vitaal.core.models import Organisation, Unit, User
from vitaal.igm.models import (
    Action,
    ActionStatus,
    CoordinatorAssignment,
    Cycle,
    CycleStatus,
    DevelopmentLine,
    Framework,
    Goal,
    GroupRating,
    ImprovementPoint,
    Instrument,
    MeterMode,
    MeterSession,
    Phase,
    PhaseNumber,
    PhaseRegistration,
    PhaseStatus,
    PhaseStep,
    Plan,
    PlanLine,
    PlanStatus,
    RegistrationStatus,
    SessionPurpose,
    SessionStatus,
    StepStatus,
)
from vitaal.igm.services.cycle import default_steps

TRACKS = ("completed", "mid", "starting", "completed", "mid")
TEAMS_MEASURED = 8
PARENTS_MEASURED = 16
LAST_PHASE = PhaseNumber.EVALUATE
EVALUATION_LESSON = {
    "lessons_learned": "Meet opnieuw met dezelfde groepen als bij de nulmeting; dan zeggen de "
    "verschillen iets en herkennen de teams hun eigen vooruitgang.",
    "went_easier": "De tweede meting ging sneller, omdat iedereen de lijnen al kende.",
    "tangible_results": "Hogere scores op de lijnen waar de teams aan werkten.",
}


@dataclass
class Accounts:
    """The demo accounts of one organisation the history needs (None without accounts)."""

    coordinator: User | None
    management: User | None
    advisor: User | None


@dataclass
class Tally:
    cycles: int = 0
    sessions: int = 0
    ratings: int = 0
    plans: int = 0
    actions: int = 0
    registrations: int = 0
    tracks: dict[str, int] = field(default_factory=dict)


@dataclass
class Setting:
    """What stays the same for every cycle of the build."""

    framework: Framework
    instrument: Instrument
    items: list[Any]  # the instrument's items, with their line
    lines: dict[str, DevelopmentLine]
    levels: list[int]
    today: date
    span: int  # days of history
    plans: dict[str, dict[str, Any]]  # texts per development line (from the everyday demo)
    lessons: dict[int, dict[str, str]]


def setting(
    today: date, years: int, plans: dict[str, dict[str, Any]], lessons: dict[int, dict[str, str]]
) -> Setting:
    instrument = Instrument.objects.select_related("framework", "scale").get(code="igm-meter", version=1)
    framework = instrument.framework
    return Setting(
        framework=framework,
        instrument=instrument,
        items=list(instrument.items.select_related("line").order_by("order")),
        lines={line.code: line for line in framework.lines.all()},
        levels=instrument.scale.level_values(),
        today=today,
        span=365 * years - 30,
        plans=plans,
        lessons={**lessons, LAST_PHASE: EVALUATION_LESSON},
    )


def build_history(
    org: Organisation, units: list[Unit], index: int, accounts: Accounts, s: Setting, rng: random.Random
) -> tuple[list[Cycle], Tally]:
    """The IGM history of one organisation; returns its active cycles (for the signals)."""
    tally = Tally()
    track = TRACKS[index % len(TRACKS)]
    tally.tracks[track] = 1
    measured = _measured(org, units)
    today = s.today
    if track == "completed":
        first_start = today - timedelta(days=s.span)
        weeks = max(4, int(s.span * 0.5 / 7 / 6))
        first = _cycle(org, 1, None, first_start, weeks, None, accounts, measured, s, rng, tally)
        second_start = first.closed_on + timedelta(days=30) if first.closed_on else today
        current = rng.choice([3, 4, 5])
        weeks = max(3, (today - second_start).days // 7 // (current + 1))
        active = _cycle(org, 2, first, second_start, weeks, current, accounts, measured, s, rng, tally)
    elif track == "mid":
        current = rng.choice([3, 4])
        start = today - timedelta(days=int(s.span * rng.uniform(0.35, 0.7)))
        weeks = max(3, (today - start).days // 7 // (current + 1))
        active = _cycle(org, 1, None, start, weeks, current, accounts, measured, s, rng, tally)
    else:
        current = rng.choice([0, 1, 2])
        start = today - timedelta(weeks=rng.randint(3, 6) * (current + 1))
        weeks = max(3, (today - start).days // 7 // (current + 1))
        active = _cycle(org, 1, None, start, weeks, current, accounts, measured, s, rng, tally)
    return [active], tally


def _measured(org: Organisation, units: list[Unit]) -> list[Unit | None]:
    """The organisation as a whole, its faculties and services, and a few teams."""
    parents = Unit.objects.filter(organisation=org).exclude(kind="team").order_by("pk")[:PARENTS_MEASURED]
    teams = [u for u in units if u.kind == "team"][:TEAMS_MEASURED]
    return [None, *parents, *teams]


def _cycle(
    org: Organisation,
    number: int,
    previous: Cycle | None,
    started_on: date,
    weeks: int,
    current: int | None,
    accounts: Accounts,
    measured: list[Unit | None],
    s: Setting,
    rng: random.Random,
    tally: Tally,
) -> Cycle:
    """One cycle; ``current`` is the phase in progress, None for a closed cycle."""
    today = s.today
    closed_on = started_on + timedelta(weeks=6 * weeks) if current is None else None
    cycle = Cycle.objects.create(
        organisation=org,
        number=number,
        previous=previous,
        framework=s.framework,
        started_on=started_on,
        status=CycleStatus.CLOSED if current is None else CycleStatus.ACTIVE,
        closed_on=closed_on,
    )
    done_upto = 6 if current is None else current
    phases = Phase.objects.bulk_create(
        Phase(
            cycle=cycle,
            number=n,
            planned_start=started_on + timedelta(weeks=weeks * n),
            planned_end=started_on + timedelta(weeks=weeks * (n + 1)) - timedelta(days=1),
            status=PhaseStatus.DONE
            if n < done_upto
            else PhaseStatus.IN_PROGRESS
            if n == current
            else PhaseStatus.NOT_STARTED,
        )
        for n in PhaseNumber.values
    )
    _steps(phases, done_upto, current, today, rng)
    if accounts.coordinator is not None:
        CoordinatorAssignment.objects.create(
            cycle=cycle, user=accounts.coordinator, from_date=started_on, to_date=closed_on
        )
    tally.cycles += 1
    if done_upto > PhaseNumber.PLAN or current == PhaseNumber.PLAN:
        profiles = {_key(u): _profile(s, rng) for u in measured}
        baseline_day = started_on + timedelta(weeks=weeks * 2 + weeks // 2)
        _sessions(
            org, measured, cycle, baseline_day, SessionPurpose.BASELINE, profiles, accounts, s, rng, tally
        )
        _plans(cycle, measured, profiles, phases, current, accounts, s, rng, tally)
        if done_upto > PhaseNumber.IMPLEMENT or current == LAST_PHASE:
            improved = {
                key: {code: level + rng.uniform(-0.1, 0.8) for code, level in profile.items()}
                for key, profile in profiles.items()
            }
            evaluation_day = min(today, started_on + timedelta(weeks=weeks * 5 + weeks // 2))
            _sessions(
                org,
                measured,
                cycle,
                evaluation_day,
                SessionPurpose.EVALUATION,
                improved,
                accounts,
                s,
                rng,
                tally,
            )
    _registrations([p for p in phases if p.number < done_upto], accounts, s, tally)
    return cycle


def _key(unit: Unit | None) -> int:
    return unit.pk if unit is not None else 0


def _steps(phases: list[Phase], done_upto: int, current: int | None, today: date, rng: random.Random) -> None:
    steps = default_steps()
    rows = []
    for phase in phases:
        for i, spec in enumerate(steps.get(phase.number, [])):
            assert phase.planned_end is not None and phase.planned_start is not None
            done_on: date | None = None
            if phase.number < done_upto:
                done_on = min(phase.planned_end, today)
            elif phase.number == current and rng.random() < 0.4:
                done_on = min(phase.planned_start + timedelta(days=7 * (i + 1)), today)
            rows.append(
                PhaseStep(
                    phase=phase,
                    order=(i + 1) * 10,
                    code=spec["code"],
                    title_nl=spec["title_nl"],
                    title_en=spec["title_en"],
                    track=spec.get("track", "central"),
                    status=StepStatus.DONE if done_on else StepStatus.OPEN,
                    done_date=done_on,
                )
            )
    PhaseStep.objects.bulk_create(rows)


def _profile(s: Setting, rng: random.Random) -> dict[str, float]:
    tilt = {"strategy": -0.4, "local-environment": -0.5, "products-services": -0.3, "social-environment": 0.3}
    return {code: 2.3 + tilt.get(code, 0.0) + rng.uniform(-0.5, 0.5) for code in s.lines}


def _sessions(
    org: Organisation,
    measured: list[Unit | None],
    cycle: Cycle,
    day: date,
    purpose: str,
    profiles: dict[int, dict[str, float]],
    accounts: Accounts,
    s: Setting,
    rng: random.Random,
    tally: Tally,
) -> None:
    closed_at = datetime.combine(day, time(16), tzinfo=timezone.get_current_timezone())
    sessions = MeterSession.objects.bulk_create(
        MeterSession(
            organisation=org,
            unit=unit,
            instrument=s.instrument,
            title=f"IGM-meter {unit.name if unit else org.name}",
            mode=MeterMode.GROUP,
            date=day,
            status=SessionStatus.CLOSED,
            purpose=purpose,
            cycle_number=cycle.number,
            created_by=accounts.coordinator,
            closed_at=closed_at,
        )
        for unit in measured
    )
    low, high = s.levels[0], s.levels[-1]
    ratings = []
    for session, unit in zip(sessions, measured, strict=True):
        profile = profiles[_key(unit)]
        for item in s.items:
            if rng.random() < 0.04:
                ratings.append(GroupRating(session=session, item=item, answer="na", level=None))
                continue
            level = max(low, min(high, round(profile[item.line.code] + rng.gauss(0, 0.55))))
            note = "Discussie over de reikwijdte; uiteindelijk eensgezind." if rng.random() < 0.05 else ""
            ratings.append(GroupRating(session=session, item=item, answer="level", level=level, note=note))
    GroupRating.objects.bulk_create(ratings, batch_size=2000)
    tally.sessions += len(sessions)
    tally.ratings += len(ratings)


def _plans(
    cycle: Cycle,
    measured: list[Unit | None],
    profiles: dict[int, dict[str, float]],
    phases: list[Phase],
    current: int | None,
    accounts: Accounts,
    s: Setting,
    rng: random.Random,
    tally: Tally,
) -> None:
    """A plan per measured unit on its two weakest lines: signed off once the cycle is
    implementing (or closed), a draft or submitted while it is being written."""
    implementing = current is None or current >= PhaseNumber.IMPLEMENT
    owner = accounts.coordinator or accounts.management
    plan_phase = phases[PhaseNumber.PLAN]
    assert plan_phase.planned_end is not None
    signed_at = datetime.combine(
        min(plan_phase.planned_end, s.today), time(11), tzinfo=timezone.get_current_timezone()
    )
    signed = implementing and accounts.management is not None
    plans = Plan.objects.bulk_create(
        Plan(
            cycle=cycle,
            unit=unit,
            status=PlanStatus.SIGNED_OFF if signed else rng.choice([PlanStatus.DRAFT, PlanStatus.SUBMITTED]),
            summary_nl=f"{unit.name if unit else 'De hele organisatie'} werkt aan twee ontwikkellijnen.",
            summary_en=f"{unit.name if unit else 'The whole organisation'} works on two development lines.",
            submitted_at=signed_at if signed else None,
            signed_off_by=accounts.management if signed else None,
            signed_off_at=signed_at if signed else None,
        )
        for unit in measured
    )
    for plan in plans:
        if plan.status == PlanStatus.SUBMITTED:
            plan.submitted_at = signed_at
    Plan.objects.bulk_update([p for p in plans if p.status == PlanStatus.SUBMITTED], ["submitted_at"])
    weakest = {
        plan.pk: sorted(profiles[_key(unit)], key=lambda c: (profiles[_key(unit)][c], c))[:2]
        for plan, unit in zip(plans, measured, strict=True)
    }
    plan_lines = PlanLine.objects.bulk_create(
        PlanLine(plan=plan, line=s.lines[code], priority=priority)
        for plan in plans
        for priority, code in enumerate(weakest[plan.pk], start=1)
    )
    points = ImprovementPoint.objects.bulk_create(
        ImprovementPoint(plan_line=pl, order=1, title=_text(s, pl)["point"]) for pl in plan_lines
    )
    tally.plans += len(plans)
    if owner is None:
        return
    goals = Goal.objects.bulk_create(
        Goal(
            improvement_point=point,
            specific=_text(s, pl)["goal"],
            indicator_name=_text(s, pl)["indicator"],
            target_value=Decimal(_text(s, pl)["target"][0]),
            target_unit=_text(s, pl)["target"][1],
            owner=owner,
            realistic="Past binnen de bestaande overleggen en het budget van het team.",
            deadline=cycle.started_on + timedelta(days=rng.randint(300, 540)),
        )
        for point, pl in zip(points, plan_lines, strict=True)
    )
    actions = []
    for goal, pl in zip(goals, plan_lines, strict=True):
        for i, title in enumerate(_text(s, pl)["actions"]):
            due, status, done = _action_dates(cycle, current, i, pl.priority, s.today, rng)
            actions.append(
                Action(
                    goal=goal,
                    title=title,
                    owner=owner,
                    due_date=due,
                    hours=Decimal(rng.choice([4, 8, 16, 24])),
                    money=Decimal(rng.choice([0, 0, 250, 1500])),
                    status=status,
                    done_date=done,
                )
            )
    Action.objects.bulk_create(actions)
    tally.actions += len(actions)


def _text(s: Setting, plan_line: PlanLine) -> dict[str, Any]:
    return s.plans.get(plan_line.line.code, s.plans["strategy"])


def _action_dates(
    cycle: Cycle, current: int | None, i: int, priority: int, today: date, rng: random.Random
) -> tuple[date, str, date | None]:
    """Due date, status and done date of an action: all done in a closed cycle; while
    implementing the first is done and now and then the second is late."""
    if current is None or (current >= PhaseNumber.IMPLEMENT and i == 0):
        due = min(today - timedelta(days=1), cycle.started_on + timedelta(days=rng.randint(150, 320)))
        return due, ActionStatus.DONE, due
    if current >= PhaseNumber.IMPLEMENT and priority == 1 and rng.random() < 0.3:
        return today - timedelta(days=rng.randint(7, 40)), ActionStatus.IN_PROGRESS, None
    return today + timedelta(days=rng.randint(14, 200)), ActionStatus.OPEN, None


def _registrations(phases: list[Phase], accounts: Accounts, s: Setting, tally: Tally) -> None:
    """Verified annex-A registrations of the phases that are done."""
    if accounts.coordinator is None or not phases:
        return
    rows = []
    for phase in phases:
        assert phase.planned_end is not None
        when = datetime.combine(
            min(phase.planned_end, s.today), time(15), tzinfo=timezone.get_current_timezone()
        )
        rows.append(
            PhaseRegistration(
                phase=phase,
                **s.lessons[phase.number],
                enthusiasm="more" if phase.number not in (4, 5) else "unchanged",
                advisor_role="Procesbegeleiding en de IGM-meter in de teams.",
                investment_hours=Decimal(40 + 20 * phase.number),
                shareable=phase.number % 2 == 0,
                status=RegistrationStatus.VERIFIED,
                recorded_by=accounts.advisor,
                submitted_at=when,
                verified_by=accounts.coordinator,
                verified_at=when,
            )
        )
    PhaseRegistration.objects.bulk_create(rows)
    tally.registrations += len(rows)

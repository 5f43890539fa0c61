"""IGM demo data: three organisations at three stages of the improvement cycle, built
through the services (so every rule holds) and deterministic through ``context.rng``.

* the smallest organisation has just started: phase 0 done, phase 1 under way, the
  coordinator assigned, the start memo not written yet;
* the second is in phase 3: a baseline IGM-meter session (group mode) for four units and
  a draft plan of approach for each;
* the third is in phase 5: baseline and re-measurement per unit (the radar shows the
  deltas), signed-off plans with some actions done, and verified phase registrations it
  shares with the sector's learning network.

Then the toolbox is loaded, the learning network created, and the process-watch signals
of every active cycle computed and stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vitaal.core.hooks import DemoContext
from vitaal.core.models import Organisation, Unit, User
from vitaal.core.roles import Role
from vitaal.igm.models import (
    ActionStatus,
    Cycle,
    DevelopmentLine,
    Framework,
    Instrument,
    MeterMode,
    MeterSession,
    PhaseStatus,
    PracticeKind,
    SessionPurpose,
    StepStatus,
)
from vitaal.igm.selectors import session_line_scores
from vitaal.igm.services import (
    action_set,
    cycle_start,
    goal_set,
    group_rating_set,
    improvement_point_add,
    meter_session_close,
    meter_session_create,
    phase_registration_save,
    phase_registration_submit,
    phase_registration_verify,
    phase_update,
    plan_create,
    plan_line_add,
    plan_sign_off,
    plan_submit,
    plan_update,
    step_update,
)
from vitaal.igm.services.network import (
    network_create,
    network_member_add,
    practice_submit,
    toolbox_load,
)
from vitaal.igm.tasks import store_signals

NETWORK_NAME = "Leernetwerk IGM hbo"
UNITS_MID = 4
UNITS_LATE = 3

# Per development line: an improvement point, a SMART goal (indicator, target, unit) and
# two actions, in the words a hogeschool would use.
LINE_PLANS: dict[str, dict[str, Any]] = {
    "strategy": {
        "point": "Gezondheid als vast onderdeel van de teamplanning",
        "goal": "Elk teamjaarplan bevat twee gezondheidsdoelen met een eigenaar",
        "indicator": "Aandeel teamjaarplannen met gezondheidsdoelen",
        "target": ("100", "%"),
        "actions": ["Format teamjaarplan aanvullen", "Bespreken in het MT-overleg"],
    },
    "primary-process": {
        "point": "Piekbelasting rond toetsweken beter spreiden",
        "goal": "Toetsweken anders inroosteren zodat niemand meer dan twee pieken per blok heeft",
        "indicator": "Docenten met meer dan twee pieken per blok",
        "target": ("10", "%"),
        "actions": ["Roosterpatroon analyseren met het roosterbureau", "Proef met gespreide correctieweken"],
    },
    "physical-environment": {
        "point": "Werkplekken en stilteruimtes op orde",
        "goal": "Elke medewerker kan een stille werkplek reserveren",
        "indicator": "Tevredenheid over werkplek (medewerkerspeiling, 1-5)",
        "target": ("3.8", "score"),
        "actions": ["Werkplekonderzoek door de arbo-adviseur", "Twee stilteruimtes inrichten"],
    },
    "social-environment": {
        "point": "Werkdruk bespreekbaar maken in het team",
        "goal": "Werkdruk staat elk teamoverleg op de agenda, met afspraken",
        "indicator": "Aandeel teamoverleggen met werkdruk op de agenda",
        "target": ("90", "%"),
        "actions": ["Agenda teamoverleg aanpassen", "Training 'het goede gesprek' voor teamleiders"],
    },
    "vital-people": {
        "point": "Meer bewegen tijdens de werkdag",
        "goal": "De helft van het team doet mee aan de lunchwandeling of sportles",
        "indicator": "Deelname lunchwandeling en sportles",
        "target": ("50", "%"),
        "actions": ["Lunchwandelroutes uitzetten", "Balansdagen in het najaar"],
    },
    "local-environment": {
        "point": "Samenwerken met gemeente en sportverenigingen",
        "goal": "Twee afspraken met lokale partners over bewegen en vrijwilligerswerk",
        "indicator": "Aantal afspraken met lokale partners",
        "target": ("2", "afspraken"),
        "actions": ["Verkennend gesprek met de gemeente", "Aanbod sportverenigingen bundelen"],
    },
    "products-services": {
        "point": "Gezond aanbod in kantine en automaten",
        "goal": "Minstens 60 procent van het kantineaanbod is een gezonde keuze",
        "indicator": "Aandeel gezonde producten in het assortiment",
        "target": ("60", "%"),
        "actions": ["Afspraken met de cateraar", "Gewichtscampagne met de sportzaal"],
    },
}

LESSONS: dict[int, dict[str, str]] = {
    0: {
        "lessons_learned": "Zorg dat het college van bestuur zelf uitlegt waarom IGM ertoe doet; "
        "een brief van P&O alleen overtuigt de directeuren niet.",
        "went_easier": "De managementbrief was snel rond, omdat het thema werkdruk al speelde.",
        "decisive_arguments": "De koppeling aan het strategisch plan en aan het verzuim van "
        "het afgelopen jaar.",
    },
    1: {
        "lessons_learned": "Schrijf in de startnotitie concreet wat IGM oplevert, ook financieel; "
        "anders blijft de vraag naar de meerwaarde terugkomen.",
        "went_harder": "Het vinden van een trekker met genoeg tijd; de eerste kandidaat haakte af.",
        "dilemmas": "Starten met de hele hogeschool of eerst met een paar teams.",
    },
    2: {
        "lessons_learned": "De IGM-meter in groepen werkt het best als de reikwijdte per lijn vooraf "
        "wordt uitgelegd; anders gaat de discussie alle kanten op.",
        "went_easier": "Teams herkenden zich snel in de lijn 'gezonde sociale werkomgeving'.",
        "tools_and_results": "IGM-meter in groepsmodus met vier teams; radar besproken in het MT.",
    },
    3: {
        "lessons_learned": "Hou het bij twee lijnen per team en maak elk doel meetbaar met een "
        "kengetal dat al bestaat; dan is het plan in een paar weken klaar.",
        "went_harder": "Indicatoren vinden voor de sociale werkomgeving.",
        "process_results": "Drie ondertekende plannen van aanpak.",
    },
    4: {
        "lessons_learned": "Geef ruimte aan initiatieven buiten het plan; de lunchwandelingen "
        "ontstonden spontaan en liepen het best.",
        "went_harder": "Tijdens de reorganisatie van de diensten lag de uitvoering twee maanden stil.",
        "intangible_results": "Werkdruk wordt in de teams eerder en openlijker besproken.",
    },
}


@dataclass
class People:
    """The demo accounts of one organisation that the cycle needs (None without accounts)."""

    coordinator: User | None
    management: User | None
    advisor: User | None


def _user(role: str, org: Organisation) -> User | None:
    from vitaal.core.models import Membership

    membership = (
        Membership.objects.filter(role=role, organisation=org, unit__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _people(org: Organisation) -> People:
    return People(
        coordinator=_user(Role.COORDINATOR, org),
        management=_user(Role.MANAGEMENT, org),
        advisor=_user(Role.ADVISOR, org),
    )


def _units(units: list[Unit], n: int) -> list[Unit]:
    """``n`` units to measure: the teams first, then their faculties and services."""
    chosen = list(units[:n])
    for unit in units:
        if len(chosen) >= n:
            break
        parent = unit.parent
        if parent is not None and parent not in chosen:
            chosen.append(parent)
    return chosen


def _finish_phases(cycle: Cycle, upto: int, current: int, today: date, weeks_per_phase: int = 8) -> None:
    """Phases before ``upto`` done with their steps; ``current`` in progress."""
    start = cycle.started_on
    for phase in cycle.phases.order_by("number"):
        planned_start = start + timedelta(weeks=weeks_per_phase * phase.number)
        planned_end = planned_start + timedelta(weeks=weeks_per_phase) - timedelta(days=1)
        if phase.number < upto:
            status = PhaseStatus.DONE
        elif phase.number == current:
            status = PhaseStatus.IN_PROGRESS
        else:
            status = PhaseStatus.NOT_STARTED
        phase_update(phase=phase, planned_start=planned_start, planned_end=planned_end, status=status)
        if phase.number < upto:
            for step in phase.steps.all():
                done = min(planned_end, today)
                step_update(cycle=cycle, step=step, status=StepStatus.DONE, done_date=done)


def _rate(rng: random.Random, base: float) -> int | str:
    if rng.random() < 0.04:
        return "na"
    return max(1, min(4, round(base + rng.gauss(0, 0.55))))


def _session(
    *,
    org: Organisation,
    unit: Unit | None,
    instrument: Instrument,
    when: date,
    purpose: str,
    profile: dict[str, float],
    rng: random.Random,
    created_by: User | None,
    cycle_number: int,
) -> MeterSession:
    session = meter_session_create(
        organisation=org,
        instrument=instrument,
        mode=MeterMode.GROUP,
        date=when,
        unit=unit,
        purpose=purpose,
        cycle_number=cycle_number,
        created_by=created_by,
        title=f"IGM-meter {unit.name if unit else org.name}",
    )
    for item in instrument.items.select_related("line").order_by("order"):
        note = "Discussie over de reikwijdte; uiteindelijk eensgezind." if rng.random() < 0.1 else ""
        group_rating_set(session=session, item=item, value=_rate(rng, profile[item.line.code]), note=note)
    meter_session_close(session=session)
    return session


def _profile(lines: list[DevelopmentLine], rng: random.Random) -> dict[str, float]:
    """A unit's starting point per line: the strategy and the health of the products are
    usually less developed than the social environment (as in the pilots)."""
    tilt = {"strategy": -0.4, "local-environment": -0.5, "products-services": -0.3, "social-environment": 0.3}
    return {line.code: 2.3 + tilt.get(line.code, 0.0) + rng.uniform(-0.5, 0.5) for line in lines}


def _plan(
    *,
    cycle: Cycle,
    unit: Unit,
    session: MeterSession,
    lines: dict[str, DevelopmentLine],
    people: People,
    today: date,
    rng: random.Random,
    actions_done: bool,
) -> Any:
    """A plan for the unit on its two weakest lines, with a goal and two actions each."""
    scores = [s for s in session_line_scores(session) if s.score is not None]
    weakest = [s.line for s in sorted(scores, key=lambda s: (s.score, s.line))[:2]]
    plan = plan_create(cycle=cycle, unit=unit)
    plan_update(
        plan=plan,
        summary_nl=f"{unit.name} werkt dit jaar aan: "
        + " en ".join(lines[c].name_nl.lower() for c in weakest)
        + ".",
        summary_en=f"{unit.name} works on: " + " and ".join(lines[c].name_en.lower() for c in weakest) + ".",
    )
    owner = people.coordinator or people.management
    for priority, code in enumerate(weakest, start=1):
        text = LINE_PLANS.get(code, LINE_PLANS["strategy"])
        plan_line = plan_line_add(plan=plan, line=lines[code], priority=priority)
        point = improvement_point_add(plan_line=plan_line, title=text["point"])
        if owner is None:
            continue
        value, target_unit = text["target"]
        goal = goal_set(
            improvement_point=point,
            specific=text["goal"],
            owner=owner,
            deadline=today + timedelta(days=rng.randint(120, 300)),
            indicator_name=text["indicator"],
            target_value=Decimal(value),
            target_unit=target_unit,
            realistic="Past binnen de bestaande overleggen en het budget van het team.",
        )
        for i, title in enumerate(text["actions"]):
            done = actions_done and i == 0
            if done:
                due = cycle.started_on + timedelta(days=rng.randint(120, 300))
            elif actions_done:  # running for a year: one open action per plan is late
                due = (
                    today - timedelta(days=21)
                    if priority == 1
                    else today + timedelta(days=rng.randint(14, 120))
                )
            else:  # a draft plan plans ahead
                due = today + timedelta(days=rng.randint(30, 200))
            action_set(
                goal=goal,
                title=title,
                owner=owner,
                due_date=due,
                hours=Decimal(rng.choice([4, 8, 16, 24])),
                money=Decimal(rng.choice([0, 0, 250, 1500])),
                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                done_date=min(due, today) if done else None,
            )
    return plan


def _just_starting(org: Organisation, people: People, today: date) -> Cycle:
    cycle = cycle_start(
        organisation=org, started_on=today - timedelta(weeks=5), coordinator=people.coordinator
    )
    _finish_phases(cycle, upto=1, current=1, today=today, weeks_per_phase=4)
    return cycle


def _mid_cycle(
    org: Organisation,
    units: list[Unit],
    people: People,
    instrument: Instrument,
    today: date,
    rng: random.Random,
) -> tuple[Cycle, int]:
    cycle = cycle_start(
        organisation=org, started_on=today - timedelta(weeks=26), coordinator=people.coordinator
    )
    _finish_phases(cycle, upto=3, current=3, today=today)
    lines = {line.code: line for line in cycle.framework.lines.all()}
    chosen = _units(units, UNITS_MID)
    for i, unit in enumerate(chosen):
        session = _session(
            org=org,
            unit=unit,
            instrument=instrument,
            when=cycle.started_on + timedelta(weeks=17, days=i * 3),
            purpose=SessionPurpose.BASELINE,
            profile=_profile(list(lines.values()), rng),
            rng=rng,
            created_by=people.coordinator,
            cycle_number=cycle.number,
        )
        _plan(
            cycle=cycle,
            unit=unit,
            session=session,
            lines=lines,
            people=people,
            today=today,
            rng=rng,
            actions_done=False,
        )
    return cycle, len(chosen)


def _evaluating(
    org: Organisation,
    units: list[Unit],
    people: People,
    instrument: Instrument,
    today: date,
    rng: random.Random,
) -> tuple[Cycle, int]:
    cycle = cycle_start(
        organisation=org, started_on=today - timedelta(weeks=60), coordinator=people.coordinator
    )
    _finish_phases(cycle, upto=5, current=5, today=today, weeks_per_phase=11)
    lines = {line.code: line for line in cycle.framework.lines.all()}
    chosen = _units(units, UNITS_LATE)
    for i, unit in enumerate(chosen):
        profile = _profile(list(lines.values()), rng)
        baseline = _session(
            org=org,
            unit=unit,
            instrument=instrument,
            when=cycle.started_on + timedelta(weeks=23, days=i * 2),
            purpose=SessionPurpose.BASELINE,
            profile=profile,
            rng=rng,
            created_by=people.coordinator,
            cycle_number=cycle.number,
        )
        plan = _plan(
            cycle=cycle,
            unit=unit,
            session=baseline,
            lines=lines,
            people=people,
            today=today,
            rng=rng,
            actions_done=True,
        )
        prioritised = set(plan.lines.values_list("line__code", flat=True))
        improved = {
            code: level + (rng.uniform(0.5, 0.9) if code in prioritised else rng.uniform(-0.1, 0.3))
            for code, level in profile.items()
        }
        _session(
            org=org,
            unit=unit,
            instrument=instrument,
            when=today - timedelta(days=14 - i),
            purpose=SessionPurpose.EVALUATION,
            profile=improved,
            rng=rng,
            created_by=people.coordinator,
            cycle_number=cycle.number,
        )
        if people.management is not None:
            plan_submit(plan=plan)
            plan_sign_off(plan=plan, by=people.management)
    _registrations(cycle, people)
    return cycle, len(chosen)


def _registrations(cycle: Cycle, people: People) -> int:
    """Annex-A registrations of phases 0-4, verified by the coordinator and shared."""
    if people.coordinator is None:
        return 0
    count = 0
    for phase in cycle.phases.filter(number__lt=5).order_by("number"):
        values = {
            **LESSONS[phase.number],
            "enthusiasm": "more" if phase.number != 4 else "unchanged",
            "advisor_role": "Procesbegeleiding en de IGM-meter in de teams.",
            "investment_hours": Decimal(40 + 20 * phase.number),
            "shareable": True,
        }
        registration = phase_registration_save(phase=phase, values=values, recorded_by=people.advisor)
        phase_registration_submit(registration=registration)
        phase_registration_verify(registration=registration, by=people.coordinator)
        count += 1
    return count


def _network(context: DemoContext, late: Organisation, late_people: People) -> tuple[int, int]:
    from vitaal.core.models import Membership

    admin = (
        Membership.objects.filter(role=Role.SECTOR_ADMIN, sector=context.sector)
        .select_related("user")
        .first()
    )
    network = network_create(
        sector=context.sector,
        name=NETWORK_NAME,
        description="Hogescholen die met IGM werken, delen hier hun aanpak en hun lessen per fase.",
        created_by=admin.user if admin else None,
    )
    orgs = [org for org, _units in context.organisations]
    for i, org in enumerate(orgs):
        network_member_add(
            network=network,
            organisation=org,
            joined_on=timezone.localdate() - timedelta(days=max(30, 400 - 30 * i)),
            added_by=admin.user if admin else None,
        )
    shared = 0
    sharer = late_people.coordinator or late_people.advisor
    if sharer is not None:
        framework = Framework.objects.filter(is_default=True).order_by("-version").first()
        assert framework is not None
        lines = {line.code: line for line in framework.lines.all()}
        practice_submit(
            network=network,
            organisation=late,
            submitted_by=sharer,
            kind=PracticeKind.ACTIVITY,
            title="Lunchwandelingen per team",
            summary="Elk team wandelt op dinsdag twintig minuten in de lunchpauze; de teamleider loopt mee.",
            body="Begonnen als initiatief van twee docenten, later opgenomen in het plan van aanpak. "
            "Routes van 2 en 3 kilometer vanaf de hoofdingang; bij regen een korte oefensessie binnen.",
            lines=[lines["vital-people"], lines["social-environment"]],
            phases=[4],
            language="nl",
        )
        practice_submit(
            network=network,
            organisation=late,
            submitted_by=sharer,
            kind=PracticeKind.APPROACH,
            title="Werkdruk als vast agendapunt",
            summary="Werkdruk staat in elk teamoverleg op de agenda, met een korte ronde en één afspraak.",
            lines=[lines["social-environment"]],
            phases=[3, 4],
            language="nl",
        )
        shared = 2
    return len(orgs), shared


def build(context: DemoContext) -> None:
    """The demo builder registered in ``apps.py`` (runs after core and the default content)."""
    if context.history:
        _history(context)
    if len(context.organisations) < 3:
        context.lines.append("igm: fewer than three organisations, no IGM demo built")
        return
    today = timezone.localdate()
    rng = context.rng_for("igm")
    # The short IGM-meter keeps `vitaal demo` quick; every group rating goes through the
    # service with its checks, and the long meter has three times as many items.
    instrument = Instrument.objects.get(code="igm-meter-mkb", version=1)
    toolbox = toolbox_load()
    (small, _small_units), (mid, mid_units), (late, late_units) = context.organisations[:3]
    small_people, mid_people, late_people = _people(small), _people(mid), _people(late)

    cycles = [_just_starting(small, small_people, today)]
    mid_cycle, mid_n = _mid_cycle(mid, mid_units, mid_people, instrument, today, rng)
    late_cycle, late_n = _evaluating(late, late_units, late_people, instrument, today, rng)
    cycles += [mid_cycle, late_cycle]
    members, shared = _network(context, late, late_people)
    signals = sum(store_signals(cycle=c, today=today) for c in cycles)

    context.lines += [
        f"igm: {small.name} just started (phase 1, no start memo yet)",
        f"igm: {mid.name} in phase 3: baseline meter and draft plans for {mid_n} units",
        f"igm: {late.name} in phase 5: baseline and re-measurement for {late_n} units, signed-off plans",
        f"igm: toolbox {toolbox.created + toolbox.updated + toolbox.unchanged} practices; "
        f"learning network with {members} organisations, {shared} shared practices",
        f"igm: process-watch signals stored: {signals}",
    ]


def _history(context: DemoContext) -> None:
    """A history build: every organisation after the three stories below (all of them when
    there are fewer) gets an IGM history that fits the years (``demo_history``)."""
    from vitaal.igm import demo_history

    today = timezone.localdate()
    rng = context.rng_for("igm-history")
    setting = demo_history.setting(today, context.years, LINE_PLANS, LESSONS)
    orgs = context.organisations[3:] if len(context.organisations) >= 3 else context.organisations
    total = demo_history.Tally()
    signals = 0
    for index, (org, units) in enumerate(orgs):
        people = _people(org)
        accounts = demo_history.Accounts(people.coordinator, people.management, people.advisor)
        active, tally = demo_history.build_history(org, units, index, accounts, setting, rng)
        signals += sum(store_signals(cycle=c, today=today) for c in active)
        for name in ("cycles", "sessions", "ratings", "plans", "actions", "registrations"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        for track, n in tally.tracks.items():
            total.tracks[track] = total.tracks.get(track, 0) + n
    tracks = ", ".join(f"{track} {n}" for track, n in sorted(total.tracks.items()))
    context.lines += [
        f"igm history: {len(orgs)} organisations ({tracks}): {total.cycles} cycles, "
        f"{total.sessions} meter sessions with {total.ratings} ratings, {total.plans} plans with "
        f"{total.actions} actions, {total.registrations} verified registrations, {signals} signals",
    ]

"""Builders for the privacy tests: a care history for one employee, and helpers that move
rows back in time (through plain querysets: history rows refuse change otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from vitaal.care import services, workflow
from vitaal.care.models import CareRequest, HealthCheck, LedgerEntry, RequestEvent
from vitaal.care.tests.work_world import WorkWorld, build_work_world, in_progress, submit
from vitaal.care.workflow import Outcome
from vitaal.core.models import Person
from vitaal.core.testing import Cast
from vitaal.privacy.purge import plain
from vitaal.surveys.models import Wave


@dataclass
class History:
    world: WorkWorld
    done: CareRequest  # completed, with a session, costs booked and an evaluation
    withdrawn: CareRequest  # withdrawn before anything was booked
    check: HealthCheck


def care_history(cast: Cast, who: str = "employee") -> History:
    world = build_work_world(cast, with_requests=False)
    return add_history(world, who)


def add_history(world: WorkWorld, who: str = "employee") -> History:
    cast = world.cast
    user = cast.user(who)
    done = in_progress(world, who)
    workflow.delivery_session_register(
        user=cast.user("provider"),
        request=done,
        date=timezone.localdate(),
        duration_minutes=50,
        cost=Decimal("95.00"),
        note="Goed gesprek over werkdruk.",
    )
    done = workflow.care_request_complete(user=cast.user("provider"), request=done, outcome=Outcome.values[0])
    workflow.evaluation_submit(user=user, request=done, helped="yes", grade=8, comment="Fijne coach.")
    withdrawn = submit(world, world.coaching, who, description="Ik slaap slecht.")
    withdrawn = workflow.care_request_withdraw(user=user, request=withdrawn, reason="Gaat beter.")
    check = services.health_check_record(person=cast.a.people[who], who5=[3, 3, 2, 4, 3], work_ability=7)
    return History(world=world, done=done, withdrawn=withdrawn, check=check)


def age_requests(person: Person, years: int) -> None:
    """Move a person's care history ``years`` back (and a month more)."""
    shift = timedelta(days=365 * years + 30)
    for event in plain(RequestEvent).filter(request__person=person):
        plain(RequestEvent).filter(pk=event.pk).update(at=event.at - shift)
    for request in CareRequest.objects.filter(person=person):
        CareRequest.objects.filter(pk=request.pk).update(updated_at=request.updated_at - shift)


def age_ledger(person: Person, years: int) -> None:
    plain(LedgerEntry).filter(care_request__person=person).update(year=timezone.localdate().year - years)


def age_checks(person: Person, years: int) -> None:
    HealthCheck.objects.filter(person=person).update(
        taken_on=timezone.localdate() - timedelta(days=365 * years + 30)
    )


def survey_wave(cast: Cast, responses: int = 0) -> Wave:
    """A closed wave of the shipped employee questionnaire with ``responses`` answers to
    its first choice question."""
    from vitaal.surveys.models import Answer, SurveyResponse
    from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

    questionnaire = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "employee_survey.json")
    ).questionnaire
    wave = Wave.objects.create(
        questionnaire=questionnaire, sector=cast.sector, organisation=cast.a.organisation, title="Peiling"
    )
    question = questionnaire.questions.filter(kind="single").order_by("position").first()
    assert question is not None
    for i in range(responses):
        response = SurveyResponse.objects.create(
            wave=wave,
            resume_key_hash=f"{i:064d}",
            status="complete",
            source="open_link",
            started_on=date.today(),
            submitted_on=date.today(),
        )
        Answer.objects.create(response=response, question=question, choice="a" if i % 3 else "b")
    return wave

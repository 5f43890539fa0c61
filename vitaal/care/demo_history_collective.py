"""Collective activities of a history build (``vitaal demo --years N``): every organisation
runs a few workshops and trainings each history year, most of which went ahead with
employees enrolled, a few cancelled for too few enrolments. Written in bulk."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vitaal.care.models import ActivityStatus, CollectiveActivity, Enrolment, Intervention, Provider
from vitaal.core.models import Person, User

from .demo_history import windows

if TYPE_CHECKING:
    from vitaal.core.hooks import DemoContext

PER_ORGANISATION_YEAR = 6
SHARE_CANCELLED = 0.15
BATCH = 2000


def build_history(context: DemoContext, author: User, interventions: list[Intervention]) -> int:
    """Past activities for every organisation and history year; returns how many."""
    rng = context.rng_for("collective-history")
    today = timezone.localdate()
    spans = windows(today, context.years)
    providers: dict[int, Provider | None] = {
        i.pk: Provider.objects.filter(sector=context.sector, interventions=i, is_active=True)
        .order_by("code")
        .first()
        for i in interventions
    }
    made = 0
    for org, _units in context.organisations:
        staff = list(
            Person.objects.filter(organisation=org, user__isnull=True)
            .order_by("pk")
            .values_list("pk", "employment_start", "employment_end")
        )
        activities: list[CollectiveActivity] = []
        takers: list[list[int]] = []
        for window in spans:
            for _n in range(PER_ORGANISATION_YEAR):
                day = window.draw(rng)
                if day >= today - timedelta(days=7):
                    continue  # the open ones of now come from the everyday builder
                starts = timezone.make_aware(datetime.combine(day, time(rng.choice([10, 13, 15]), 0)))
                intervention = rng.choice(interventions)
                capacity = rng.choice([12, 16, 20, 24])
                minimum = rng.choice([5, 6, 8])
                cancelled = rng.random() < SHARE_CANCELLED
                employed = [
                    pk
                    for pk, start, end in staff
                    if (start is None or start <= day) and (end is None or end >= day)
                ]
                size = rng.randint(1, minimum - 1) if cancelled else rng.randint(minimum, capacity)
                deadline = starts - timedelta(days=7)
                activities.append(
                    CollectiveActivity(
                        sector=context.sector,
                        organisation=org,
                        intervention=intervention,
                        provider=providers.get(intervention.pk),
                        title=intervention.name_nl,
                        description="Een bijeenkomst in een kleine groep, onder werktijd.",
                        location=f"{org.name}, zaal {rng.randint(1, 12)}",
                        starts_at=starts,
                        enrolment_deadline=deadline,
                        capacity=capacity,
                        min_participants=minimum,
                        status=ActivityStatus.CANCELLED if cancelled else ActivityStatus.GO,
                        decided_at=deadline,
                        created_by=author,
                        created_at=deadline - timedelta(days=42),
                    )
                )
                takers.append(rng.sample(employed, min(size, len(employed))))
        activities = CollectiveActivity.objects.bulk_create(activities, batch_size=BATCH)
        enrolments = [
            Enrolment(
                activity=activity,
                person_id=pk,
                created_at=activity.enrolment_deadline - timedelta(days=rng.randint(1, 30)),
            )
            for activity, people in zip(activities, takers, strict=True)
            for pk in people
        ]
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        made += len(activities)
    return made

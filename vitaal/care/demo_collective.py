"""Demo builder: collective activities in the demo sector. One open workshop per demo
organisation (employees can enrol from its page), and one sector-wide session whose
deadline has passed and that went ahead, with participants."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vitaal.care.models import ActivityStatus, CollectiveActivity, Enrolment, Intervention, Provider
from vitaal.core.models import Membership, Person, User
from vitaal.core.roles import Role

if TYPE_CHECKING:
    from vitaal.core.hooks import DemoContext

TITLES = [
    ("mindfulness", "Mindfulness in acht weken: kennismaking"),
    ("lifestyle-workshop", "Workshop gezonde leefstijl"),
    ("physical-load-training", "Training fysieke belasting voor docenten"),
]


def _author(sector_id: int) -> User | None:
    membership = (
        Membership.objects.active()
        .filter(sector_id=sector_id, role=Role.CARE_COORDINATOR, organisation__isnull=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None else None


def build(context: DemoContext) -> None:
    sector = context.sector
    author = _author(sector.pk)
    interventions = {
        i.code: i for i in Intervention.objects.filter(sector=sector, collective=True, is_active=True)
    }
    if author is None or not interventions:
        return
    now = timezone.now()
    created = 0
    for index, (org, _units) in enumerate(context.organisations):
        code, title = TITLES[index % len(TITLES)]
        intervention = interventions.get(code) or next(iter(interventions.values()))
        provider = Provider.objects.filter(sector=sector, interventions=intervention, is_active=True).first()
        activity = CollectiveActivity(
            sector=sector,
            organisation=org,
            intervention=intervention,
            provider=provider,
            title=title,
            description="Een bijeenkomst in een kleine groep, onder werktijd. Aanmelden kan tot de deadline.",
            location=f"{org.name}, vergaderzaal 1",
            starts_at=now + timedelta(days=21 + index),
            enrolment_deadline=now + timedelta(days=14 + index),
            capacity=16,
            min_participants=6,
            created_by=author,
        )
        activity.full_clean()
        activity.save()
        created += 1
    past = CollectiveActivity(
        sector=sector,
        intervention=next(iter(interventions.values())),
        title="Sectorbijeenkomst werkdruk en herstel",
        location="Utrecht",
        starts_at=now - timedelta(days=20),
        enrolment_deadline=now - timedelta(days=30),
        capacity=30,
        min_participants=8,
        status=ActivityStatus.GO,
        decided_at=now - timedelta(days=30),
        created_by=author,
    )
    past.full_clean()
    past.save()
    people = list(
        Person.objects.filter(organisation__sector=sector, employment_end__isnull=True).order_by("pk")[:400]
    )
    for person in context.rng_for("collective").sample(people, min(12, len(people))):
        Enrolment.objects.create(activity=past, person=person, created_at=now - timedelta(days=35))
    if context.history:
        from .demo_history_collective import build_history

        created += build_history(context, author, list(interventions.values()))
    context.lines.append(f"care: {created + 1} collective activities")

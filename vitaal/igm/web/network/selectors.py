"""Reads of the learning network: searching practices, and the lessons member
organisations share from their verified phase registrations.

A lesson is a verified phase registration marked shareable, reduced to ``LESSON_FIELDS``:
what happened and what was learned. Fields about people (who played which role, who
recorded or verified it) are never part of a lesson."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from vitaal.igm.models import (
    LearningNetwork,
    PhaseRegistration,
    Practice,
    RegistrationStatus,
)
from vitaal.igm.web.network.access import network_member_orgs, scope_practices

# What a lesson shows of a phase registration (annex A), in display order.
LESSON_FIELDS = (
    "lessons_learned",
    "went_easier",
    "went_harder",
    "dilemmas",
    "decisive_arguments",
    "tools_and_results",
    "unplanned_activities",
    "external_factors",
    "internal_conditions",
    "process_results",
    "tangible_results",
    "intangible_results",
    "most_striking",
)
# Text searched by the lesson search.
LESSON_SEARCH_FIELDS = ("lessons_learned", "went_easier", "went_harder", "dilemmas", "most_striking")


@dataclass(frozen=True)
class PracticeFilter:
    text: str = ""
    line_code: str = ""
    phase: int | None = None
    kind: str = ""
    source: str = ""
    network_id: int | None = None


def search_practices(user: Any, f: PracticeFilter) -> QuerySet[Practice]:
    """Practices the user may read that match the filter, with what the list shows."""
    qs = scope_practices(Practice.objects.all(), user)
    if f.text:
        for word in f.text.split()[:8]:
            qs = qs.filter(
                Q(title_nl__icontains=word)
                | Q(title_en__icontains=word)
                | Q(summary_nl__icontains=word)
                | Q(summary_en__icontains=word)
                | Q(body_nl__icontains=word)
                | Q(body_en__icontains=word)
            )
    if f.line_code:
        qs = qs.filter(lines__code=f.line_code)
    if f.phase is not None:
        qs = qs.filter(phases__contains=f",{f.phase},")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.network_id is not None:
        qs = qs.filter(network_id=f.network_id)
    return (
        qs.distinct()
        .select_related("network", "organisation")
        .prefetch_related("lines")
        .order_by("source", "title_nl", "title_en", "pk")
    )


@dataclass(frozen=True)
class Lesson:
    """A shared lesson: the phase and organisation it comes from, and its texts."""

    pk: int
    organisation: str
    size_class: str
    cycle_number: int
    phase: int
    phase_label: str
    verified_at: Any
    texts: list[tuple[str, str]]


def _lesson_queryset(network: LearningNetwork) -> QuerySet[PhaseRegistration]:
    members = network.memberships.values("organisation_id")
    return PhaseRegistration.objects.filter(
        status=RegistrationStatus.VERIFIED,
        shareable=True,
        phase__cycle__organisation_id__in=members,
    )


def network_lessons(
    *, network: LearningNetwork, user: Any, text: str = "", phase: int | None = None
) -> list[Lesson]:
    """The lessons of a network for one of its members (empty for anyone else)."""
    if not network_member_orgs(user, network):
        return []
    qs = _lesson_queryset(network)
    if phase is not None:
        qs = qs.filter(phase__number=phase)
    for word in text.split()[:8]:
        q = Q()
        for field in LESSON_SEARCH_FIELDS:
            q |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(q)
    rows = qs.select_related("phase__cycle__organisation").order_by("-verified_at", "pk")
    labels = {f: getattr(PhaseRegistration._meta.get_field(f), "verbose_name", f) for f in LESSON_FIELDS}
    lessons = []
    for reg in rows:
        org = reg.phase.cycle.organisation
        lessons.append(
            Lesson(
                pk=reg.pk,
                organisation=org.name,
                size_class=str(org.get_size_class_display()),
                cycle_number=reg.phase.cycle.number,
                phase=reg.phase.number,
                phase_label=str(reg.phase.get_number_display()),
                verified_at=reg.verified_at,
                texts=[(str(labels[f]), getattr(reg, f)) for f in LESSON_FIELDS if getattr(reg, f)],
            )
        )
    return lessons


def lesson_count(network: LearningNetwork) -> int:
    return _lesson_queryset(network).count()

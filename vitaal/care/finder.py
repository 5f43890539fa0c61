"""The guided finder: three plain questions lead to two or three suggestions from this
year's care package, instead of a long guide in which people get lost (Bartels 2020).

The rules (documented for employees' representatives in docs/care-employee-portal.md):

1. Only interventions that are *in* the package (+) and active are suggested.
2. The answer to "what is going on" chooses themes: body → physical; mind → mental;
   lifestyle → lifestyle, then physical; work situation → other, then mental. An
   intervention must have one of these themes. The first theme weighs 4 points, the second 2.
3. The answer to "how much does it affect you" chooses stages of the care chain: not yet →
   prevention; complaints but working → health complaints; hardly working or absent →
   absence and reintegration. A matching stage adds 3 points.
4. A delivery form that fits the preference adds 1 point (online: online or blended;
   face to face: face to face, blended or at the workplace; no preference: nothing).
5. An intervention the employee can request directly adds 1 point: it can start today.
6. Highest score first, then by name; at most three. When fewer than two interventions
   match a theme, the best ones matching the stage are added until there are two.
7. For each suggestion the employee sees how to get it: apply directly, or which referral
   route (manager, HR advisor, company doctor) leads to it.

The health check uses the same ranking with the themes its result points to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vitaal.care.models.catalog import AccessRoute, ChainStage, Theme

SUGGESTION_LIMIT = 3
SUGGESTION_MINIMUM = 2
THEME_WEIGHTS = (4, 2, 1)
STAGE_POINTS = 3
FORM_POINTS = 1
DIRECT_POINTS = 1


class Concern(models.TextChoices):
    BODY = "body", _("My body: pain, tiredness, a physical complaint")
    MIND = "mind", _("My mind: stress, worries, feeling down")
    LIFESTYLE = "lifestyle", _("My lifestyle: exercise, food, sleep, smoking")
    WORK = "work", _("My work situation: workload, conflicts, money worries, my career")


class Urgency(models.TextChoices):
    PREVENT = "prevent", _("Not yet: I want to prevent problems")
    COMPLAINTS = "complaints", _("I have complaints, but I can still work")
    ABSENT = "absent", _("I can hardly work, or I am off sick")


class Preference(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    ONLINE = "online", _("Online")
    EITHER = "either", pgettext_lazy("finder preference", "No preference")


CONCERN_THEMES: dict[str, tuple[str, ...]] = {
    Concern.BODY: (Theme.PHYSICAL,),
    Concern.MIND: (Theme.MENTAL,),
    Concern.LIFESTYLE: (Theme.LIFESTYLE, Theme.PHYSICAL),
    Concern.WORK: (Theme.OTHER, Theme.MENTAL),
}
URGENCY_STAGES: dict[str, frozenset[str]] = {
    Urgency.PREVENT: frozenset({ChainStage.PREVENTION}),
    Urgency.COMPLAINTS: frozenset({ChainStage.COMPLAINTS}),
    Urgency.ABSENT: frozenset({ChainStage.ABSENCE, ChainStage.REINTEGRATION}),
}
PREFERENCE_FORMS: dict[str, frozenset[str]] = {
    Preference.FACE_TO_FACE: frozenset({"face_to_face", "blended", "on_site"}),
    Preference.ONLINE: frozenset({"online", "blended"}),
    Preference.EITHER: frozenset(),
}
REFERRAL_ROUTES = (AccessRoute.MANAGER, AccessRoute.HR, AccessRoute.COMPANY_DOCTOR)


@dataclass
class Suggestion:
    """One suggested intervention, with why it was chosen and how to get it."""

    item: Any  # a PackageItem with its intervention loaded
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def intervention(self) -> Any:
        return self.item.intervention

    @property
    def direct(self) -> bool:
        return bool(self.intervention.route_direct)

    @property
    def referral_routes(self) -> list[str]:
        """Labels of the referral routes that lead to this intervention."""
        routes = self.intervention.routes
        return [str(AccessRoute(r).label) for r in REFERRAL_ROUTES if r in routes]


def _score(item: Any, themes: Sequence[str], stages: frozenset[str], forms: frozenset[str]) -> Suggestion:
    intervention = item.intervention
    score = 0
    reasons: list[str] = []
    if intervention.theme in themes:
        position = list(themes).index(intervention.theme)
        score += THEME_WEIGHTS[min(position, len(THEME_WEIGHTS) - 1)]
        reasons.append(str(_("It fits what is going on.")))
    if stages & set(intervention.stages):
        score += STAGE_POINTS
        reasons.append(str(_("It fits how much it affects you now.")))
    if forms & set(intervention.forms):
        score += FORM_POINTS
        reasons.append(str(_("It is offered the way you prefer.")))
    if intervention.route_direct:
        score += DIRECT_POINTS
        reasons.append(str(_("You can apply yourself.")))
    return Suggestion(item=item, score=score, reasons=reasons)


def rank(
    items: Iterable[Any],
    *,
    themes: Sequence[str],
    stages: frozenset[str],
    preference: str = Preference.EITHER,
    limit: int = SUGGESTION_LIMIT,
) -> list[Suggestion]:
    """Rules 1-6: the best package items for these themes, stages and preference."""
    from vitaal.care.models import Verdict

    eligible = [i for i in items if i.verdict == Verdict.IN and i.intervention.is_active]
    forms = PREFERENCE_FORMS.get(preference, frozenset())
    scored = [_score(i, themes, stages, forms) for i in eligible]

    def order(s: Suggestion) -> tuple[int, str]:
        return (-s.score, s.intervention.name.lower())

    matching = sorted((s for s in scored if s.intervention.theme in themes), key=order)
    chosen = matching[:limit]
    if len(chosen) < SUGGESTION_MINIMUM:
        others = sorted(
            (s for s in scored if s.intervention.theme not in themes and stages & set(s.intervention.stages)),
            key=order,
        )
        chosen.extend(others[: SUGGESTION_MINIMUM - len(chosen)])
    return chosen


def finder_suggestions(
    items: Iterable[Any], *, concern: str, urgency: str, preference: str
) -> list[Suggestion]:
    """The finder's answer for one set of answers (rules 2-4 turn answers into criteria)."""
    return rank(
        items,
        themes=CONCERN_THEMES[concern],
        stages=URGENCY_STAGES[urgency],
        preference=preference,
    )


def health_check_suggestions(
    items: Iterable[Any], *, themes: Sequence[str], needs_support: bool
) -> list[Suggestion]:
    """Suggestions after a health check: the result's themes; complaints-stage support when
    the result calls for it, otherwise prevention."""
    stages = frozenset({ChainStage.COMPLAINTS}) if needs_support else frozenset({ChainStage.PREVENTION})
    return rank(items, themes=themes, stages=stages)

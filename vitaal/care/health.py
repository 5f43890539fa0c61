"""Scoring of the health check: the WHO-5 well-being index and the single-item work
ability score. Pure functions, no database.

WHO-5 (World Health Organization Five Well-Being Index, 1998): five items answered 0-5 for
the last two weeks; the raw score (0-25) times 4 gives a percentage (0-100). The published
cut-offs: a raw score of 12 or lower (50% or lower) indicates poor well-being and is a
reason for further assessment; 28% or lower suggests likely depression; any single item
answered 0 or 1 is also a reason to look closer.

Work ability score (the first item of the Work Ability Index): current work ability
compared with one's lifetime best, 0-10. Usual bands: poor 0-5, moderate 6-7, good 8-9,
excellent 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from vitaal.care.models.bilingual import pick
from vitaal.care.models.catalog import Theme

WHO5_ITEM_MIN = 0
WHO5_ITEM_MAX = 5
WHO5_ITEMS_COUNT = 5
POOR_WELLBEING_MAX_RAW = 12  # raw ≤ 12, i.e. percentage ≤ 50
DEPRESSION_SCREEN_MAX_PERCENTAGE = 28
LOW_ITEM_MAX = 1  # an item answered 0 or 1
WORK_ABILITY_MIN = 0
WORK_ABILITY_MAX = 10


@dataclass(frozen=True)
class Who5Item:
    number: int
    nl: str
    en: str

    @property
    def text(self) -> str:
        return pick(self.nl, self.en)


# The WHO-5 is a published instrument: its wording in each language is the official one,
# not a translation of ours, so the texts live here and not in the gettext catalogue.
WHO5_INTRO = (
    "Geef voor elk van de vijf uitspraken aan welk antwoord het beste weergeeft hoe u zich de "
    "afgelopen twee weken heeft gevoeld. Gedurende de laatste twee weken…",
    "Please indicate for each of the five statements which is closest to how you have been "
    "feeling over the last two weeks. Over the last two weeks…",
)
WHO5_ITEMS: tuple[Who5Item, ...] = (
    Who5Item(1, "voelde ik me opgewekt en in een goed humeur", "I have felt cheerful and in good spirits"),
    Who5Item(2, "voelde ik me rustig en ontspannen", "I have felt calm and relaxed"),
    Who5Item(3, "voelde ik me actief en energiek", "I have felt active and vigorous"),
    Who5Item(4, "werd ik fris en uitgerust wakker", "I woke up feeling fresh and rested"),
    Who5Item(
        5,
        "was mijn dagelijks leven gevuld met dingen die mij interesseren",
        "My daily life has been filled with things that interest me",
    ),
)
WHO5_SCALE: tuple[tuple[int, str, str], ...] = (
    (5, "De hele tijd", "All of the time"),
    (4, "Meestal", "Most of the time"),
    (3, "Meer dan de helft van de tijd", "More than half of the time"),
    (2, "Minder dan de helft van de tijd", "Less than half of the time"),
    (1, "Af en toe", "Some of the time"),
    (0, "Nooit", "At no time"),
)
WORK_ABILITY_QUESTION = (
    "Stel dat uw werkvermogen op zijn best een score van 10 punten waard is. Hoeveel punten "
    "zou u dan geven voor uw huidige werkvermogen? (0 betekent dat u op dit moment helemaal "
    "niet kunt werken.)",
    "Assume that your work ability at its best has a value of 10 points. How many points would "
    "you give your current work ability? (0 means that you cannot currently work at all.)",
)


class WellbeingBand(models.TextChoices):
    GOOD = "good", _("good well-being")
    POOR = "poor", _("poor well-being")
    DEPRESSION_RISK = "depression_risk", _("very low well-being")


class WorkAbilityBand(models.TextChoices):
    POOR = "poor", _("poor")
    MODERATE = "moderate", _("moderate")
    GOOD = "good", _("good")
    EXCELLENT = "excellent", _("excellent")


class Advice(models.TextChoices):
    """Plain-language advice; the label is the message shown to the employee."""

    WELLBEING_GOOD = (
        "wellbeing_good",
        _("You feel quite well at the moment. Keep doing the things that give you energy."),
    )
    WELLBEING_ITEM_LOW = (
        "wellbeing_item_low",
        _("One of your answers is very low. Think about what is behind it. The support below may help."),
    )
    WELLBEING_POOR = (
        "wellbeing_poor",
        _(
            "You do not feel so well at the moment. Talking to a coach can help. Look at the support "
            "for mental health below."
        ),
    )
    WELLBEING_DEPRESSION_RISK = (
        "wellbeing_depression_risk",
        _(
            "You have felt low for a while. Please make an appointment with your GP or the company "
            "doctor soon. They can help you find the right care."
        ),
    )
    WORK_ABILITY_POOR = (
        "work_ability_poor",
        _(
            "Your work is hard for you at the moment. Talk to the company doctor about what would "
            "help. The company doctor does not share medical details with your employer."
        ),
    )
    WORK_ABILITY_MODERATE = (
        "work_ability_moderate",
        _(
            "Your work takes more out of you than it should. Small changes in your work or your "
            "lifestyle can help. See the suggestions below."
        ),
    )
    WORK_ABILITY_GOOD = "work_ability_good", _("You are well able to do your work. That is good to hear.")
    WORK_ABILITY_EXCELLENT = (
        "work_ability_excellent",
        _("You feel fully able to do your work. Keep taking good care of yourself."),
    )
    PRIVATE = "private", _("Only you can see your answers and results. Your employer cannot see them.")


class InvalidAnswers(ValueError):
    """The answers do not fit the instrument (wrong number of items or out of range)."""


@dataclass(frozen=True)
class Who5Score:
    answers: tuple[int, ...]
    raw: int
    percentage: int
    band: str
    poor_wellbeing: bool
    depression_screen: bool
    low_items: tuple[int, ...]  # item numbers (1-5) answered 0 or 1

    @property
    def low_item(self) -> bool:
        return bool(self.low_items)

    @property
    def flagged(self) -> bool:
        """Any reason to look closer: poor well-being or a single very low item."""
        return self.poor_wellbeing or self.low_item


@dataclass(frozen=True)
class HealthCheckResult:
    who5: Who5Score
    work_ability: int
    work_ability_band: str
    advice: tuple[str, ...]  # Advice values, most urgent first
    themes: tuple[str, ...]  # catalog themes to suggest, most relevant first
    see_company_doctor: bool
    referral_advised: bool

    @property
    def messages(self) -> list[str]:
        return [str(Advice(key).label) for key in self.advice]


def _check_int(value: object, low: int, high: int, what: StrOrPromise) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidAnswers(
            _("Each %(what)s must be a whole number from %(low)d to %(high)d.")
            % {"what": what, "low": low, "high": high}
        )
    return value


def who5_score(answers: Sequence[int]) -> Who5Score:
    """Score five WHO-5 answers (each 0-5) by the published rules."""
    if len(answers) != WHO5_ITEMS_COUNT:
        raise InvalidAnswers(_("The WHO-5 has exactly five questions."))
    values = tuple(_check_int(a, WHO5_ITEM_MIN, WHO5_ITEM_MAX, _("WHO-5 answer")) for a in answers)
    raw = sum(values)
    percentage = raw * 4
    depression = percentage <= DEPRESSION_SCREEN_MAX_PERCENTAGE
    poor = raw <= POOR_WELLBEING_MAX_RAW
    if depression:
        band = WellbeingBand.DEPRESSION_RISK
    elif poor:
        band = WellbeingBand.POOR
    else:
        band = WellbeingBand.GOOD
    low_items = tuple(i for i, v in enumerate(values, start=1) if v <= LOW_ITEM_MAX)
    return Who5Score(
        answers=values,
        raw=raw,
        percentage=percentage,
        band=str(band),
        poor_wellbeing=poor,
        depression_screen=depression,
        low_items=low_items,
    )


def work_ability_band(score: int) -> str:
    """Band of the single-item work ability score (0-10)."""
    value = _check_int(score, WORK_ABILITY_MIN, WORK_ABILITY_MAX, _("work ability score"))
    if value <= 5:
        return WorkAbilityBand.POOR
    if value <= 7:
        return WorkAbilityBand.MODERATE
    if value <= 9:
        return WorkAbilityBand.GOOD
    return WorkAbilityBand.EXCELLENT


def _add(items: list[str], *new: str) -> None:
    for item in new:
        if item not in items:
            items.append(item)


def health_check_evaluate(*, who5_answers: Sequence[int], work_ability: int) -> HealthCheckResult:
    """Scores, bands, advice and the catalog themes to suggest for one health check."""
    who5 = who5_score(who5_answers)
    wa_band = work_ability_band(work_ability)
    advice: list[str] = []
    themes: list[str] = []
    see_doctor = False

    if who5.depression_screen:
        _add(advice, Advice.WELLBEING_DEPRESSION_RISK)
        _add(themes, Theme.MENTAL)
        see_doctor = True
    elif who5.poor_wellbeing:
        _add(advice, Advice.WELLBEING_POOR)
        _add(themes, Theme.MENTAL)
    elif who5.low_item:
        _add(advice, Advice.WELLBEING_ITEM_LOW)
        _add(themes, Theme.MENTAL)

    if wa_band == WorkAbilityBand.POOR:
        _add(advice, Advice.WORK_ABILITY_POOR)
        _add(themes, Theme.PHYSICAL, Theme.MENTAL)
        see_doctor = True
    elif wa_band == WorkAbilityBand.MODERATE:
        _add(advice, Advice.WORK_ABILITY_MODERATE)
        _add(themes, Theme.PHYSICAL, Theme.LIFESTYLE)

    if not who5.flagged:
        _add(advice, Advice.WELLBEING_GOOD)
    if wa_band == WorkAbilityBand.GOOD:
        _add(advice, Advice.WORK_ABILITY_GOOD)
    elif wa_band == WorkAbilityBand.EXCELLENT:
        _add(advice, Advice.WORK_ABILITY_EXCELLENT)
    if not themes:
        # Nothing calls for support: suggest prevention through lifestyle.
        _add(themes, Theme.LIFESTYLE)
    _add(advice, Advice.PRIVATE)

    return HealthCheckResult(
        who5=who5,
        work_ability=work_ability,
        work_ability_band=str(wa_band),
        advice=tuple(str(a) for a in advice),
        themes=tuple(str(t) for t in themes),
        see_company_doctor=see_doctor,
        referral_advised=who5.depression_screen,
    )

"""Population figures taken from the people register instead of entered by hand: the
current employees (employed today) of the wave's organisation, or of every organisation
of the sector for a sector-wide wave, counted per answer of the background questions.

How register values become survey answers:

- gender: female → ``woman``, male → ``man``, other → ``x``; unknown is left out;
- function group: the function group's code when it is an answer code, else
  ``FUNCTION_GROUPS`` (OP → ``teaching``, OBP → ``support``); others are left out;
- age band: age this year from the birth year (under 35, 35-44, 45-54, 55 or older);
- organisation size class: the organisation's size class in the register (``small``,
  ``medium``, ``large``), or when it has none, its current head count (fewer than 250
  small, 250 to 1,000 medium, more large); the class gets the organisation's head count.
Only answers the questionnaire has are filled in; the figures are head counts."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation, Person
from vitaal.core.models.organisation import SizeClass
from vitaal.surveys import services
from vitaal.surveys.models import Background, QuestionKind, Wave

GENDERS = {"f": "woman", "m": "man", "x": "x"}
FUNCTION_GROUPS = {"OP": "teaching", "OBP": "support"}


def age_answer(birth_year: int | None, year: int) -> str | None:
    if not birth_year:
        return None
    age = year - birth_year
    if age < 35:
        return "u35"
    if age < 45:
        return "35_44"
    if age < 55:
        return "45_54"
    return "55p"


def size_answer(headcount: int) -> str:
    return str(SizeClass.for_headcount(headcount))


def register_counts(wave: Wave) -> dict[str, dict[str, float]]:
    """Head counts per background question code and answer code (see the module text)."""
    today = timezone.localdate()
    if wave.organisation_id is not None:
        org_ids = [wave.organisation_id]
    else:
        org_ids = list(Organisation.objects.filter(sector_id=wave.sector_id).values_list("pk", flat=True))
    people = list(
        Person.objects.filter(organisation_id__in=org_ids)
        .employed_on(today)
        .values_list("organisation_id", "gender", "function_group__code", "birth_year")
    )
    per_org = Counter(org for org, *_rest in people)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for _org, gender, group, birth_year in people:
        tallies[Background.GENDER][GENDERS.get(gender, "")] += 1
        if group:
            tallies[Background.FUNCTION_GROUP][group] += 1
        tallies[Background.AGE_BAND][age_answer(birth_year, today.year) or ""] += 1
    classes = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "size_class"))
    for org in org_ids:
        if per_org[org]:
            tallies[Background.ORGANISATION][classes.get(org) or size_answer(per_org[org])] += per_org[org]
    result: dict[str, dict[str, float]] = {}
    for question in services.questions_of(wave.questionnaire):
        if not question.background or question.kind != QuestionKind.SINGLE:
            continue
        answers = [o.value for o in question.options.all()]
        tally = tallies.get(question.background, Counter())
        if question.background == Background.FUNCTION_GROUP:
            mapped: Counter[str] = Counter()
            for code, n in tally.items():
                mapped[code if code in answers else FUNCTION_GROUPS.get(code, "")] += n
            tally = mapped
        figures = {a: float(tally.get(a, 0)) for a in answers}
        if sum(figures.values()) > 0:
            result[question.code] = figures
    return result


def population_from_register(*, wave: Wave) -> Wave:
    """Store the register's figures as the wave's population figures."""
    figures = register_counts(wave)
    if not figures:
        raise ValidationError(_("The people register has no current employees to take figures from."))
    return services.wave_population_set(wave=wave, shares=figures)

"""Open-answer coding services: codebooks, coders' assignments, agreement between two
coders (Cohen's kappa) and the coded answers as a multiple-response variable.

Rules kept here rather than in views:

- a codebook belongs to an *open* question of the wave's questionnaire;
- a coder assigns one or more active codes of that codebook to a non-empty answer of
  that wave; an answer gets at most two coders;
- an answer's *settled* codes are the agreed set when one is recorded, else the codes of
  its only coder, else (two coders) their codes when they are the same; two coders who
  differ without an agreed set leave the answer unsettled, out of the analysis;
- every count shown from coded answers goes through disclosure control with the
  free-text threshold (comment-derived counts, k = 10 by default).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from vitaal.core.disclosure import TOTAL, protect_counts, threshold_for
from vitaal.surveys import analysis
from vitaal.surveys.models import AgreedCoding, Answer, Code, Codebook, Coding, Question, QuestionKind, Wave
from vitaal.surveys.selectors import require_released

MAX_CODERS = 2
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# --------------------------------------------------------------------------------------
# Codebooks and codes
# --------------------------------------------------------------------------------------


def open_questions(wave: Wave) -> QuerySet[Question]:
    return wave.questionnaire.questions.filter(kind=QuestionKind.OPEN).order_by("position")


def open_answers(wave: Wave, question: Question) -> QuerySet[Answer]:
    """The wave's non-empty answers to an open question (only once the wave is closed:
    selectors, "Release of results")."""
    require_released(wave)
    return Answer.objects.filter(response__wave=wave, question=question).exclude(text="").order_by("pk")


def codebook_for(*, wave: Wave, question: Question) -> Codebook:
    """The codebook of an open question of the wave (made on first use)."""
    if question.questionnaire_id != wave.questionnaire_id or question.kind != QuestionKind.OPEN:
        raise ValidationError(_("Only open questions of this wave's questionnaire have a codebook."))
    codebook, _created = Codebook.objects.get_or_create(wave=wave, question=question)
    return codebook


def _clean_code_fields(
    label_nl: str, label_en: str, description_nl: str, description_en: str
) -> dict[str, str]:
    label_nl, label_en = label_nl.strip(), label_en.strip()
    errors: dict[str, str] = {}
    if not label_nl:
        errors["label_nl"] = _("Give the code a Dutch label.")
    if not label_en:
        errors["label_en"] = _("Give the code an English label.")
    if len(label_nl) > 200 or len(label_en) > 200:
        errors["label_nl"] = _("A label can be at most 200 characters.")
    if len(description_nl) > 500 or len(description_en) > 500:
        errors["description_nl"] = _("A description can be at most 500 characters.")
    if errors:
        raise ValidationError(errors)
    return {
        "label_nl": label_nl,
        "label_en": label_en,
        "description_nl": description_nl.strip(),
        "description_en": description_en.strip(),
    }


@transaction.atomic
def code_add(
    *,
    codebook: Codebook,
    value: str,
    label_nl: str,
    label_en: str,
    description_nl: str = "",
    description_en: str = "",
) -> Code:
    value = value.strip().lower()
    if not _SLUG.match(value):
        raise ValidationError(
            {"value": _("A code is 1 to 40 lower-case letters, digits, hyphens or underscores.")}
        )
    fields = _clean_code_fields(label_nl, label_en, description_nl, description_en)
    codebook = Codebook.objects.select_for_update().get(pk=codebook.pk)
    if codebook.codes.filter(value=value).exists():
        raise ValidationError({"value": _("This codebook already has the code %(code)s.") % {"code": value}})
    last = codebook.codes.order_by("-position").values_list("position", flat=True).first()
    return Code.objects.create(codebook=codebook, value=value, position=(last or 0) + 1, **fields)


@transaction.atomic
def code_edit(
    *, code: Code, label_nl: str, label_en: str, description_nl: str = "", description_en: str = ""
) -> Code:
    """Change a code's labels and description; its value stays, so assignments keep meaning."""
    fields = _clean_code_fields(label_nl, label_en, description_nl, description_en)
    for name, value in fields.items():
        setattr(code, name, value)
    code.save(update_fields=list(fields))
    return code


@transaction.atomic
def code_retire(*, code: Code, retired: bool = True) -> Code:
    """Stop (or resume) offering a code to coders. Its assignments stay."""
    code.retired = retired
    code.save(update_fields=["retired"])
    return code


# --------------------------------------------------------------------------------------
# Assigning codes
# --------------------------------------------------------------------------------------


def _answer_of(codebook: Codebook, answer_id: Any) -> Answer:
    try:
        pk = int(answer_id)
    except (TypeError, ValueError):
        raise ValidationError(_("This answer does not exist in this wave.")) from None
    answer = open_answers(codebook.wave, codebook.question).filter(pk=pk).first()
    if answer is None:
        raise ValidationError(_("This answer does not exist in this wave."))
    return answer


def _codes_of(codebook: Codebook, code_ids: Iterable[Any], *, allow_retired: bool = False) -> list[Code]:
    try:
        ids = {int(pk) for pk in code_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose codes from this question's codebook.")) from None
    if not ids:
        raise ValidationError(_("Choose at least one code."))
    codes = list(codebook.codes.filter(pk__in=ids))
    if len(codes) != len(ids):
        raise ValidationError(_("Choose codes from this question's codebook."))
    if not allow_retired and any(code.retired for code in codes):
        raise ValidationError(_("A retired code cannot be given to an answer any more."))
    return codes


@transaction.atomic
def assign(*, codebook: Codebook, answer_id: Any, coder: Any, code_ids: Iterable[Any]) -> Coding:
    """Record (or replace) this coder's codes for an answer. Refused, with nothing
    changed, for an answer outside the codebook's wave and question, codes of another
    codebook, retired codes, no codes, or a third coder."""
    answer = _answer_of(codebook, answer_id)
    codes = _codes_of(codebook, code_ids)
    # One coder at a time per answer (no ordering: the default one joins nullable tables).
    list(Answer.objects.select_for_update().filter(pk=answer.pk).order_by().values_list("pk", flat=True))
    coding = Coding.objects.filter(answer=answer, coder=coder).first()
    if coding is None:
        if Coding.objects.filter(answer=answer).count() >= MAX_CODERS:
            raise ValidationError(_("Two coders have already coded this answer."))
        coding = Coding.objects.create(codebook=codebook, answer=answer, coder=coder)
    else:
        coding.save(update_fields=["coded_at"])
    coding.codes.set(codes)
    return coding


@transaction.atomic
def agree(*, codebook: Codebook, answer_id: Any, decided_by: Any, code_ids: Iterable[Any]) -> AgreedCoding:
    """Record the set two coders agreed on for an answer they both coded."""
    answer = _answer_of(codebook, answer_id)
    codes = _codes_of(codebook, code_ids, allow_retired=True)
    if Coding.objects.filter(answer=answer).count() < MAX_CODERS:
        raise ValidationError(_("An agreed set is recorded only for an answer two coders coded."))
    agreed, _created = AgreedCoding.objects.update_or_create(
        answer=answer, defaults={"codebook": codebook, "decided_by": decided_by}
    )
    agreed.codes.set(codes)
    return agreed


# --------------------------------------------------------------------------------------
# Reading codings
# --------------------------------------------------------------------------------------


@dataclass
class CodedAnswers:
    """Every coding of a codebook, read in three queries: per answer, the coders' code
    sets (in coding order) and the agreed set if any."""

    coders: dict[int, list[tuple[int, frozenset[str]]]] = field(default_factory=dict)
    agreed: dict[int, frozenset[str]] = field(default_factory=dict)
    response_of: dict[int, int] = field(default_factory=dict)

    def settled(self, answer_id: int) -> frozenset[str] | None:
        if answer_id in self.agreed:
            return self.agreed[answer_id]
        sets = [codes for _coder, codes in self.coders.get(answer_id, [])]
        if len(sets) == 1 or (len(sets) == MAX_CODERS and sets[0] == sets[1]):
            return sets[0]
        return None

    def double(self) -> list[int]:
        return [a for a, sets in self.coders.items() if len(sets) >= MAX_CODERS]

    def disagreements(self) -> list[int]:
        return [a for a in self.double() if a not in self.agreed and self.settled(a) is None]


def coded_answers(codebook: Codebook) -> CodedAnswers:
    require_released(codebook.wave)
    out = CodedAnswers()
    codings: dict[int, tuple[int, int, set[str]]] = {}
    for coding_id, answer_id, coder_id, response_id in Coding.objects.filter(codebook=codebook).values_list(
        "pk", "answer_id", "coder_id", "answer__response_id"
    ):
        codings[coding_id] = (answer_id, coder_id, set())
        out.response_of[answer_id] = response_id
    for coding_id, value in Coding.codes.through.objects.filter(coding__codebook=codebook).values_list(
        "coding_id", "code__value"
    ):
        codings[coding_id][2].add(value)
    for _pk, (answer_id, coder_id, values) in sorted(codings.items()):
        out.coders.setdefault(answer_id, []).append((coder_id, frozenset(values)))
    agreed: dict[int, set[str]] = defaultdict(set)
    for answer_id, value in AgreedCoding.codes.through.objects.filter(
        agreedcoding__codebook=codebook
    ).values_list("agreedcoding__answer_id", "code__value"):
        agreed[answer_id].add(value)
    out.agreed = {a: frozenset(v) for a, v in agreed.items()}
    return out


def coding_progress(codebooks: Sequence[Codebook]) -> dict[int, dict[str, int]]:
    """Per codebook: answers coded once and twice, and unresolved disagreements."""
    out: dict[int, dict[str, int]] = {}
    for codebook in codebooks:
        coded = coded_answers(codebook)
        out[codebook.pk] = {
            "coded": len(coded.coders),
            "double": len(coded.double()),
            "disagreements": len(coded.disagreements()),
        }
    return out


def answer_counts(wave: Wave) -> dict[int, int]:
    """Non-empty answers per open question of the wave, in one query."""
    require_released(wave)
    rows = (
        Answer.objects.filter(response__wave=wave, question__kind=QuestionKind.OPEN)
        .exclude(text="")
        .values("question_id")
        .annotate(n=Count("pk"))
    )
    return {row["question_id"]: row["n"] for row in rows}


# --------------------------------------------------------------------------------------
# Agreement between two coders
# --------------------------------------------------------------------------------------

_BANDS = (
    (0.0, "poor"),
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
)


def kappa_reading(kappa: float | None) -> str:
    """Plain-language reading of a kappa (Landis and Koch's bands)."""
    if kappa is None:
        return _("Cannot be computed: neither coder used this code, or both used it everywhere.")
    if kappa <= 0:
        return _("No agreement beyond what chance would give.")
    if kappa <= 0.2:
        return _("Slight agreement: the coders mostly differ.")
    if kappa <= 0.4:
        return _("Fair agreement: sharpen the code's description and code again.")
    if kappa <= 0.6:
        return _("Moderate agreement: usable with care; discuss the differences.")
    if kappa <= 0.8:
        return _("Substantial agreement.")
    return _("Almost perfect agreement.")


@dataclass
class CodeAgreement:
    code: Code
    kappa: float | None
    first: int  # answers the first coder gave this code
    second: int
    both: int

    @property
    def reading(self) -> str:
        return kappa_reading(self.kappa)


@dataclass
class Agreement:
    n: int  # answers coded by two coders
    per_code: list[CodeAgreement]
    overall: float | None
    exact: int  # answers where both gave exactly the same set

    @property
    def reading(self) -> str:
        return kappa_reading(self.overall)


def _kappa(first: list[int], second: list[int]) -> float | None:
    """Cohen's kappa of two binary vectors; ``None`` when chance agreement is total
    (both coders constant and equal), where kappa has no meaning."""
    if not first or (len(set(first)) == 1 and set(first) == set(second)):
        return None
    return analysis.cohen_kappa(first, second)


def agreement(codebook: Codebook) -> Agreement:
    """Agreement of the two coders over the answers both coded: per code, Cohen's kappa on
    present/absent; overall, kappa over every answer × code decision pooled. The "first"
    coder of an answer is whoever coded it first."""
    coded = coded_answers(codebook)
    pairs = [(coded.coders[a][0][1], coded.coders[a][1][1]) for a in coded.double()]
    codes = list(codebook.codes.all())
    per_code: list[CodeAgreement] = []
    pooled_first: list[int] = []
    pooled_second: list[int] = []
    for code in codes:
        first = [int(code.value in a) for a, _b in pairs]
        second = [int(code.value in b) for _a, b in pairs]
        pooled_first += first
        pooled_second += second
        both = sum(1 for x, y in zip(first, second, strict=True) if x and y)
        if code.retired and not (sum(first) or sum(second)):
            continue
        per_code.append(CodeAgreement(code, _kappa(first, second), sum(first), sum(second), both))
    exact = sum(1 for a, b in pairs if a == b)
    return Agreement(len(pairs), per_code, _kappa(pooled_first, pooled_second), exact)


# --------------------------------------------------------------------------------------
# The coded variable and its protected frequencies
# --------------------------------------------------------------------------------------


def coded_variable(codebook: Codebook) -> pd.Series:
    """The settled codes as a multiple-response variable: one list of code values per
    response (index: the response's database id, for joining with other variables inside
    the analysis; never shown). Unsettled answers are left out."""
    coded = coded_answers(codebook)
    data = {}
    for answer_id in coded.coders:
        codes = coded.settled(answer_id)
        if codes:
            data[coded.response_of[answer_id]] = sorted(codes)
    return pd.Series(data, dtype=object)


@dataclass
class CodedRow:
    code: Code
    count: int | None
    percent_respondents: float | None
    percent_responses: float | None


@dataclass
class CodedFrequencies:
    k: int
    answers: int | None  # non-empty answers to the question (hidden when small)
    respondents: int | None  # answers with settled codes (hidden when small)
    responses: int | None  # codes given in total (hidden when any row is hidden)
    unsettled: int | None
    rows: list[CodedRow]

    @property
    def any_hidden(self) -> bool:
        return any(row.count is None for row in self.rows)


def protect_one(count: int, k: int) -> int | None:
    """A single count through disclosure control (hidden when 1 to k - 1)."""
    return protect_counts({"n": count}, k)["n"].value


def coded_frequencies(codebook: Codebook, *, k: int | None = None) -> CodedFrequencies:
    """Frequencies of the coded variable, as % of respondents and % of responses, through
    disclosure control (free-text threshold). Per code, "given" and "not given" are
    protected as a pair against the base, as for multiple choice. The total of codes and
    the % of responses show only when no code is hidden: with the total, one hidden count
    could be worked out from the others."""
    if k is None:
        k = threshold_for(codebook.wave.sector, "free_text")
    codes = list(codebook.codes.all())
    variable = coded_variable(codebook)
    coded = coded_answers(codebook)
    result = analysis.multiple_response(variable, [c.value for c in codes])
    base_hidden = protect_counts({"coded": result.respondents}, k)[TOTAL].suppressed
    pct_resp = result.percent_of_respondents()
    pct_responses = result.percent_of_responses()
    rows: list[CodedRow] = []
    for code in codes:
        if code.retired and not result.counts[code.value]:
            continue
        count = result.counts[code.value]
        pair = protect_counts({"yes": count, "no": result.respondents - count}, k)
        shown = None if base_hidden else pair["yes"].value
        rows.append(CodedRow(code, shown, None if shown is None else pct_resp[code.value], None))
    hidden = base_hidden or any(row.count is None for row in rows)
    if not hidden:
        for row in rows:
            row.percent_responses = pct_responses[row.code.value]
    return CodedFrequencies(
        k=k,
        answers=protect_one(open_answers(codebook.wave, codebook.question).count(), k),
        respondents=None if base_hidden else result.respondents,
        responses=None if hidden else result.responses,
        unsettled=protect_one(len(coded.disagreements()), k),
        rows=rows,
    )


def add_coded_variables(wave: Wave, frame: pd.DataFrame, *, include_partial: bool = True) -> list[str]:
    """Add each codebook's settled codes to ``selectors.wave_frame(wave)`` as a
    multiple-response column ``<question>#codes`` (lists of code values; NaN where the
    answer is not coded), so the analysis library and breakdowns treat coded answers like
    a multiple-choice question. The frame's rows follow the responses in id order, as
    ``wave_frame`` reads them; pass the same ``include_partial``. Returns the new names."""
    from vitaal.surveys.models import ResponseStatus, SurveyResponse

    responses = SurveyResponse.objects.filter(wave=wave)
    if not include_partial:
        responses = responses.filter(status=ResponseStatus.COMPLETE)
    ids = list(responses.order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(frame):
        raise ValueError("The frame does not hold this wave's responses.")
    position = {pk: i for i, pk in enumerate(ids)}
    names: list[str] = []
    for book in Codebook.objects.filter(wave=wave).select_related("question").order_by("question__position"):
        name = f"{book.question.code}#codes"
        column: list[Any] = [None] * len(ids)
        for response_id, codes in coded_variable(book).items():
            if response_id in position:
                column[position[response_id]] = codes
        frame[name] = pd.Series(column, index=frame.index, dtype=object)
        names.append(name)
    return names

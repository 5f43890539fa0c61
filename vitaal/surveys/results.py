"""Results for people on the employer's or sector's side: every count goes through the
disclosure-control service (opinions k = the sector's survey threshold, answers to open
questions k = the free-text threshold), and every percentage, mean or test that rests on
a hidden count is hidden with it.

Suppression is decided on the unweighted counts (they are what identifies people);
weighted results only change the percentages and means shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vitaal.core.disclosure import TOTAL, protect_counts, protect_table
from vitaal.surveys import analysis
from vitaal.surveys.answers import SCALE_CODES
from vitaal.surveys.models import AGREEMENT_SCALE, OTHER, Question, QuestionKind


@dataclass
class Row:
    """One answer category: its label, the protected count and percentage."""

    code: str
    label: str
    count: int | None
    percent: float | None


@dataclass
class Result:
    """The protected result of one variable (a question, or one statement of a matrix)."""

    code: str
    text: str
    kind: str
    n: int | None
    rows: list[Row] = field(default_factory=list)
    mean: analysis.MeanCI | None = None
    multiple: bool = False
    hidden: bool = False
    # The mean (with its interval) was computed but withheld: see ``withhold_invertible``.
    mean_withheld: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "kind": self.kind, "n": self.n, "hidden": self.hidden}
        if self.mean_withheld:
            data["mean_withheld"] = True
        data["rows"] = [
            {"code": r.code, "count": r.count, "percent": None if r.percent is None else round(r.percent, 2)}
            for r in self.rows
        ]
        if self.mean is not None:
            m = self.mean
            data["mean"] = {"mean": round(m.mean, 3), "low": round(m.low, 3), "high": round(m.high, 3)}
        return data


def categories_of(question: Question) -> list[tuple[str, str]]:
    """(code, label) of the answer categories, in display order."""
    if question.kind in (QuestionKind.AGREEMENT, QuestionKind.MATRIX):
        return [(code, str(label)) for code, label in AGREEMENT_SCALE]
    if question.kind == QuestionKind.GRADE:
        return [(str(n), str(n)) for n in range(1, 11)]
    pairs = [(o.value, o.localized("label")) for o in question.options.all()]
    if question.allow_other:
        from django.utils.translation import pgettext

        pairs.append((OTHER, pgettext("survey answer", "Other")))
    return pairs


def _pct(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def single_result(
    code: str,
    text: str,
    kind: str,
    answers: pd.Series,
    categories: list[tuple[str, str]],
    k: int,
    weights: pd.Series | None = None,
) -> Result:
    codes = [c for c, _label in categories]
    freq = analysis.frequencies(answers, codes, weights)
    protected = protect_counts(freq.counts, k)
    shown_n = protected[TOTAL].value
    pct = freq.percent(weighted=weights is not None)
    rows = [
        Row(c, label, protected[c].value, None if protected[c].suppressed or shown_n is None else pct[c])
        for c, label in categories
    ]
    return Result(code, text, kind, shown_n, rows, hidden=shown_n is None)


def multiple_result(
    code: str,
    text: str,
    answers: pd.Series,
    categories: list[tuple[str, str]],
    k: int,
    weights: pd.Series | None = None,
) -> Result:
    """Per option, "ticked" and "not ticked" share the respondents' total, so each option
    is protected as that pair: neither a small count nor a small remainder shows."""
    codes = [c for c, _label in categories]
    mr = analysis.multiple_response(answers, codes, weights)
    pct = mr.percent_of_respondents(weighted=weights is not None)
    rows: list[Row] = []
    n_hidden = False
    for c, label in categories:
        pair = protect_counts({"yes": mr.counts[c], "no": mr.respondents - mr.counts[c]}, k)
        n_hidden = n_hidden or pair[TOTAL].suppressed
        shown = pair["yes"].value
        rows.append(Row(c, label, shown, None if shown is None else pct[c]))
    return Result(
        code,
        text,
        QuestionKind.MULTIPLE,
        None if n_hidden else mr.respondents,
        rows,
        multiple=True,
        hidden=n_hidden,
    )


def numeric_result(
    code: str, text: str, kind: str, answers: pd.Series, k: int, weights: pd.Series | None = None
) -> Result:
    given = answers.dropna()
    n = len(given)
    if n < max(k, 2):
        return Result(code, text, kind, None, hidden=True)
    return Result(code, text, kind, n, mean=analysis.mean_ci(given, weights))


def withhold_invertible(result: Result) -> Result:
    """The one rule for derived statistics (DESIGN §3.2: a derived figure must not turn
    back into a hidden count): a mean, its confidence interval (and so its standard
    deviation) are shown only when *every* category count of the same variable is shown.

    Why this rule and not rounding: with N, the shown counts and a mean, the hidden counts
    h_i satisfy sum(h_i) = N - shown and sum(v_i * h_i) = N * mean - sum(shown v * count);
    for two hidden categories that is two equations in two unknowns, solved exactly, and
    rounding the mean to one decimal still leaves few integer solutions (often one). A
    withheld mean gives no equation at all, so the hidden counts keep every combination
    the disclosure control left open. When nothing is hidden the mean follows from the
    shown counts and tells nothing new. Applied to every result by ``question_results``,
    which the page, the PDF, the XLSX and the CLI's JSON/CSV all read."""
    if result.mean is not None and any(row.count is None for row in result.rows):
        result.mean = None
        result.mean_withheld = True
    return result


def question_results(
    question: Question, frame: pd.DataFrame, *, k_opinion: int, k_text: int, weights: pd.Series | None = None
) -> list[Result]:
    """The protected results of one question (a matrix gives one result per statement),
    with derived statistics withheld where they could reveal a hidden count."""
    return [
        withhold_invertible(result)
        for result in _question_results(question, frame, k_opinion=k_opinion, k_text=k_text, weights=weights)
    ]


def _question_results(
    question: Question, frame: pd.DataFrame, *, k_opinion: int, k_text: int, weights: pd.Series | None = None
) -> list[Result]:
    text = question.localized("text")

    def column(name: str) -> pd.Series:
        return (
            frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        )

    if question.kind == QuestionKind.MATRIX:
        cats = categories_of(question)
        return [
            single_result(
                f"{question.code}.{s.code}",
                s.localized("text"),
                question.kind,
                column(f"{question.code}.{s.code}"),
                cats,
                k_opinion,
                weights,
            )
            for s in question.statements.all()
        ]
    if question.kind == QuestionKind.MULTIPLE:
        return [
            multiple_result(
                question.code, text, column(question.code), categories_of(question), k_opinion, weights
            )
        ]
    if question.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
        result = numeric_result(question.code, text, question.kind, column(question.code), k_opinion, weights)
        if question.kind == QuestionKind.GRADE and not result.hidden:
            grades = column(question.code).dropna().map(lambda v: str(int(v)))
            result.rows = single_result(
                question.code, text, question.kind, grades, categories_of(question), k_opinion, weights
            ).rows
        return [result]
    if question.kind == QuestionKind.OPEN:
        answered = column(question.code).fillna("").astype(str).str.strip().ne("").sum()
        n = int(answered)
        return [Result(question.code, text, question.kind, n if n >= k_text else None, hidden=n < k_text)]
    return [
        single_result(
            question.code,
            text,
            question.kind,
            column(question.code),
            categories_of(question),
            k_opinion,
            weights,
        )
    ]


@dataclass
class Breakdown:
    """A question's answers per group of a background variable, protected as a two-way
    table; the test of independence is shown only when no cell is hidden."""

    question: str
    by: str
    groups: list[tuple[str, str]]
    categories: list[tuple[str, str]]
    cells: dict[tuple[str, str], int | None]
    group_totals: dict[str, int | None]
    percents: dict[tuple[str, str], float | None]
    test: analysis.TestResult | None
    text: str = ""

    @property
    def rows(self) -> list[tuple[str, list[tuple[int | None, float | None]], int | None]]:
        """(group label, [(count, row %) per answer], group N) for display."""
        return [
            (
                label,
                [(self.cells[g, c], self.percents[g, c]) for c, _l in self.categories],
                self.group_totals[g],
            )
            for g, label in self.groups
        ]


def breakdown(
    question: Question, by: Question, frame: pd.DataFrame, *, k: int, weights: pd.Series | None = None
) -> Breakdown:
    """Cross a single-answer question (single choice or agreement) with a background
    question. Respondents who skipped either question are left out."""
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.AGREEMENT) or by.kind != QuestionKind.SINGLE:
        raise ValueError(
            "A breakdown crosses a single-answer question with a single-choice background question."
        )
    groups, categories = categories_of(by), categories_of(question)
    if question.code not in frame or by.code not in frame:
        data = pd.DataFrame({"a": pd.Series(dtype=object), "g": pd.Series(dtype=object)})
    else:
        data = pd.DataFrame({"a": frame[question.code], "g": frame[by.code]}).dropna()
    return _crosstab(question.code, by.code, groups, categories, data, k, weights, question.localized("text"))


def _crosstab(
    question: str,
    by: str,
    groups: list[tuple[str, str]],
    categories: list[tuple[str, str]],
    data: pd.DataFrame,
    k: int,
    weights: pd.Series | None,
    text: str,
) -> Breakdown:
    """Protect the table of ``data`` (columns ``g`` group, ``a`` answer) and add row
    percentages (weighted when weights are given) and a test when nothing is hidden."""
    counts = data.groupby(["g", "a"]).size()
    table = {g: {c: int(counts.get((g, c), 0)) for c, _l in categories} for g, _gl in groups}
    protected = protect_table(table, k, columns=[c for c, _l in categories])
    w = weights.reindex(data.index).astype(float) if weights is not None else pd.Series(1.0, index=data.index)
    wsum = w.groupby([data["g"], data["a"]]).sum() if len(data) else pd.Series(dtype=float)
    cells: dict[tuple[str, str], int | None] = {}
    percents: dict[tuple[str, str], float | None] = {}
    totals: dict[str, int | None] = {}
    any_hidden = False
    for g, _gl in groups:
        totals[g] = protected[g, TOTAL].value
        row_weight = sum(float(wsum.get((g, c), 0.0)) for c, _l in categories)
        for c, _l in categories:
            cell = protected[g, c]
            any_hidden = any_hidden or cell.suppressed
            cells[g, c] = cell.value
            percents[g, c] = None if cell.suppressed else _pct(float(wsum.get((g, c), 0.0)), row_weight)
    test = None
    if not any_hidden and len(data):
        try:
            test = analysis.association_test([[table[g][c] for c, _l in categories] for g, _gl in groups])
        except ValueError:
            test = None
    return Breakdown(question, by, groups, categories, cells, totals, percents, test, text)


__all__ = ["SCALE_CODES", "Breakdown", "Result", "Row", "breakdown", "question_results"]


@dataclass
class Representativeness:
    """The sample's make-up on one background question against the population figures."""

    question: Question
    rows: list[tuple[str, int | None, float | None, float]]  # label, count, sample %, population %
    test: analysis.TestResult | None


def representativeness(
    questions: list[Question], frame: pd.DataFrame, population: dict[str, dict[str, float]], *, k: int
) -> list[Representativeness]:
    """Per background question with population figures: protected sample counts and
    shares beside the population shares, and a goodness-of-fit test (only when no sample
    count is hidden). Respondents who skipped the question are left out."""
    out: list[Representativeness] = []
    for question in questions:
        shares = population.get(question.code)
        if not shares or question.kind != QuestionKind.SINGLE:
            continue
        categories = [(c, label) for c, label in categories_of(question) if c in shares]
        answers = frame[question.code].dropna() if question.code in frame else pd.Series(dtype=object)
        answers = answers[answers.isin([c for c, _l in categories])]
        counts = {c: int((answers == c).sum()) for c, _l in categories}
        protected = protect_counts(counts, k)
        total = sum(counts.values())
        population_total = sum(shares[c] for c, _l in categories) or 1.0
        rows = [
            (
                label,
                protected[c].value,
                None if protected[c].suppressed or not total else 100.0 * counts[c] / total,
                100.0 * shares[c] / population_total,
            )
            for c, label in categories
        ]
        hidden = any(protected[c].suppressed for c, _l in categories) or protected[TOTAL].suppressed
        test = None
        if not hidden and total:
            test = analysis.goodness_of_fit(counts, {c: shares[c] for c, _l in categories})
        out.append(Representativeness(question, rows, test))
    return out


def compare_groups(groups: list[tuple[str, Question, pd.DataFrame]], *, k: int) -> Breakdown:
    """Respondent groups side by side (e.g. employees, HR, works council, as in the study's
    figures): the same single-answer question from each group's wave, matched by its answer
    codes, protected as one two-way table (groups x answers) with a test when nothing is
    hidden. The first group's question gives the categories; the others must have the
    same answer codes."""
    if not groups:
        raise ValueError("Give at least one group.")
    first = groups[0][1]
    if first.kind not in (QuestionKind.SINGLE, QuestionKind.AGREEMENT):
        raise ValueError("Groups are compared on a single-answer question.")
    categories = categories_of(first)
    codes = [c for c, _l in categories]
    parts = []
    for label, question, frame in groups:
        if [c for c, _l in categories_of(question)] != codes:
            raise ValueError(f"{label}: the question's answers differ from the first group's.")
        answers = frame[question.code].dropna() if question.code in frame else pd.Series(dtype=object)
        parts.append(pd.DataFrame({"g": label, "a": answers.to_numpy()}))
    data = pd.concat(parts, ignore_index=True)
    labels = [(label, label) for label, _q, _f in groups]
    return _crosstab(
        first.code, "respondent_group", labels, categories, data, k, None, first.localized("text")
    )

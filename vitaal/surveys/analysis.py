"""The analysis library: pure functions over pandas/numpy, no database and no Django
models, so they are tested against hand-computed small datasets and reused by the
report pages, the CLI and the benchmark.

Conventions: a missing answer is ``NaN``/``None`` and is left out of the N of that
question (N varies per question); weights, when given, are one per respondent and are
aligned on the index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from scipy import stats

# --------------------------------------------------------------------------------------
# Frequencies
# --------------------------------------------------------------------------------------


@dataclass
class Frequencies:
    """Counts per answer category of one question. ``n`` is the unweighted number of
    respondents who answered; ``weighted`` holds weighted counts when weights were given."""

    categories: list[str]
    counts: dict[str, int]
    n: int
    weighted: dict[str, float] | None = None

    def percent(self, *, weighted: bool = False) -> dict[str, float]:
        base = self.weighted if weighted and self.weighted is not None else self.counts
        total = sum(base.values())
        return {c: (100.0 * base[c] / total if total else 0.0) for c in self.categories}


def _weights(index: pd.Index, weights: pd.Series | None) -> pd.Series:
    if weights is None:
        return pd.Series(1.0, index=index)
    return weights.reindex(index).astype(float)


def frequencies(
    answers: pd.Series, categories: Sequence[str], weights: pd.Series | None = None
) -> Frequencies:
    """Frequencies of a single-answer question. Answers outside ``categories`` are an
    error (they mean the data and the questionnaire disagree), not a silent drop."""
    given = answers.dropna().astype(str)
    unknown = set(given) - set(categories)
    if unknown:
        raise ValueError(f"Answers not among the categories: {sorted(unknown)}.")
    counts = given.value_counts()
    result = Frequencies(list(categories), {c: int(counts.get(c, 0)) for c in categories}, len(given))
    if weights is not None:
        w = _weights(given.index, weights)
        sums = w.groupby(given).sum()
        result.weighted = {c: float(sums.get(c, 0.0)) for c in categories}
    return result


@dataclass
class MultipleResponse:
    """A multiple-response question. ``respondents`` answered the question (chose at least
    one option); ``responses`` is the number of ticks. Percentages of respondents add up to
    more than 100%, because one respondent can tick several options."""

    categories: list[str]
    counts: dict[str, int]
    respondents: int
    responses: int
    weighted: dict[str, float] | None = None
    weighted_respondents: float | None = None

    def percent_of_respondents(self, *, weighted: bool = False) -> dict[str, float]:
        if weighted and self.weighted is not None and self.weighted_respondents:
            return {c: 100.0 * self.weighted[c] / self.weighted_respondents for c in self.categories}
        return {
            c: (100.0 * self.counts[c] / self.respondents if self.respondents else 0.0)
            for c in self.categories
        }

    def percent_of_responses(self, *, weighted: bool = False) -> dict[str, float]:
        base = self.weighted if weighted and self.weighted is not None else self.counts
        total = sum(base.values())
        return {c: (100.0 * base[c] / total if total else 0.0) for c in self.categories}


def multiple_response(
    answers: pd.Series, categories: Sequence[str], weights: pd.Series | None = None
) -> MultipleResponse:
    """``answers`` holds one list of chosen codes per respondent (``None`` or an empty list:
    did not answer, so not counted in the base)."""
    lists = answers.map(lambda v: list(v) if isinstance(v, list | tuple) else [])
    lists = lists[lists.map(len) > 0]
    unknown = {code for chosen in lists for code in chosen} - set(categories)
    if unknown:
        raise ValueError(f"Answers not among the categories: {sorted(unknown)}.")
    counts = {c: int(lists.map(lambda chosen, c=c: c in chosen).sum()) for c in categories}
    result = MultipleResponse(list(categories), counts, len(lists), int(sum(counts.values())))
    if weights is not None:
        w = _weights(lists.index, weights)
        result.weighted = {c: float(w[lists.map(lambda chosen, c=c: c in chosen)].sum()) for c in categories}
        result.weighted_respondents = float(w.sum())
    return result


# --------------------------------------------------------------------------------------
# Means with a confidence interval
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanCI:
    mean: float
    low: float
    high: float
    n: int
    sd: float
    effective_n: float


def mean_ci(values: pd.Series, weights: pd.Series | None = None, confidence: float = 0.95) -> MeanCI:
    """Mean with a t-based confidence interval. Weighted, the standard error uses the
    weighted variance and Kish's effective N (also for the degrees of freedom), which is
    the usual approximation for survey weights."""
    given = values.dropna().astype(float)
    n = len(given)
    if n < 2:
        raise ValueError("A confidence interval needs at least two answers.")
    w = _weights(given.index, weights).to_numpy()
    x = given.to_numpy()
    mean = float(np.average(x, weights=w))
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    # Unbiased weighted variance with frequency-style correction on the effective N.
    var = float(np.average((x - mean) ** 2, weights=w)) * n_eff / (n_eff - 1)
    sd = math.sqrt(var)
    se = sd / math.sqrt(n_eff)
    t = float(stats.t.ppf(0.5 + confidence / 2, df=n_eff - 1))
    return MeanCI(mean, mean - t * se, mean + t * se, n, sd, n_eff)


# --------------------------------------------------------------------------------------
# Association between two variables
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestResult:
    test: str  # "chi-square" or "fisher"
    statistic: float
    p_value: float
    dof: int | None
    reading: str
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def _reading(p: float) -> str:
    p_text = "< 0.001" if p < 0.001 else f"= {p:.3f}"
    if p < 0.05:
        return _(
            "The groups differ more than chance alone would explain (p %(p)s): the difference is "
            "statistically significant."
        ) % {"p": p_text}
    return _(
        "The differences between the groups can be explained by chance (p %(p)s): they are not "
        "statistically significant."
    ) % {"p": p_text}


def association_test(table: Sequence[Sequence[float]] | np.ndarray) -> TestResult:
    """Chi-square test of independence on a table of counts (rows: groups, columns:
    answers). For a 2x2 table with an expected count under 5, Fisher's exact test is used
    instead. Rows and columns that are all zero are dropped first."""
    observed = np.asarray(table, dtype=float)
    if observed.ndim != 2:
        raise ValueError("A test of independence needs a two-way table.")
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    if observed.shape[0] < 2 or observed.shape[1] < 2:
        raise ValueError("A test needs at least two groups and two answers with counts.")
    expected = stats.contingency.expected_freq(observed)
    if observed.shape == (2, 2) and (expected < 5).any():
        odds, p = stats.fisher_exact(observed.round().astype(int))
        return TestResult("fisher", float(odds), float(p), None, _reading(float(p)))
    chi2, p, dof, _expected = stats.chi2_contingency(observed, correction=False)
    warnings = []
    if (expected < 5).mean() > 0.2:
        warnings.append(
            _("More than a fifth of the cells expect fewer than 5 answers; read the test with care.")
        )
    return TestResult("chi-square", float(chi2), float(p), int(dof), _reading(float(p)), warnings)


def goodness_of_fit(observed: Mapping[str, int], population: Mapping[str, float]) -> TestResult:
    """Does the sample's distribution match the population's shares? (chi-square)"""
    keys = list(population)
    if set(observed) - set(keys):
        raise ValueError(f"Sample categories not in the population: {sorted(set(observed) - set(keys))}.")
    counts = np.array([observed.get(key, 0) for key in keys], dtype=float)
    shares = np.array([population[key] for key in keys], dtype=float)
    shares = shares / shares.sum()
    chi2, p = stats.chisquare(counts, counts.sum() * shares)
    return TestResult("chi-square", float(chi2), float(p), len(keys) - 1, _reading(float(p)))


# --------------------------------------------------------------------------------------
# Raking weights
# --------------------------------------------------------------------------------------


@dataclass
class Raking:
    weights: pd.Series  # mean 1 over the respondents
    iterations: int
    converged: bool
    trimmed: int  # weights that ended on a trimming bound
    design_effect: float
    effective_n: float


def design_effect(weights: Iterable[float]) -> float:
    """Kish's design effect of unequal weights: n * sum(w^2) / (sum w)^2."""
    w = np.asarray(list(weights), dtype=float)
    return float(len(w) * (w**2).sum() / w.sum() ** 2)


def effective_n(weights: Iterable[float]) -> float:
    w = np.asarray(list(weights), dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def rake(
    sample: pd.DataFrame,
    margins: Mapping[str, Mapping[str, float]],
    *,
    trim: tuple[float, float] | None = (0.2, 5.0),
    max_iterations: int = 200,
    tolerance: float = 1e-8,
) -> Raking:
    """Iterative proportional fitting: adjust weights variable by variable until the
    weighted sample matches every population margin (shares per category; they are scaled
    to 1). ``trim`` bounds the weights relative to their mean; trimmed weights are raked
    again, so the margins still hold as far as the bounds allow."""
    if sample.empty:
        raise ValueError("Raking needs at least one respondent.")
    targets: dict[str, pd.Series] = {}
    for variable, shares in margins.items():
        if variable not in sample:
            raise ValueError(f"The sample has no variable {variable!r}.")
        column = sample[variable]
        if column.isna().any():
            raise ValueError(f"{variable!r} has missing values; give them a category of their own.")
        target = pd.Series(shares, dtype=float)
        if (target < 0).any() or target.sum() <= 0:
            raise ValueError(f"The population shares of {variable!r} must be positive.")
        extra = set(column.astype(str)) - set(target.index)
        if extra:
            raise ValueError(f"{variable!r} has categories without a population share: {sorted(extra)}.")
        empty = [c for c in target.index if target[c] > 0 and not (column.astype(str) == c).any()]
        if empty:
            raise ValueError(f"{variable!r}: nobody in the sample for {empty}; merge categories first.")
        targets[variable] = target / target.sum()
    codes = {variable: sample[variable].astype(str).to_numpy() for variable in targets}
    w = np.ones(len(sample))
    iterations, converged = 0, False
    for _round in range(50):
        w, used, converged = _ipf(w, codes, targets, max_iterations - iterations, tolerance)
        iterations += used
        if trim is None:
            break
        trimmed_w = _trim(w, *trim)
        if np.allclose(trimmed_w, w / w.mean(), atol=1e-9) or iterations >= max_iterations:
            break
        # Rake again from the trimmed weights: the margins are met again as far as the
        # bounds allow, and the next round trims what raking pushed out again.
        w = trimmed_w
    w = _trim(w, *trim) if trim is not None else w / w.mean()
    bounds_hit = int(np.isclose(w, trim[0]).sum() + np.isclose(w, trim[1]).sum()) if trim else 0
    series = pd.Series(w, index=sample.index, name="weight")
    return Raking(series, iterations, converged, bounds_hit, design_effect(w), effective_n(w))


def _ipf(
    w: np.ndarray,
    codes: Mapping[str, np.ndarray],
    targets: Mapping[str, pd.Series],
    budget: int,
    tolerance: float,
) -> tuple[np.ndarray, int, bool]:
    used = 0
    while used < max(budget, 1):
        used += 1
        change = 0.0
        for variable, target in targets.items():
            shares = pd.Series(w).groupby(codes[variable]).sum() / w.sum()
            factor = (target / shares).reindex(codes[variable]).to_numpy()
            change = max(change, float(np.abs(factor - 1).max()))
            w = w * factor
        if change < tolerance:
            return w, used, True
    return w, used, False


def _trim(w: np.ndarray, low: float, high: float) -> np.ndarray:
    """Bound the weights to [low, high] times their mean, keeping the mean at 1."""
    if not 0 < low <= 1 <= high:
        raise ValueError("Trimming bounds must satisfy 0 < low <= 1 <= high.")
    w = w / w.mean()
    for _step in range(100):
        clipped = np.clip(w, low, high)
        clipped = clipped / clipped.mean()
        if np.allclose(clipped, w, atol=1e-12):
            break
        w = clipped
    return np.clip(w, low, high)


# --------------------------------------------------------------------------------------
# Agreement between coders
# --------------------------------------------------------------------------------------


def cohen_kappa(first: Sequence[Any], second: Sequence[Any]) -> float:
    """Cohen's kappa for two coders who each gave one code per item."""
    if len(first) != len(second) or not first:
        raise ValueError("Both coders must code the same, non-empty list of items.")
    labels = sorted({*first, *second}, key=str)
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)))
    for a, b in zip(first, second, strict=True):
        matrix[index[a], index[b]] += 1
    n = matrix.sum()
    observed = np.trace(matrix) / n
    expected = float((matrix.sum(axis=1) * matrix.sum(axis=0)).sum() / n**2)
    if expected == 1.0:
        return 1.0
    return float((observed - expected) / (1 - expected))

"""Scores of a meter session, as pure functions over plain values (no database).

An answer is a level of the scale (an ``int``) or one of the escapes ``NA`` (not
applicable) and ``DK`` (don't know). Escapes count as *no answer*: they are left out of
both the numerator and the denominator, and the number of answered items is reported
beside every score so a reader can see how much a score rests on.

A line score is the weighted mean of its items' values (weights 1-3), on the scale and
normalised to 0-100 (scale minimum = 0, scale maximum = 100). In individual mode an item's
value is first the mean over the participants, with its spread beside it.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

NA = "na"
DK = "dk"
Answer = int | str


@dataclass(frozen=True)
class ScaleRange:
    """The numeric range of a rating scale, e.g. 1-4."""

    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.maximum <= self.minimum:
            raise ValueError("A scale needs a maximum above its minimum.")

    def to_100(self, value: float) -> float:
        return (value - self.minimum) / (self.maximum - self.minimum) * 100.0

    def contains(self, level: int) -> bool:
        return self.minimum <= level <= self.maximum


@dataclass(frozen=True)
class ItemSpec:
    """What scoring needs to know of an item: a key, its line and its weight."""

    key: Hashable
    line: str
    weight: int = 1


@dataclass(frozen=True)
class ItemSummary:
    """One item's ratings across participants (individual mode).

    ``agreement`` is the share of the level answers within one level of the median: 1.0
    means everyone is at most one step apart, 0.5 that half of the group sees it
    differently. ``sd`` is the sample standard deviation (None below two answers)."""

    key: Hashable
    n: int
    n_not_applicable: int
    n_dont_know: int
    mean: float | None
    sd: float | None
    minimum: int | None
    maximum: int | None
    median: float | None
    agreement: float | None


@dataclass(frozen=True)
class LineScore:
    """The score of one development line: ``score`` on the scale, ``score_100`` on 0-100,
    ``answered`` of ``items`` items had a value; None when no item had one."""

    line: str
    score: float | None
    score_100: float | None
    answered: int
    items: int
    weight_answered: int


@dataclass(frozen=True)
class LineDelta:
    """A line compared between two measurements: ``delta`` = other - base."""

    line: str
    base: float | None
    other: float | None
    delta: float | None
    base_100: float | None
    other_100: float | None
    delta_100: float | None


def level_of(answer: Answer | None, scale: ScaleRange | None = None) -> int | None:
    """The numeric level of an answer, None for N/A, don't know or no answer."""
    if answer is None or answer in (NA, DK):
        return None
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise ValueError(f"Unknown answer {answer!r}.")
    if scale is not None and not scale.contains(answer):
        raise ValueError(f"Level {answer} lies outside the scale {scale.minimum}-{scale.maximum}.")
    return answer


def summarise_item(key: Hashable, answers: Sequence[Answer], scale: ScaleRange | None = None) -> ItemSummary:
    """Mean, spread and agreement of one item over all participants' answers."""
    levels = [lv for lv in (level_of(a, scale) for a in answers) if lv is not None]
    n_na = sum(1 for a in answers if a == NA)
    n_dk = sum(1 for a in answers if a == DK)
    if not levels:
        return ItemSummary(key, 0, n_na, n_dk, None, None, None, None, None, None)
    median = float(statistics.median(levels))
    agreement = sum(1 for lv in levels if abs(lv - median) <= 1) / len(levels)
    return ItemSummary(
        key=key,
        n=len(levels),
        n_not_applicable=n_na,
        n_dont_know=n_dk,
        mean=statistics.fmean(levels),
        sd=statistics.stdev(levels) if len(levels) > 1 else None,
        minimum=min(levels),
        maximum=max(levels),
        median=median,
        agreement=agreement,
    )


def _line_order(items: Sequence[ItemSpec], line_order: Sequence[str] | None) -> list[str]:
    if line_order is not None:
        return list(line_order)
    seen: list[str] = []
    for item in items:
        if item.line not in seen:
            seen.append(item.line)
    return seen


def weighted_line_scores(
    items: Sequence[ItemSpec],
    values: Mapping[Hashable, float | None],
    scale: ScaleRange,
    line_order: Sequence[str] | None = None,
) -> list[LineScore]:
    """Weighted mean per line of the items' numeric values (None = not answered)."""
    out: list[LineScore] = []
    for line in _line_order(items, line_order):
        line_items = [i for i in items if i.line == line]
        answered = [(i, values.get(i.key)) for i in line_items if values.get(i.key) is not None]
        weight = sum(i.weight for i, _v in answered)
        if not answered or weight == 0:
            out.append(LineScore(line, None, None, 0, len(line_items), 0))
            continue
        score = sum(i.weight * float(v) for i, v in answered if v is not None) / weight
        out.append(LineScore(line, score, scale.to_100(score), len(answered), len(line_items), weight))
    return out


def group_line_scores(
    items: Sequence[ItemSpec],
    answers: Mapping[Hashable, Answer],
    scale: ScaleRange,
    line_order: Sequence[str] | None = None,
) -> list[LineScore]:
    """Line scores of a group session: one agreed answer per item."""
    values: dict[Hashable, float | None] = {}
    for item in items:
        level = level_of(answers.get(item.key), scale)
        values[item.key] = float(level) if level is not None else None
    return weighted_line_scores(items, values, scale, line_order)


def individual_line_scores(
    items: Sequence[ItemSpec],
    answers: Mapping[Hashable, Sequence[Answer]],
    scale: ScaleRange,
    line_order: Sequence[str] | None = None,
) -> tuple[list[LineScore], list[ItemSummary]]:
    """Line scores of an individual session: per item the mean over participants (with
    spread), then the weighted mean of those item means per line."""
    summaries = [summarise_item(item.key, answers.get(item.key, ()), scale) for item in items]
    values = {s.key: s.mean for s in summaries}
    return weighted_line_scores(items, values, scale, line_order), summaries


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def compare_line_scores(base: Sequence[LineScore], other: Sequence[LineScore]) -> list[LineDelta]:
    """Line by line, ``other`` against ``base``: unit against unit, unit against the whole
    organisation, or evaluation against baseline. Lines present in only one side get no
    delta. Lines are matched by code, so measurements with different instruments of one
    framework (long and short) can be compared too."""
    by_line = {s.line: s for s in other}
    lines = [s.line for s in base] + [s.line for s in other if s.line not in {b.line for b in base}]
    base_by_line = {s.line: s for s in base}
    out: list[LineDelta] = []
    for line in lines:
        b, o = base_by_line.get(line), by_line.get(line)
        b_score, o_score = (b.score if b else None), (o.score if o else None)
        b_100, o_100 = (b.score_100 if b else None), (o.score_100 if o else None)
        out.append(
            LineDelta(line, b_score, o_score, _minus(o_score, b_score), b_100, o_100, _minus(o_100, b_100))
        )
    return out

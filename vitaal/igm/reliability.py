"""How reliable the instrument is per development line: Cronbach's alpha over the
individual ratings of a line's items (pure functions, no database).

Participants are rows, the line's items are columns. A participant with N/A or don't know
(or no answer) on any of the line's items is left out of that line (listwise deletion),
because alpha compares every participant's total score over the same items.

Verdict bands (our choice, following the usual rules of thumb for short scales):

=============  ==============  ============
alpha          Dutch           English
=============  ==============  ============
< 0.6          onvoldoende     insufficient
0.6 - < 0.7    matig           moderate
0.7 - < 0.8    voldoende       sufficient
>= 0.8         goed            good
=============  ==============  ============

Below ``MIN_RESPONDENTS`` complete participants or with fewer than two items there is no
alpha: the result carries ``alpha=None`` and a reason.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vitaal.igm.scoring import Answer, level_of

MIN_RESPONDENTS = 10
MIN_ITEMS = 2

# (lower bound, code, Dutch, English), highest band first
VERDICT_BANDS: list[tuple[float, str, str, str]] = [
    (0.8, "good", "goed", "good"),
    (0.7, "sufficient", "voldoende", "sufficient"),
    (0.6, "moderate", "matig", "moderate"),
    (float("-inf"), "insufficient", "onvoldoende", "insufficient"),
]


@dataclass(frozen=True)
class LineReliability:
    """Cronbach's alpha for one line: ``n`` participants with complete answers, ``items``
    items; ``verdict`` is a code, ``verdict_nl``/``verdict_en`` plain words; ``reason``
    says why there is no alpha."""

    line: str
    alpha: float | None
    n: int
    items: int
    verdict: str | None
    verdict_nl: str | None
    verdict_en: str | None
    reason: Promise | str | None = None


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """alpha = k/(k-1) * (1 - sum of item variances / variance of the totals), with sample
    variances. None when it is undefined (fewer than 2 rows or columns, or no variance in
    the totals)."""
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if k < 2 or any(len(r) != k for r in rows):
        return None
    item_variances = [statistics.variance([r[j] for r in rows]) for j in range(k)]
    total_variance = statistics.variance([sum(r) for r in rows])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


def verdict_for(alpha: float) -> tuple[str, str, str]:
    for lower, code, nl, en in VERDICT_BANDS:
        if alpha >= lower:
            return code, nl, en
    raise AssertionError("unreachable")  # the last band has no lower bound


def line_reliability(
    line: str,
    participants: Sequence[Sequence[Answer | None]],
    *,
    min_respondents: int = MIN_RESPONDENTS,
) -> LineReliability:
    """Alpha of one line from each participant's answers to the line's items (same item
    order for everyone)."""
    k = max((len(p) for p in participants), default=0)
    if k < MIN_ITEMS:
        return LineReliability(
            line, None, 0, k, None, None, None, _("Alpha needs at least two items on a line.")
        )
    complete: list[list[float]] = []
    for answers in participants:
        levels = [level_of(a) for a in answers]
        if len(levels) == k and all(lv is not None for lv in levels):
            complete.append([float(lv) for lv in levels if lv is not None])
    n = len(complete)
    if n < min_respondents:
        return LineReliability(
            line,
            None,
            n,
            k,
            None,
            None,
            None,
            _("Too few participants answered every item of this line (%(n)s; at least %(min)s needed).")
            % {"n": n, "min": min_respondents},
        )
    alpha = cronbach_alpha(complete)
    if alpha is None:
        return LineReliability(
            line, None, n, k, None, None, None, _("Everyone gave the same total, so alpha is undefined.")
        )
    code, nl, en = verdict_for(alpha)
    return LineReliability(line, alpha, n, k, code, nl, en)

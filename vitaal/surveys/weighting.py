"""Raking weights for a wave: the analysis library's ``rake`` applied to the wave's
population figures, with respondents who skipped a background question kept in a
category of their own that keeps its sample share (they are neither pushed up nor down
on that variable)."""

from __future__ import annotations

import pandas as pd

from vitaal.surveys import analysis
from vitaal.surveys.models import Wave

NOT_ANSWERED = "_not_answered"


def wave_weights(wave: Wave, frame: pd.DataFrame) -> analysis.Raking | None:
    """Weights for the rows of ``frame``, or None when the wave has no population figures
    (or nobody answered)."""
    margins: dict[str, dict[str, float]] = {}
    sample = pd.DataFrame(index=frame.index)
    for code, shares in (wave.population or {}).items():
        if code not in frame or not len(frame):
            continue
        column = frame[code].fillna(NOT_ANSWERED).astype(str)
        total = float(sum(shares.values()))
        missing_share = float((column == NOT_ANSWERED).mean())
        target = {value: (1 - missing_share) * share / total for value, share in shares.items()}
        # Categories nobody in the sample chose cannot be weighted up; they are dropped and
        # the other shares scaled, which the report states as a limitation.
        present = set(column)
        target = {value: share for value, share in target.items() if value in present and share > 0}
        if missing_share:
            target[NOT_ANSWERED] = missing_share
        if not target or set(column) - set(target):
            continue
        margins[code] = target
        sample[code] = column
    if not margins:
        return None
    return analysis.rake(sample, margins)

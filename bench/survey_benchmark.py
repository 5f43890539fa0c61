"""Survey analysis benchmark (issue 6): the full analysis of a 50,000-response wave — every
question, unweighted and weighted, plus 3 breakdowns of every single-answer question —
by vitaal's analysis code, against a hand-written pandas script computing the same tables.
Prints both times and the ratio (goal: at most 2x).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/survey_benchmark.py [N]

The answers are generated straight into the analysis table (``wave_frame``'s shape), so
the benchmark measures the analysis, not inserting 50,000 rows; only the questionnaire is
read from the database.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd


def synthetic_frame(questions: list, n: int, seed: int = 7) -> pd.DataFrame:
    from vitaal.surveys.models import QuestionKind
    from vitaal.surveys.results import categories_of

    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"_status": np.where(rng.random(n) < 0.83, "complete", "partial")}
    for q in questions:
        missing = rng.random(n) < 0.08
        if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT):
            codes = [c for c, _l in categories_of(q)]
            p = rng.dirichlet(np.ones(len(codes)) * 2)
            col = pd.Series(rng.choice(codes, size=n, p=p), dtype=object)
            col[missing] = None
            data[q.code] = col
        elif q.kind == QuestionKind.MULTIPLE:
            codes = [c for c, _l in categories_of(q)]
            ticks = rng.random((n, len(codes))) < 0.3
            data[q.code] = [
                None if m else [c for c, t in zip(codes, row, strict=True) if t]
                for m, row in zip(missing, ticks, strict=True)
            ]
        elif q.kind == QuestionKind.MATRIX:
            for s in q.statements.all():
                col = pd.Series(rng.choice(["1", "2", "3", "4", "5"], size=n), dtype=object)
                col[rng.random(n) < 0.05] = None
                data[f"{q.code}.{s.code}"] = col
        elif q.kind == QuestionKind.GRADE:
            col = pd.Series(rng.integers(1, 11, size=n).astype(float))
            col[missing] = np.nan
            data[q.code] = col
        elif q.kind == QuestionKind.NUMBER:
            col = pd.Series(rng.integers(8, 41, size=n).astype(float))
            col[missing] = np.nan
            data[q.code] = col
        else:
            data[q.code] = np.where(rng.random(n) < 0.2, "some text", "")
    # Skewed like the study: more women and more support staff than the population.
    data["gender"] = pd.Series(rng.choice(["woman", "man", "x"], size=n, p=[0.64, 0.35, 0.01]), dtype=object)
    data["function_group"] = pd.Series(
        rng.choice(["teaching", "support", "management"], size=n, p=[0.40, 0.52, 0.08]), dtype=object
    )
    return pd.DataFrame(data)


POPULATION = {
    "gender": {"woman": 52.0, "man": 47.0, "x": 1.0},
    "function_group": {"teaching": 55.0, "support": 38.0, "management": 7.0},
}
BREAKDOWNS = ["gender", "function_group", "age_band"]


def ours(wave, questions, frame):
    from vitaal.surveys.models import QuestionKind
    from vitaal.surveys.results import breakdown, question_results
    from vitaal.surveys.weighting import wave_weights

    raking = wave_weights(wave, frame)
    weights = raking.weights
    out = []
    for w in (None, weights):
        out += [r for q in questions for r in question_results(q, frame, k_opinion=5, k_text=10, weights=w)]
    by_q = {q.code: q for q in questions}
    for by in BREAKDOWNS:
        for q in questions:
            if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT) and q.code != by:
                out.append(breakdown(q, by_q[by], frame, k=5, weights=weights))
    return out


def by_hand(questions, frame):
    """What an analyst would write in pandas: IPF weights, frequency tables (weighted and
    not), means with t intervals, and crosstabs with a chi-square test. No disclosure
    control: that is vitaal's extra work and part of what the ratio measures."""
    from scipy import stats

    from vitaal.surveys.models import QuestionKind

    sample = frame[list(POPULATION)].astype(str)
    w = np.ones(len(frame))
    for _ in range(100):
        for var, shares in POPULATION.items():
            target = pd.Series(shares) / sum(shares.values())
            current = pd.Series(w).groupby(sample[var].to_numpy()).sum() / w.sum()
            w = w * (target / current).reindex(sample[var]).to_numpy()
    w = np.clip(w / w.mean(), 0.2, 5.0)
    weights = pd.Series(w / w.mean(), index=frame.index)
    tables = []
    for wt in (None, weights):
        for q in questions:
            cols = (
                [f"{q.code}.{s.code}" for s in q.statements.all()]
                if q.kind == QuestionKind.MATRIX
                else [q.code]
            )
            for col in cols:
                s = frame[col]
                if q.kind == QuestionKind.MULTIPLE:
                    exploded = s.dropna().explode().dropna()
                    counts = exploded.value_counts()
                    tables.append(counts / s.dropna().map(len).gt(0).sum())
                    if wt is not None:
                        tables.append(wt.reindex(exploded.index).groupby(exploded).sum())
                elif q.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
                    x = s.dropna()
                    ww = (wt if wt is not None else pd.Series(1.0, index=frame.index)).reindex(x.index)
                    m = np.average(x, weights=ww)
                    se = x.std() / np.sqrt(len(x))
                    tables.append((m, stats.t.interval(0.95, len(x) - 1, loc=m, scale=se)))
                    tables.append(x.value_counts())
                elif q.kind == QuestionKind.OPEN:
                    tables.append((s.str.strip() != "").sum())
                else:
                    tables.append(s.value_counts())
                    if wt is not None:
                        tables.append(wt.reindex(s.dropna().index).groupby(s.dropna()).sum())
    for by in BREAKDOWNS:
        for q in questions:
            if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT) and q.code != by:
                ct = pd.crosstab(frame[by], frame[q.code])
                tables.append(pd.crosstab(frame[by], frame[q.code], values=weights, aggfunc="sum"))
                if ct.shape[0] > 1 and ct.shape[1] > 1:
                    tables.append(stats.chi2_contingency(ct.to_numpy(), correction=False))
    return tables


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vitaal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from vitaal.core.models import Sector
    from vitaal.surveys import services
    from vitaal.surveys.models import Questionnaire, Wave

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_questionnaires", verbosity=0, stdout=quiet)
    questionnaire = Questionnaire.objects.get(code="employee-survey", version=1)
    sector, _ = Sector.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
    wave = Wave.objects.filter(title="benchmark", sector=sector).first() or services.wave_create(
        questionnaire=questionnaire, sector=sector, title="benchmark"
    )
    wave.population = POPULATION
    questions = services.questions_of(questionnaire)
    frame = synthetic_frame(questions, n)

    start = time.perf_counter()
    ours(wave, questions, frame)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    by_hand(questions, frame)
    t_hand = time.perf_counter() - start
    print(f"responses: {n}")
    print(f"vitaal analysis: {t_ours:.2f} s")
    print(f"hand-written pandas: {t_hand:.2f} s")
    print(f"ratio: {t_ours / t_hand:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    main()

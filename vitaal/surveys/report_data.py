"""The numbers of a wave's report as plain data, shared by the CLI (``vitaal survey
analyze``) and tests: the same protected results the results page shows."""

from __future__ import annotations

from typing import Any

from vitaal.core.disclosure import threshold_for
from vitaal.surveys import selectors, services
from vitaal.surveys.models import Wave
from vitaal.surveys.results import question_results
from vitaal.surveys.weighting import wave_weights


def wave_report(wave: Wave, *, weighted: bool = False) -> dict[str, Any]:
    questions = services.questions_of(wave.questionnaire)
    frame = selectors.wave_frame(wave)
    raking = wave_weights(wave, frame)
    weights = raking.weights if weighted and raking is not None else None
    k_opinion = threshold_for(wave.sector, "survey")
    k_text = threshold_for(wave.sector, "free_text")
    results = [
        r.to_dict()
        for q in questions
        for r in question_results(q, frame, k_opinion=k_opinion, k_text=k_text, weights=weights)
    ]
    return {
        "wave": wave.pk,
        "title": wave.title,
        "responses": selectors.wave_status(wave),
        "weighted": weights is not None,
        "design_effect": raking.design_effect if weights is not None and raking else None,
        "effective_n": raking.effective_n if weights is not None and raking else None,
        "threshold": k_opinion,
        "results": results,
    }


def report_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report flattened to rows: variable, answer, count, percent (and N, mean)."""
    rows: list[list[Any]] = [["variable", "answer", "count", "percent", "n", "mean", "ci_low", "ci_high"]]
    for result in report["results"]:
        mean = result.get("mean") or {}
        if not result["rows"]:
            rows.append(
                [result["code"], "", "", "", result["n"], mean.get("mean"), mean.get("low"), mean.get("high")]
            )
        for row in result["rows"]:
            rows.append(
                [
                    result["code"],
                    row["code"],
                    row["count"],
                    row["percent"],
                    result["n"],
                    mean.get("mean"),
                    mean.get("low"),
                    mean.get("high"),
                ]
            )
    return rows

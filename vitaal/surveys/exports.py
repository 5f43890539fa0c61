"""Response files: a wave's answers as one row per response, with a codebook that gives
every variable a label and every code a value label. SPSS (.sav) keeps codes with value
labels; CSV and XLSX carry the labels as text, protected against formula injection.

These files hold individual (anonymous) responses, so they are offered only to the
operator's command line (``vitaal survey export``), not on employer-side pages; see
docs/surveys.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from vitaal.core.spreadsheets import safe_cell, write_xlsx
from vitaal.surveys.models import AGREEMENT_SCALE, OTHER, Question, QuestionKind


@dataclass
class Variable:
    """One column of the response file."""

    name: str
    label: str
    value_labels: dict[int, str] = field(default_factory=dict)
    numeric: bool = True
    # Where the column comes from, for reading a file back: the question's code, the
    # option / statement / "other" part, and each number's answer code.
    question: str = ""
    part: str = ""
    codes: dict[int, str] = field(default_factory=dict)


def spss_name(*parts: str) -> str:
    """A valid SPSS variable name: letters, digits and '_', starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", "_".join(parts))
    if not name[:1].isalpha():
        name = f"v_{name}"
    return name[:64]


def _option_pairs(question: Question) -> list[tuple[str, str]]:
    pairs = [(o.value, o.localized("label")) for o in question.options.all()]
    if question.allow_other:
        pairs.append((OTHER, "Other"))
    return pairs


def codebook(questions: list[Question]) -> list[tuple[Variable, Any]]:
    """Variables in questionnaire order, each with a function that reads its value from
    one row of ``selectors.wave_frame``."""
    out: list[tuple[Variable, Any]] = []
    scale = {int(code): str(label) for code, label in AGREEMENT_SCALE}
    for q in questions:
        text = q.localized("text")
        if q.kind in (QuestionKind.SINGLE, QuestionKind.AGREEMENT):
            pairs = (
                [(c, str(label)) for c, label in AGREEMENT_SCALE]
                if q.kind == QuestionKind.AGREEMENT
                else _option_pairs(q)
            )
            numbers = {c: n for n, (c, _l) in enumerate(pairs, start=1)}
            if q.kind == QuestionKind.AGREEMENT:
                numbers = {c: int(c) for c, _l in pairs}
            labels = {numbers[c]: label for c, label in pairs}
            codes = {n: c for c, n in numbers.items()}
            out.append(
                (
                    Variable(spss_name(q.code), text, labels, question=q.code, codes=codes),
                    _coded(q.code, numbers),
                )
            )
            if q.allow_other:
                out.append(
                    (
                        Variable(
                            spss_name(q.code, "other"),
                            f"{text} (other)",
                            numeric=False,
                            question=q.code,
                            part=OTHER,
                        ),
                        _text(q.code + "#other"),
                    )
                )
        elif q.kind == QuestionKind.MULTIPLE:
            for value, label in _option_pairs(q):
                out.append(
                    (
                        Variable(
                            spss_name(q.code, value),
                            f"{text}: {label}",
                            {0: "not chosen", 1: "chosen"},
                            question=q.code,
                            part=value,
                        ),
                        _ticked(q.code, value),
                    )
                )
            if q.allow_other:
                out.append(
                    (
                        Variable(
                            spss_name(q.code, "other_text"),
                            f"{text} (other)",
                            numeric=False,
                            question=q.code,
                            part=OTHER,
                        ),
                        _text(q.code + "#other"),
                    )
                )
        elif q.kind == QuestionKind.MATRIX:
            for s in q.statements.all():
                column = f"{q.code}.{s.code}"
                out.append(
                    (
                        Variable(
                            spss_name(q.code, s.code),
                            f"{text}: {s.localized('text')}",
                            dict(scale),
                            question=q.code,
                            part=s.code,
                            codes={k: str(k) for k in scale},
                        ),
                        _coded(column, {str(k): k for k in scale}),
                    )
                )
        elif q.kind in (QuestionKind.GRADE, QuestionKind.NUMBER):
            out.append((Variable(spss_name(q.code), text, question=q.code), _number(q.code)))
        else:
            out.append((Variable(spss_name(q.code), text, numeric=False, question=q.code), _text(q.code)))
    return out


def _get(row: pd.Series, column: str) -> Any:
    value = row.get(column) if column in row.index else None
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _coded(column: str, numbers: dict[str, int]) -> Any:
    return lambda row: numbers.get(str(_get(row, column))) if _get(row, column) is not None else None


def _ticked(column: str, value: str) -> Any:
    def read(row: pd.Series) -> int | None:
        chosen = _get(row, column)
        return None if chosen is None else int(value in chosen)

    return read


def _number(column: str) -> Any:
    return lambda row: _get(row, column)


def _text(column: str) -> Any:
    return lambda row: _get(row, column) or ""


def response_table(frame: pd.DataFrame, questions: list[Question]) -> tuple[pd.DataFrame, list[Variable]]:
    """The coded table (one column per variable) and its codebook; plus ``status``."""
    book = codebook(questions)
    data = {v.name: [read(row) for _i, row in frame.iterrows()] for v, read in book}
    table = pd.DataFrame(data, columns=[v.name for v, _r in book])
    for v, _read in book:
        if v.numeric:
            table[v.name] = pd.to_numeric(table[v.name], errors="coerce")
    table.insert(0, "status", list(frame["_status"]) if "_status" in frame else [])
    variables = [Variable("status", "Response status", numeric=False), *[v for v, _r in book]]
    return table, variables


def labelled(table: pd.DataFrame, variables: list[Variable]) -> pd.DataFrame:
    """Codes replaced by their value labels (for CSV and XLSX readers)."""
    out = table.copy()
    for v in variables:
        if v.value_labels:
            out[v.name] = out[v.name].map(lambda x, v=v: v.value_labels.get(int(x), x) if pd.notna(x) else "")
    return out


def to_csv(table: pd.DataFrame, variables: list[Variable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([v.name for v in variables])
    for row in labelled(table, variables).itertuples(index=False):
        writer.writerow(
            [safe_cell("" if pd.isna(x) else x) if not isinstance(x, str) else safe_cell(x) for x in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: pd.DataFrame, variables: list[Variable]) -> bytes:
    rows = [
        ["" if (not isinstance(x, str) and pd.isna(x)) else x for x in row]
        for row in labelled(table, variables).itertuples(index=False)
    ]
    return write_xlsx(headers=[v.name for v in variables], rows=rows, sheet_title="responses")


def to_sav(table: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """SPSS file with variable labels and value labels."""
    import pyreadstat

    pyreadstat.write_sav(
        table,
        str(path),
        column_labels={v.name: v.label[:250] for v in variables},
        variable_value_labels={
            v.name: {float(k): s for k, s in v.value_labels.items()} for v in variables if v.value_labels
        },
    )

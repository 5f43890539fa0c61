"""The sector-scale employee wave of a history build (``vitaal demo --years 5``): about one
response per member of staff (50,000 for the whole sector), drawn like the everyday demo's
wave (the same skew, about one in six stopped halfway) and written in chunks, so memory
stays bounded and the time grows only with the number of rows.

Responses go in with ``bulk_create`` (their keys are needed); answers, about fourteen per
response, go in with one multi-row insert per batch, each value prepared by its model field
so SQLite and PostgreSQL store exactly what the ORM would."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

from vitaal.surveys import services
from vitaal.surveys.demo import _employee, answer_values
from vitaal.surveys.models import (
    Answer,
    Question,
    ResponseSource,
    ResponseStatus,
    SurveyResponse,
    Wave,
    new_token,
    token_hash,
)

CHUNK = 2000  # responses generated and written at a time
PARTIAL_SHARE = 0.17


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain rows (no model instances) into ``model``'s table with ``executemany``,
    1,000 rows a batch; every value goes through its field's ``get_db_prep_save``. Returns
    the row count.

    A column left out of ``fields`` that has a default gets it, drawn per row as the ORM
    would: above all the random primary key of responses and answers (``random_pk``),
    which the database cannot make (the tables have no sequence)."""
    meta = model._meta
    given: list[Any] = [meta.get_field(name) for name in fields]
    defaulted: list[Any] = [
        f for f in meta.concrete_fields if f not in given and f.has_default() and not f.auto_created
    ]
    columns = [*given, *defaulted]
    quote = connection.ops.quote_name
    # Table and column names come from the model's meta, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    count = 0
    source = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(source, 1000)):
            cursor.executemany(
                sql,
                [
                    tuple(
                        f.get_db_prep_save(v, connection)
                        for f, v in zip(columns, (*row, *(f.get_default() for f in defaulted)), strict=True)
                    )
                    for row in batch
                ],
            )
            count += len(batch)
    return count


def fill_in_chunks(wave: Wave, total: int, sizes: list[str], rng: random.Random) -> int:
    """Write ``total`` employee responses into ``wave``; returns the number of answer rows."""
    questions: dict[str, Question] = {q.code: q for q in services.questions_of(wave.questionnaire)}
    order = list(questions)
    day = datetime.date(2025, 6, 2)
    written = 0
    for first in range(0, total, CHUNK):
        rows = [_employee(rng, sizes) for _ in range(min(CHUNK, total - first))]
        stops = [
            rng.randint(5, len(order) - 2) if rng.random() < PARTIAL_SHARE else len(order) for _row in rows
        ]
        responses = SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    wave=wave,
                    resume_key_hash=token_hash(new_token()),
                    source=ResponseSource.LINK,
                    status=ResponseStatus.PARTIAL if stop < len(order) else ResponseStatus.COMPLETE,
                    started_on=day,
                    submitted_on=None if stop < len(order) else day,
                )
                for stop in stops
            ]
        )
        written += insert_rows(
            Answer,
            ("response", "question", "statement", "choice", "choices", "number", "text"),
            (
                (response.pk, question.pk, statement.pk if statement else None, choice, choices, number, text)
                for response, row, stop in zip(responses, rows, stops, strict=True)
                for question, statement, choice, choices, number, text in answer_values(
                    row, questions, order[:stop]
                )
            ),
        )
    return written

"""Importing an insurer's usage spreadsheet through vitaal's import service (the whole
file checked, then applied in one transaction: ``insurer_import_check`` +
``insurer_import_apply``) against the least any import must do: read the same file with
python-calamine and insert the same rows with one bulk insert. Goal: at most 2x.

The spreadsheet is generated deterministically with the documented column mapping
(docs/care-reporting.md): organisation, year, quarter, intervention or theme, gender, age
band, function group, users, cost. Its years (2090 onwards) hold no real data, so every
row is new. Each run happens inside a transaction that is rolled back: the benchmark
database is the same afterwards.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from itertools import product
from typing import Any

from django.db import transaction

from bench.memory import traced_peak
from bench.timing import BenchError

HEADER = [
    "organisation",
    "year",
    "quarter",
    "intervention",
    "theme",
    "gender",
    "age_band",
    "function_group",
    "users",
    "cost",
]
FIRST_YEAR = 2090
GENDERS = ["f", "m", "x", ""]
BANDS = ["<35", "35-44", "45-54", "55+", ""]
THEMES = ["physical", "mental", "lifestyle", "other"]


class _RollBack(Exception):
    """Raised at the end of a run to undo everything it wrote."""


def generate_rows(sector: Any, count: int, seed: int = 7) -> list[list[Any]]:
    """``count`` distinct rows: every organisation, quarter, intervention (or theme alone)
    and group, in a seeded order, with seeded numbers."""
    from vitaal.care.models import Intervention
    from vitaal.core.models import FunctionGroup, Organisation

    slugs = list(Organisation.objects.filter(sector=sector).order_by("slug").values_list("slug", flat=True))
    codes = list(Intervention.objects.filter(sector=sector).order_by("code").values_list("code", flat=True))
    groups = [
        *FunctionGroup.objects.filter(sector=sector).order_by("code").values_list("code", flat=True),
        "",
    ]
    what = [(code, "") for code in codes] + [("", theme) for theme in THEMES]
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    years = 1
    while True:
        periods = [(FIRST_YEAR + y, q) for y in range(years) for q in range(1, 5)]
        combos = len(slugs) * len(periods) * len(what) * len(GENDERS) * len(BANDS) * len(groups)
        if combos >= count or years >= 10:
            break
        years += 1
    for org, (year, quarter), (code, theme), gender, band, group in product(
        slugs, periods, what, GENDERS, BANDS, groups
    ):
        users = rng.randint(0, 40)
        cost = round(users * rng.uniform(80, 900), 2)
        rows.append([org, year, quarter, code, theme, gender, band, group, users, cost])
    if len(rows) < count:
        raise BenchError(f"only {len(rows)} distinct insurer rows can be made from this sector's data")
    rng.shuffle(rows)
    return rows[:count]


def write_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("usage")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _stored_rows(batch_ids: list[int]) -> list[tuple[Any, ...]]:
    from vitaal.care.models import InsurerUsageRow

    return list(
        InsurerUsageRow.objects.filter(batch_id__in=batch_ids)
        .order_by("row_key")
        .values_list(
            "organisation_id",
            "year",
            "quarter",
            "theme",
            "intervention_id",
            "gender",
            "age_band",
            "function_group",
            "users",
            "cost",
            "row_key",
        )
    )


def ours(user: Any, sector: Any, content: bytes, *, keep: bool = False) -> tuple[int, list[tuple[Any, ...]]]:
    """The real import: check the whole file, then apply it. Returns the rows written
    (and, with ``keep``, reads them back before the roll-back)."""
    from vitaal.care.insurer_import import insurer_import_apply, insurer_import_check
    from vitaal.care.models import ImportStatus

    result: tuple[int, list[tuple[Any, ...]]] = (0, [])
    try:
        with transaction.atomic():
            batch = insurer_import_check(
                user=user, sector=sector, insurer="Benchmark insurer", filename="usage.xlsx", content=content
            )
            if batch.status != ImportStatus.VALIDATED:
                raise BenchError(f"the generated file was rejected: {batch.errors[:3]}")
            written = insurer_import_apply(user=user, batch=batch)
            result = (written, _stored_rows([batch.pk]) if keep else [])
            raise _RollBack
    except _RollBack:
        pass
    return result


def baseline(
    user: Any, sector: Any, content: bytes, *, keep: bool = False
) -> tuple[int, list[tuple[Any, ...]]]:
    """calamine reads the file; the rows go into the same table with one bulk insert."""
    from python_calamine import CalamineWorkbook

    from vitaal.care.models import ImportStatus, InsurerImportBatch, InsurerUsageRow, Intervention
    from vitaal.core.models import Organisation

    result: tuple[int, list[tuple[Any, ...]]] = (0, [])
    try:
        with transaction.atomic():
            grid: list[list[Any]] = (
                CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
            )
            organisations = dict(Organisation.objects.filter(sector=sector).values_list("slug", "pk"))
            interventions = {i.code: (i.pk, i.theme) for i in Intervention.objects.filter(sector=sector)}
            batch = InsurerImportBatch.objects.create(
                sector=sector,
                insurer="Benchmark insurer",
                filename="usage.xlsx",
                content=b"",
                content_sha256="",
                status=ImportStatus.APPLIED,
                uploaded_by=user,
            )
            new = []
            for org, year, quarter, code, theme, gender, band, group, users, cost in grid[1:]:
                intervention_id, theme = interventions[code] if code else (None, theme)
                org_id, year, quarter = organisations[org], int(year), int(quarter)
                what = f"i{intervention_id}" if intervention_id else f"t{theme}"
                band = band or "unknown"
                key = f"{sector.pk}:{org_id}:{year}:{quarter}:{what}:{gender or 'u'}:{band}:{group}"
                new.append(
                    InsurerUsageRow(
                        batch=batch,
                        organisation_id=org_id,
                        year=year,
                        quarter=quarter,
                        theme=theme,
                        intervention_id=intervention_id,
                        gender=gender or "u",
                        age_band=band,
                        function_group=group,
                        users=int(users),
                        cost=Decimal(repr(cost)).quantize(Decimal("0.01")),
                        row_key=key,
                    )
                )
            InsurerUsageRow.objects.bulk_create(new)
            result = (len(new), _stored_rows([batch.pk]) if keep else [])
            raise _RollBack
    except _RollBack:
        pass
    return result


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def compare(*, rows: int, repeats: int) -> dict[str, Any]:
    """Generate the file, check both ways write the same rows, then time them
    (alternating, ``repeats`` times each); medians, ratio and peak Python memory."""
    from vitaal.core.demo import demo_email
    from vitaal.core.models import Sector, User
    from vitaal.core.roles import Role

    sector = Sector.objects.order_by("pk").first()
    if sector is None:
        raise BenchError("the benchmark database has no sector")
    user = User.objects.get(email=demo_email(Role.SECTOR_ADMIN))
    started = time.perf_counter()
    content = write_xlsx(generate_rows(sector, rows))
    generated = time.perf_counter() - started
    written, ours_rows = ours(user, sector, content, keep=True)
    base_written, base_rows = baseline(user, sector, content, keep=True)
    if written != rows or base_written != rows or ours_rows != base_rows:
        raise BenchError(
            f"the import wrote {written} rows, the baseline {base_written}, or not the same ones"
        )
    ours_times, base_times = [], []
    for _ in range(repeats):
        ours_times.append(_timed(lambda: ours(user, sector, content)))
        base_times.append(_timed(lambda: baseline(user, sector, content)))
    _o, ours_peak = traced_peak(lambda: ours(user, sector, content))
    _b, base_peak = traced_peak(lambda: baseline(user, sector, content))
    ours_median, base_median = statistics.median(ours_times), statistics.median(base_times)
    return {
        "rows": rows,
        "file_mb": round(len(content) / 1e6, 2),
        "generate_seconds": round(generated, 1),
        "repeats": repeats,
        "ours_median_ms": round(ours_median * 1000, 1),
        "baseline_median_ms": round(base_median * 1000, 1),
        "ratio": round(ours_median / base_median, 2) if base_median else None,
        "goal": 2.0,
        "ours_peak_python_mb": round(ours_peak / 1e6, 1),
        "baseline_peak_python_mb": round(base_peak / 1e6, 1),
    }

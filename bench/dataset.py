"""The benchmark's data: a demo sector built once with ``vitaal demo`` and reused.

Building takes minutes at sector scale, so a database that already holds a demo sector is
used as it is (its real size is reported with the results, whatever scale was asked for).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.server import ROOT, server_env

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/vitaal_bench"
VITAAL = Path(sys.executable).parent / "vitaal"


@dataclass(frozen=True)
class Scale:
    """The arguments of ``vitaal demo`` for one size of sector."""

    organisations: int
    people: int
    years: int

    def demo_args(self) -> list[str]:
        return [
            "--organisations",
            str(self.organisations),
            "--people",
            str(self.people),
            "--years",
            str(self.years),
        ]


SCALES = {
    # The hbo sector: about 50,000 staff at 32 institutions, five years of history (issue 7).
    "sector": Scale(organisations=32, people=50_000, years=5),
    # For development on a shared machine: builds in a few minutes.
    "small": Scale(organisations=6, people=8_000, years=1),
    # For the smoke test in the test suite: seconds.
    "tiny": Scale(organisations=2, people=60, years=1),
}


def ensure_postgres_database(database_url: str) -> None:
    """Create the PostgreSQL database named in the URL when it does not exist yet."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_sqlite_directory(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)


def ensure_dataset(database_url: str, scale: Scale, *, log: Path | None = None) -> dict[str, object]:
    """Migrate and build the demo sector unless the database holds one already.

    ``vitaal demo`` itself leaves an existing demo sector alone, so this is one command
    either way; returns how long it took and whether it built anything.
    """
    ensure_postgres_database(database_url)
    ensure_sqlite_directory(database_url)
    started = time.perf_counter()
    # `vitaal demo` runs in demo mode only. The build alone does: the benchmark server
    # itself stays production-like (server_env), where the demo password opens nothing.
    env = server_env(database_url, DJANGO_SETTINGS_MODULE="vitaal.settings", DEBUG="true", VITAAL_DEMO="true")
    result = subprocess.run(  # noqa: S603
        [str(VITAAL), "demo", *scale.demo_args()],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if log is not None:
        log.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"vitaal demo failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    built = "already exists" not in result.stdout
    return {
        "built": built,
        "seconds": round(time.perf_counter() - started, 1),
        "demo_output": result.stdout.strip().splitlines()[-12:],
    }


def configure_django(database_url: str) -> None:
    """Point this process at the benchmark database with the bench settings (DEBUG off,
    so no query is kept in memory), then set Django up."""
    os.environ.update(server_env(database_url))
    import django

    django.setup()


def dataset_size() -> dict[str, int]:
    """What the database holds: the figures the results are to be read against."""
    from django.db.models import Count

    from vitaal.care.models import CareRequest, HealthCheck, InsurerUsageRow
    from vitaal.core.models import Organisation, Person
    from vitaal.indicators.models import Measurement
    from vitaal.surveys.models import SurveyResponse

    largest_wave = SurveyResponse.objects.values("wave_id").annotate(n=Count("pk")).order_by(
        "-n"
    ).first() or {"n": 0}
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "care_requests": CareRequest.objects.count(),
        "health_checks": HealthCheck.objects.count(),
        "indicator_measurements": Measurement.objects.count(),
        "survey_responses": SurveyResponse.objects.count(),
        "largest_wave_responses": int(largest_wave["n"]),
        "insurer_usage_rows": InsurerUsageRow.objects.count(),
    }

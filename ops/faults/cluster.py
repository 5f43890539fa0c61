"""A private PostgreSQL cluster for the fault tests: initdb into a temporary directory as
the ``postgres`` OS user, on its own port. Restarting it disturbs nobody; the shared
cluster on 5432 is never touched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(*args: str) -> list[str]:
    """Run a PostgreSQL program as the postgres OS user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


@dataclass
class Cluster:
    data_dir: Path
    port: int

    def url(self, database: str = "vitaal_faults") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        log = str(self.data_dir.parent / "postgres.log")
        command = _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-l", log, "-w", *args)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=60)

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self.pg_ctl("start", "-o", f"-p {self.port} -k {self.data_dir.parent} -c listen_addresses=127.0.0.1")

    def ready(self) -> bool:
        probe = [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"]
        return subprocess.run(probe, check=False).returncode == 0


@contextmanager
def private_cluster(port: int = 18009) -> Iterator[Cluster]:
    # A terminated script still stops its cluster and removes the directory (the finally below).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    base = Path(tempfile.mkdtemp(prefix="vitaal-faults-"))
    shutil.chown(base, "postgres") if os.geteuid() == 0 else None
    cluster = Cluster(data_dir=base / "data", port=port)
    init = [
        str(PG_BIN / "initdb"),
        "-D",
        str(cluster.data_dir),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
    ]
    subprocess.run(_as_postgres(*init), check=True, stdout=subprocess.DEVNULL, timeout=120)
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)


def vitaal(database_url: str, *args: str, settings: str = "ops.faults.settings", **env: str) -> None:
    """Run a ``vitaal`` command against the database (quietly; raises on failure)."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": str(ROOT),
        **env,
    }
    command = [str(Path(sys.executable).parent / "vitaal"), *args]
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL, timeout=900)


def prepare(cluster: Cluster, *, people: int = 400) -> str:
    """A database with migrations and a small demo sector; returns its URL."""
    subprocess.run(
        [
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "vitaal_faults",
        ],
        check=True,
        timeout=60,
    )
    url = cluster.url()
    started = time.monotonic()
    vitaal(url, "migrate", "-v0")
    # `vitaal demo` runs in demo mode only; the servers under test run without it.
    vitaal(url, "demo", "--organisations", "2", "--people", str(people), DEBUG="true", VITAAL_DEMO="true")
    print(f"private cluster on port {cluster.port}: migrated + demo in {time.monotonic() - started:.0f} s")
    return url

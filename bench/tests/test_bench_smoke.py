"""Smoke test of the benchmark suite: the whole machinery (demo build, gunicorn, floor and
ten pages, usage report against raw SQL, insurer import against calamine) on a tiny SQLite
sector, checking the JSON's shape and that every ratio was computed. Not a measurement:
the figures of a tiny sector mean nothing; a broken benchmark must fail here."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import PAGE_KEYS
from bench.server import ROOT

# The smoke builds and serves its own SQLite sector whatever DATABASE_URL says, so the
# suite's second pass (on PostgreSQL) would only repeat it.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite pass: it builds its own SQLite sector",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_bench_runs_end_to_end_on_a_tiny_sector(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    args = [sys.executable, "-m", "bench", "run", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}"]
    args += ["--scale", "tiny", "--requests", "2", "--warmup", "1", "--repeats", "1", "--workers", "1"]
    args += ["--import-rows", "500", "--port", str(_free_port()), "--out", str(out)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["dataset"]["build"]["built"] is True
    assert results["dataset"]["organisations"] == 2
    assert [page["key"] for page in results["pages"]] == list(PAGE_KEYS)
    floor = results["floor"]
    assert floor["n"] == 2 * len(PAGE_KEYS) and floor["p50_ms"] > 0 and floor["peak_rss_mb"] > 0
    for page in results["pages"]:
        assert page["n"] == 2
        assert page["p50_ratio"] == round(page["p50_ms"] / floor["p50_ms"], 2)
        assert page["p95_ratio"] > 0 and page["peak_rss_mb"] > 0 and page["goal"] == 3.0
        assert isinstance(page["meets_goal"], bool)
    usage = results["usage_report"]
    assert usage["numbers_compared"] > 0 and usage["ratio"] > 0 and usage["goal"] == 2.0
    imported = results["insurer_import"]
    assert imported["rows"] == 500 and imported["ratio"] > 0 and imported["goal"] == 2.0
    assert "p50/floor" in done.stdout and "insurer import vs calamine" in done.stdout
    # Both imports were rolled back: the benchmark database is as it was.
    with sqlite3.connect(tmp_path / "bench.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM care_insurerusagerow").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM care_insurerimportbatch").fetchone() == (0,)

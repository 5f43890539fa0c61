"""Fault test: a task worker is killed (SIGKILL) in the middle of a job; a new worker runs
the job again, and the result is identical to that of a run that was not interrupted.

    .venv/bin/python ops/faults/worker_kill.py            # on a private PostgreSQL cluster
    .venv/bin/python ops/faults/worker_kill.py --database-url postgres://.../wt_x
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from ops.faults.common import ROOT, Outcome, run_script, setup_django

VITAAL = str(Path(sys.executable).parent / "vitaal")


def _worker(database_url: str, *extra: str, slow: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "ops.faults.settings",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    if slow:  # every stored measurement takes a moment, so the job is still running when killed
        env.update(VITAAL_FAULT_SLOW_MODEL="indicators.Measurement", VITAAL_FAULT_SLOW_SECONDS="0.1")
    command = [VITAAL, "worker", "--no-startup-delay", "--no-reload", "--interval", "0.2", "-v0", *extra]
    return subprocess.Popen(command, env=env)


def run(database_url: str) -> Outcome:
    setup_django(database_url)
    from django_tasks_db.models import DBTaskResult

    from ops.faults.jobs import computed_indicators, forget_computed_indicators
    from vitaal.indicators.tasks import compute_indicators

    outcome = Outcome("task worker killed mid-job")

    # 1. The reference: a run nobody interrupts.
    forget_computed_indicators()
    reference_task = compute_indicators.enqueue()
    _worker(database_url, "--batch").wait(timeout=300)
    reference = computed_indicators()
    outcome.check("the uninterrupted run succeeded and stored values",
                  DBTaskResult.objects.get(id=reference_task.id).status == "SUCCESSFUL"
                  and bool(reference["current"]))  # fmt: skip

    # 2. The same job, its worker killed half-way.
    forget_computed_indicators()
    result = compute_indicators.enqueue()
    worker = _worker(database_url, slow=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if computed_indicators()["rows"] >= max(1, reference["rows"] // 3):
            break
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    partial = computed_indicators()
    row = DBTaskResult.objects.get(id=result.id)
    outcome.check("killed while running: the task is left RUNNING with part of the result",
                  row.status == "RUNNING" and 0 < partial["rows"] < reference["rows"])  # fmt: skip

    # 3. A new worker notices the dead one, runs the job again, to the same result.
    started = time.monotonic()
    _worker(database_url, "--batch").wait(timeout=300)
    rerun_seconds = time.monotonic() - started
    row.refresh_from_db()
    rerun = computed_indicators()
    outcome.check("a new worker ran the task again (two workers on record) to success",
                  row.status == "SUCCESSFUL" and len(row.worker_ids) == 2)  # fmt: skip
    outcome.check(
        "the result is identical to the uninterrupted run (values and row count)", rerun == reference
    )
    outcome.figures.update(
        {
            "computed rows (reference / at the kill / after the rerun)": (
                f"{reference['rows']} / {partial['rows']} / {rerun['rows']}"
            ),
            "rerun by the new worker (s)": round(rerun_seconds, 1),
        }
    )
    return outcome


def main(argv: list[str] | None = None) -> int:
    return run_script(run, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

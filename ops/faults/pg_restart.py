"""Fault test: PostgreSQL restarts under load. The app must answer again (healthz and real
pages 200) within 30 s of the database coming back, and serve no 5xx after that. Errors during
the outage are counted and reported separately.

Always on a private cluster (``ops.faults.cluster``): the shared PostgreSQL is never restarted.
The app keeps persistent connections (DB_CONN_MAX_AGE=60), which is what makes a restart
dangerous: every stale connection must be noticed (CONN_HEALTH_CHECKS) and replaced.

    .venv/bin/python ops/faults/pg_restart.py [--outage 3] [--after 10]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from ops.faults.common import Outcome, setup_django

PORT = 18007
RECOVERY_GOAL_S = 30.0


def _get(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "nl"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0  # no answer at all


class Load:
    """A few threads asking for healthz, the floor and an employee's portal, all the time."""

    def __init__(self, base: str, paths: list[str], cookie: str, threads: int = 4) -> None:
        self.samples: list[tuple[float, float, str, int]] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(
                target=self._loop, args=(base, paths[i % len(paths) :] + paths, cookie), daemon=True
            )
            for i in range(threads)
        ]

    def _loop(self, base: str, paths: list[str], cookie: str) -> None:
        while not self._stop.is_set():
            for path in paths:
                began = time.monotonic()
                status = _get(base + path, cookie)
                self.samples.append((began, time.monotonic(), path, status))
            time.sleep(0.05)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)


def run(cluster: object, database_url: str, outage: float, after: float) -> Outcome:
    setup_django(database_url)
    from django.conf import settings
    from django.urls import reverse

    from bench.server import gunicorn, session_cookie
    from ops.load.plan import _employees

    outcome = Outcome("PostgreSQL restart under load")
    email = _employees(1)[0].user.email
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(email)}"
    portal = reverse("care:portal")
    paths = ["/healthz", "/bench/floor/", portal]
    env = {"DJANGO_SETTINGS_MODULE": "ops.faults.settings", "DB_CONN_MAX_AGE": "60"}
    with (
        gunicorn(database_url, PORT, workers=2, threads=2, extra_env=env) as base,
        Load(base, paths, cookie) as load,
    ):
        time.sleep(3)
        stopped = time.monotonic()
        cluster.stop()  # type: ignore[attr-defined]
        time.sleep(outage)
        cluster.start()  # type: ignore[attr-defined]
        started = time.monotonic()
        recovered = None
        while time.monotonic() - started < 60:
            if all(_get(base + path, cookie) == 200 for path in ("/healthz", portal)):
                recovered = time.monotonic()
                break
            time.sleep(0.2)
        time.sleep(after)
    samples = load.samples
    # Before: answered before the stop; after: asked after recovery; the rest is the outage.
    before = [s for s in samples if s[1] < stopped]
    later = [s for s in samples if recovered is not None and s[0] >= recovered]
    during = [s for s in samples if s not in before and s not in later]
    outcome.check(f"no errors before the restart ({len(before)} requests)",
                  bool(before) and all(s[3] == 200 for s in before))  # fmt: skip
    recovery = (recovered - started) if recovered is not None else None
    outcome.check(
        f"healthz and the portal answer 200 within {RECOVERY_GOAL_S:.0f} s of PostgreSQL being back",
        recovery is not None and recovery <= RECOVERY_GOAL_S,
    )
    bad_later = [s for s in later if s[3] >= 500 or s[3] == 0]
    outcome.check(f"no 5xx after recovery ({len(later)} requests, {len(bad_later)} bad)",
                  bool(later) and not bad_later)  # fmt: skip
    codes: dict[int, int] = {}
    for sample in during:
        codes[sample[3]] = codes.get(sample[3], 0) + 1
    if not outcome.checks[0][1]:
        outcome.figures["before the restart, not 200"] = sorted(
            {(p, c) for _b, _e, p, c in before if c != 200}
        )
    outcome.figures.update(
        {
            "outage (database down, s)": outage,
            "recovery after PostgreSQL was back (s)": round(recovery, 2) if recovery is not None else "never",
            "recovery after the stop (s)": round(recovered - stopped, 2) if recovered else "never",
            "answers during the outage (status: count; 0 = no answer)": dict(sorted(codes.items())),
        }
    )
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after recovery")
    parser.add_argument("--people", type=int, default=400)
    args = parser.parse_args(argv)
    from ops.faults.cluster import prepare, private_cluster

    with private_cluster() as cluster:
        outcome = run(cluster, prepare(cluster, people=args.people), args.outage, args.after)
    outcome.report()
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())

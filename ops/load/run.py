"""Run the load test: gunicorn + the database, locust headless, a summary against the goal.

    .venv/bin/python ops/load/run.py                      # 100 users, 60 s, vitaal_bench
    .venv/bin/python ops/load/run.py --users 5 --duration 5 --database-url postgres://.../wt_x

Goal (issue 7): no errors, and the p95 of all product pages at most 5x the p95 of the floor
page measured in the same run. Exits 1 when the goal is missed, 2 when the run did not work.
Writes locust's CSV files and ``summary.json`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/vitaal_bench"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of response times in ms."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(raw: dict[str, Any], goal_ratio: float) -> dict[str, Any]:
    timings: dict[str, list[float]] = raw["timings"]
    errors: dict[str, int] = raw["errors"]
    pages = {
        name: {
            "requests": len(values),
            "errors": errors.get(name, 0),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
        }
        for name, values in sorted(timings.items())
    }
    product = [t for name, values in timings.items() if name != "floor" for t in values]
    floor_p95 = percentile(timings.get("floor", []), 95)
    overall_p95 = percentile(product, 95)
    ratio = overall_p95 / floor_p95 if floor_p95 else float("inf")
    total_errors = sum(errors.values())
    return {
        "pages": pages,
        "requests": sum(len(v) for v in timings.values()),
        "errors": total_errors,
        "overall_p50_ms": round(percentile(product, 50), 1),
        "overall_p95_ms": round(overall_p95, 1),
        "floor_p95_ms": round(floor_p95, 1),
        "p95_ratio": round(ratio, 2),
        "goal": {"errors": 0, "p95_ratio_max": goal_ratio},
        "passed": total_errors == 0 and ratio <= goal_ratio and bool(product),
    }


def print_summary(summary: dict[str, Any]) -> None:
    print(f"{'page':<32} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, row in summary["pages"].items():
        print(f"{name:<32} {row['requests']:>9} {row['errors']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8}")
    print(
        f"\nrequests {summary['requests']}, errors {summary['errors']}; product pages p50 "
        f"{summary['overall_p50_ms']} ms, p95 {summary['overall_p95_ms']} ms; floor p95 "
        f"{summary['floor_p95_ms']} ms; p95 ratio {summary['p95_ratio']}x (goal <= "
        f"{summary['goal']['p95_ratio_max']}x, 0 errors): {'PASS' if summary['passed'] else 'FAIL'}"
    )


def write_plan(database_url: str, employees: int, path: Path) -> None:
    """Log the users in, in a Django process configured for the database under load."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from ops.load.plan import build_plan

    path.write_text(json.dumps(build_plan(employees)))


def run_locust(base_url: str, args: argparse.Namespace, plan: Path, timings: Path) -> int:
    env = {
        **os.environ,
        "VITAAL_LOAD_PLAN": str(plan),
        "VITAAL_LOAD_TIMINGS": str(timings),
        "VITAAL_LOAD_MAX_REQUESTS": str(args.max_requests),
        "VITAAL_LOAD_WAIT_MIN": str(args.wait[0]),
        "VITAAL_LOAD_WAIT_MAX": str(args.wait[1]),
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "ops" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        base_url,
        "--csv",
        str(args.out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.run(command, env=env, timeout=args.duration + 120, check=False).returncode


def _parser_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("VITAAL_LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests")
    parser.add_argument("--employees", type=int, default=200, help="distinct employees logged in")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=18006)
    parser.add_argument("--keep-alive", type=int, default=75, help="gunicorn keep-alive seconds")
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--goal-ratio", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "load")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parser_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_plan(args.database_url, args.employees, args.out / "plan.json")
    summary = run(args)
    if summary is None:
        return 2
    print_summary(summary)
    return 0 if summary["passed"] else 1


def parse(argv: list[str]) -> argparse.Namespace:
    """The options of a run, for callers that prepare the plan themselves (the smoke test)."""
    return _parser_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any] | None:
    """Serve, load, summarise; ``args.out / "plan.json"`` must exist. None if nothing ran."""
    from bench.server import gunicorn

    plan, timings = args.out / "plan.json", args.out / "timings.json"

    with gunicorn(
        args.database_url,
        args.port,
        workers=args.workers,
        threads=args.threads,
        log_path=args.out / "gunicorn.log",
        # Idle keep-alive connections stay open as behind a proxy; gunicorn's default of 2 s
        # races with locust reusing a connection the server is just closing (status 0).
        extra_env={"GUNICORN_CMD_ARGS": f"--keep-alive {args.keep_alive}"},
    ) as base_url:
        code = run_locust(base_url, args, plan, timings)
    if not timings.exists():
        print(f"locust ended with {code} and recorded nothing", file=sys.stderr)
        return None
    summary = summarise(json.loads(timings.read_text()), args.goal_ratio)
    summary["setup"] = {
        "users": args.users,
        "duration_s": args.duration,
        "max_requests": args.max_requests,
        "gunicorn": f"{args.workers} workers x {args.threads} threads",
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench run``: build or reuse the dataset, measure the floor and the ten key
pages through gunicorn, compare the usage report and the insurer import with their
hand-written baselines, print a table and write JSON. See docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import memory
from bench.dataset import DEFAULT_DATABASE_URL, SCALES, configure_django, dataset_size, ensure_dataset
from bench.report import print_table
from bench.server import ROOT, gunicorn
from bench.timing import BenchError, PageClient, Target, check, measure

PAGE_GOAL = 3.0
RESULTS = ROOT / "bench" / "results"
PARTS = ("pages", "usage", "import")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the benchmark suite")
    run.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"benchmark database (default: $BENCH_DATABASE_URL or {DEFAULT_DATABASE_URL})",
    )
    run.add_argument("--scale", choices=sorted(SCALES), default="sector", help="size of the demo to build")
    run.add_argument("--requests", type=int, default=200, help="timed requests per page (and floor)")
    run.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    run.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    run.add_argument("--threads", type=int, default=2, help="threads per worker (more than 1: keep-alive)")
    run.add_argument("--port", type=int, default=18003)
    run.add_argument("--repeats", type=int, default=5, help="runs of each in-process comparison")
    run.add_argument("--import-rows", type=int, default=100_000, help="rows of the insurer spreadsheet")
    run.add_argument(
        "--parts", default=",".join(PARTS), help="comma-separated subset of: " + ", ".join(PARTS)
    )
    run.add_argument(
        "--out", type=Path, default=None, help="JSON file (default: bench/results/<scale>-<db>-<time>.json)"
    )
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := set(args.parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if args.requests < 1 or args.repeats < 1 or args.import_rows < 1:
        parser.error("--requests, --repeats and --import-rows must be at least 1")
    return args


def _vendor(database_url: str) -> str:
    return "postgresql" if urlsplit(database_url).scheme.startswith("postgres") else "sqlite"


def _redacted(database_url: str) -> str:
    parts = urlsplit(database_url)
    if parts.password:
        return database_url.replace(f":{parts.password}@", ":***@")
    return database_url


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def page_memory(
    client: PageClient, port: int, targets: list[Target], cookies: dict[str, str]
) -> dict[str, Any]:
    """Peak RSS of the gunicorn workers while serving each page a few times: VmHWM is
    reset before each page, so the figure belongs to that page."""
    workers = memory.gunicorn_workers(port)
    if not workers:
        raise BenchError(f"no gunicorn worker found on port {port}")
    out: dict[str, Any] = {}
    for target in targets:
        before = {pid: memory.rss_kb(pid) for pid in workers}
        resettable = all(memory.reset_peak(pid) for pid in workers)
        for _ in range(3):
            status, body, _s, response = client.get(target.path, cookies[target.email])
            check(target, status, body, response)
        peaks = {pid: memory.peak_kb(pid) for pid in workers}
        busiest = max(workers, key=lambda pid: peaks[pid] - before[pid])
        out[target.key] = {
            "peak_rss_mb": _mb(max(peaks.values())),
            "growth_mb": _mb(peaks[busiest] - before[busiest]) if resettable else None,
        }
    return out


def run_pages(args: argparse.Namespace, results: dict[str, Any], log: Path) -> None:
    from bench.pages import floor_target, key_pages
    from bench.server import session_cookie

    pages = key_pages()
    floor = floor_target()
    cookies = {email: session_cookie(email) for email in sorted({p.email for p in pages})}
    from django.conf import settings

    cookies = {email: f"{settings.SESSION_COOKIE_NAME}={value}" for email, value in cookies.items()}
    extra = {"PYTHONUNBUFFERED": "1"}
    with gunicorn(
        args.database_url,
        args.port,
        workers=args.workers,
        threads=args.threads,
        extra_env=extra,
        log_path=log,
    ):
        client = PageClient("127.0.0.1", args.port)
        try:
            started = time.perf_counter()
            floor_samples, samples = measure(
                client, floor, pages, cookies, requests=args.requests, warmup=args.warmup
            )
            seconds = time.perf_counter() - started
            mem = page_memory(
                client, args.port, [floor, *pages], {**cookies, "": next(iter(cookies.values()))}
            )
        finally:
            client.close()
    floor_summary = floor_samples.summary()
    results["floor"] = {"path": floor.path, **floor_summary, **mem[floor.key]}
    rows = []
    for page in pages:
        summary = samples[page.key].summary()
        p50_ratio = round(summary["p50_ms"] / floor_summary["p50_ms"], 2)
        rows.append(
            {
                "key": page.key,
                "label": page.label,
                "path": page.path,
                "user": page.email,
                "subject": page.note,
                **summary,
                "p50_ratio": p50_ratio,
                "p95_ratio": round(summary["p95_ms"] / floor_summary["p50_ms"], 2),
                "goal": PAGE_GOAL,
                "meets_goal": p50_ratio <= PAGE_GOAL,
                **mem[page.key],
            }
        )
    results["pages"] = rows
    results["page_run"] = {
        "seconds": round(seconds, 1),
        "connections_opened": client.opened,
        "requests": (args.warmup + args.requests) * len(pages) * 2,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    scale = SCALES[args.scale]
    out = args.out or RESULTS / (
        f"{args.scale}-{_vendor(args.database_url)}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"dataset: {_redacted(args.database_url)} (scale {args.scale}) ...", flush=True)
    built = ensure_dataset(args.database_url, scale, log=out.with_suffix(".demo.log"))
    configure_django(args.database_url)
    results: dict[str, Any] = {
        "version": 1,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "system": platform.platform(),
        },
        "database": {"vendor": _vendor(args.database_url), "url": _redacted(args.database_url)},
        "scale": {"name": args.scale, **scale.__dict__},
        "dataset": {**dataset_size(), "build": built},
        "server": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread" if args.threads > 1 else "sync",
            "settings": "bench.settings (DEBUG off)",
        },
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "memory_note": (
            "pages: peak RSS (VmHWM) of the gunicorn worker processes while serving the page 3 times, "
            "reset before each page; growth = that peak minus the worker's RSS before. In-process "
            "comparisons: peak Python allocations (tracemalloc) of one run."
        ),
    }
    if "pages" in args.parts:
        print("pages: floor and ten key pages through gunicorn ...", flush=True)
        run_pages(args, results, out.with_suffix(".gunicorn.log"))
    if "usage" in args.parts:
        from bench import usage_compare

        print("usage report against raw SQL ...", flush=True)
        results["usage_report"] = usage_compare.compare(repeats=args.repeats)
    if "import" in args.parts:
        from bench import import_compare

        print(f"insurer import of {args.import_rows} rows against calamine + bulk insert ...", flush=True)
        results["insurer_import"] = import_compare.compare(rows=args.import_rows, repeats=args.repeats)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nwritten: {out}")
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    return 0

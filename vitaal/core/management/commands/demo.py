"""``vitaal demo``: migrate, build the demo sector once, and optionally serve it."""

from __future__ import annotations

import resource
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Build the demo sector (deterministic) and optionally serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, help="total staff across all organisations")
        parser.add_argument("--organisations", type=int, help="number of organisations")
        parser.add_argument(
            "--years",
            type=int,
            default=1,
            help="years of history ending today; more than 1 builds sector-scale volumes for benchmarks",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1:8000 with a task worker")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **opts: Any) -> None:
        from vitaal.core import demo

        if not demo.demo_mode():
            raise CommandError(demo.DEMO_MODE_REFUSAL)
        if opts["people"] is not None and opts["people"] < 20:
            raise CommandError("--people must be at least 20")
        if opts["organisations"] is not None and opts["organisations"] < 1:
            raise CommandError("--organisations must be at least 1")
        if not 1 <= opts["years"] <= 10:
            raise CommandError("--years must be between 1 and 10")
        call_command("migrate", interactive=False, verbosity=0)
        if opts["reset"] and demo.demo_exists():
            demo.reset_database_content()
        if demo.demo_exists():
            self.stdout.write("The demo sector already exists (use --reset to rebuild it).")
        else:
            started = time.perf_counter()
            report = demo.build_demo(
                people=opts["people"],
                organisations=opts["organisations"],
                seed=opts["seed"],
                years=opts["years"],
            )
            # Fresh planner statistics: a bulk-loaded database would otherwise be planned
            # as if it were empty until autovacuum (if it runs at all) gets round to it.
            analyze_started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            report.timings.append(("planner statistics (ANALYZE)", time.perf_counter() - analyze_started))
            elapsed = time.perf_counter() - started
            for line in demo.summary_lines(report):
                self.stdout.write(line)
            if opts["verbosity"] > 1 or opts["years"] > 1:
                for step, seconds in report.timings:
                    self.stdout.write(f"  {seconds:7.1f} s  {step}")
            self.stdout.write(f"built in {elapsed:.1f} s, peak memory (RSS) {peak_rss_mb():.0f} MB")
        if opts["serve"]:
            self._serve(opts["addr"])

    def _serve(self, addr: str) -> None:
        import subprocess
        import sys

        from vitaal.core import demo

        self.stdout.write("")
        self.stdout.write(f"vitaal demo: http://{addr}/")
        self.stdout.write(f"password for every demo account: {demo.DEMO_PASSWORD}")
        if getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None):
            self.stdout.write(
                f"two-step login code for staff roles: {settings.MFA_TOTP_INSECURE_BYPASS_CODE}"
            )
        for row in demo.demo_login_table():
            self.stdout.write(f"  {row['email']:<48} {row['role']} – {row['scope']}")
        worker = subprocess.Popen([sys.executable, "-m", "vitaal.cli", "worker", "--no-reload"])
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            worker.terminate()


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (cheap, unlike tracemalloc, which
    slows a large build down several times)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3

"""Shared bits of the fault scripts: Django set up for the database under test, a result."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def setup_django(database_url: str) -> None:
    """Configure this process for the database under test (once)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ops.faults.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass
class Outcome:
    name: str
    checks: list[tuple[str, bool]] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)

    def check(self, what: str, ok: bool) -> bool:
        self.checks.append((what, ok))
        return ok

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _what, ok in self.checks)

    def report(self) -> None:
        print(f"\n== {self.name}: {'PASS' if self.passed else 'FAIL'}")
        for what, ok in self.checks:
            print(f"  [{'ok' if ok else 'FAILED'}] {what}")
        for key, value in self.figures.items():
            print(f"  {key}: {value}")


def run_script(run: Callable[[str], Outcome], description: str | None, argv: list[str] | None = None) -> int:
    """The command line of a fault script that runs against one database: the one given
    with ``--database-url``, or else a private cluster made for the run."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="an existing database; default: a private cluster")
    args = parser.parse_args(argv)
    if args.database_url:
        outcome = run(args.database_url)
    else:
        from ops.faults.cluster import prepare, private_cluster

        with private_cluster() as cluster:
            outcome = run(prepare(cluster))
    outcome.report()
    return 0 if outcome.passed else 1

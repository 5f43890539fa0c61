"""`vitaal retention [--dry-run]`: print the retention table and apply it (or, with
--dry-run, show what would go)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from vitaal.privacy.enforce import STEPS, run_retention
from vitaal.privacy.retention import TABLE, TABLE_VERSION


class Command(BaseCommand):
    help = "Print the retention table and remove or anonymise what is past its period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count what would go")
        parser.add_argument("--table-only", action="store_true", help="print the table and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            self.stdout.write(f"Retention table, version {TABLE_VERSION}\n")
            for c in TABLE:
                self.stdout.write(
                    f"- {c.key}: {c.title} | {', '.join(c.covers)} | {c.period} after {c.start} "
                    f"| {c.action_label}\n    {c.ground}"
                )
            if options["table_only"]:
                return
            run = run_retention(dry_run=options["dry_run"])
            verb = "would remove or anonymise" if run.dry_run else "removed or anonymised"
            self.stdout.write(f"\nRun {run.pk} ({run.status}), {verb}:")
            for key in STEPS:
                counts = run.counts.get(key)
                if counts is None:
                    self.stdout.write(f"  {key:20} FAILED")
                    continue
                detail = ", ".join(f"{n} {what}" for what, n in counts.items())
                self.stdout.write(f"  {key:20} {detail}")
            if run.error:
                self.stderr.write(run.error)

"""``vitaal load-framework FILE [--check]``: load a framework (with its scales and
instruments) from a JSON file, whole or not at all."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.igm.services.loader import framework_load_file


class Command(BaseCommand):
    help = (
        "Load a framework version with its development lines, rating scales and instruments "
        "from a JSON file. The whole file is checked and written in one transaction; a file "
        "that would change a published version is refused and nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON file, e.g. vitaal/igm/data/igm-default.json")
        parser.add_argument("--check", action="store_true", help="only check the file, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = framework_load_file(path=options["file"], dry_run=options["check"])
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"The file was refused with {len(report.errors)} error(s); nothing was changed."
            )
        counts = (
            f"created: {report.created}  updated: {report.updated}  "
            f"unchanged: {report.unchanged}  removed: {report.removed}"
        )
        if options["check"]:
            self.stdout.write(counts)
            self.stdout.write(self.style.SUCCESS("The file is valid (check only: nothing changed)."))
            return
        self.stdout.write(counts)
        self.stdout.write(self.style.SUCCESS(f"Loaded {report.framework}."))

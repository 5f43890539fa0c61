"""``vitaal load_toolbox [FILE]``: load the IGM toolbox (good practices from the TNO report)
from its data file; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.igm.services.network import TOOLBOX_FILE, toolbox_load


class Command(BaseCommand):
    help = "Load the IGM toolbox from a JSON file (default: vitaal/igm/data/toolbox.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(TOOLBOX_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = toolbox_load(path=options["file"])
        except (ValidationError, OSError, ValueError) as exc:
            raise CommandError(f"The toolbox was not loaded; nothing was changed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"created: {report.created}  updated: {report.updated}  unchanged: {report.unchanged}"
            )
        )

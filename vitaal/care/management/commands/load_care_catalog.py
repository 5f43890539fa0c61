"""``vitaal load-care-catalog [FILE] [--sector SLUG]``: load the intervention catalog,
providers and care packages from a JSON file into one sector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.care.catalog_file import DEFAULT_FILE, CatalogFileError, catalog_load, catalog_read
from vitaal.core.models import Sector


class Command(BaseCommand):
    help = (
        "Load the care catalog, providers and packages from a JSON file. The whole file is "
        "checked first and applied in one transaction, or nothing is changed. Running it "
        "again with the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=str(DEFAULT_FILE), help="JSON file (default: the shipped catalog)"
        )
        parser.add_argument("--sector", default="hbo", help="slug of the sector (default: hbo)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sector = Sector.objects.get(slug=options["sector"])
        except Sector.DoesNotExist as exc:
            raise CommandError(f"No sector with slug {options['sector']!r}.") from exc
        path = Path(options["file"])
        try:
            summary = catalog_load(sector=sector, data=catalog_read(path))
        except CatalogFileError as exc:
            for line in exc.errors:
                self.stderr.write(f"  {line}")
            raise CommandError(
                f"{path.name} was refused with {len(exc.errors)} error(s); nothing was changed."
            ) from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"{path.name} loaded into sector {sector.slug}."))

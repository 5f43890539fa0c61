from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from vitaal.indicators.library import DEFAULT_LIBRARY, load_library


class Command(BaseCommand):
    help = "Load (or update) the indicator library from its JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_LIBRARY))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        created, updated = load_library(Path(path))
        self.stdout.write(f"indicators created: {created}, updated: {updated}")

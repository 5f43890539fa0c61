"""``vitaal load-questionnaires [FILE ...]``: load questionnaire versions from JSON files
(default: the three shipped in vitaal/surveys/data/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vitaal.surveys.questionnaire_file import (
    DATA_DIR,
    QuestionnaireFileError,
    questionnaire_load,
    questionnaire_read,
)


class Command(BaseCommand):
    help = (
        "Load questionnaires from JSON files. All files are checked and loaded in one "
        "transaction, or nothing changes. Loading the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="JSON files (default: the shipped questionnaires)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]] or sorted(DATA_DIR.glob("*.json"))
        with transaction.atomic():
            for path in paths:
                try:
                    result = questionnaire_load(data=questionnaire_read(path))
                except QuestionnaireFileError as exc:
                    for line in exc.errors:
                        self.stderr.write(f"  {path.name}: {line}")
                    raise CommandError(f"{path.name} was refused; nothing was changed.") from exc
                verb = "loaded" if result.created else "unchanged"
                q = result.questionnaire
                self.stdout.write(f"{q.code} v{q.version}: {verb} ({q.questions.count()} questions)")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} questionnaire file(s) done."))

"""``vitaal import-people FILE --organisation SLUG [--mode partial|full] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.core.imports import people as people_import
from vitaal.core.models import ImportJob, Organisation, User


class Command(BaseCommand):
    help = (
        "Import employee records from a CSV or XLSX file: the whole file is checked first "
        "and applied in one transaction, or nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file with a header row")
        parser.add_argument("--organisation", required=True, help="slug of the organisation")
        parser.add_argument(
            "--mode",
            choices=people_import.MODES,
            default="partial",
            help="full: the file is the complete staff list; people missing from it are marked as leavers",
        )
        parser.add_argument("--dry-run", action="store_true", help="only check the file, change nothing")
        parser.add_argument("--user", default="", help="e-mail address of the user to record as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation with slug {options['organisation']!r}.") from exc
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with e-mail address {options['user']!r}.")
        try:
            with path.open("rb") as handle:
                # One byte more than allowed is enough for the size check to refuse it.
                content = handle.read(settings.VITAAL_MAX_UPLOAD_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc

        mode = options["mode"]
        if options["dry_run"]:
            summary, errors = people_import.people_import_check(
                organisation=organisation, filename=path.name, content=content, mode=mode
            )
            self._report(summary, errors)
            if errors:
                raise CommandError(f"The file was rejected with {len(errors)} error(s).")
            self.stdout.write(self.style.SUCCESS("The file is valid (dry run: nothing changed)."))
            return

        job = people_import.people_import_create(
            organisation=organisation, user=user, filename=path.name, content=content, mode=mode
        )
        if job.status != ImportJob.Status.VALIDATED:
            self._report(job.summary, job.errors)
            raise CommandError(f"The file was rejected with {len(job.errors)} error(s).")
        job = people_import.people_import_apply(job=job, user=user)
        self._report(job.summary, job.errors)
        if job.status != ImportJob.Status.APPLIED:
            raise CommandError("The import could not be applied; nothing was changed.")
        self.stdout.write(self.style.SUCCESS(f"Import {job.pk} applied."))

    def _report(self, summary: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        self.stdout.write(
            "rows: {rows}  created: {created}  updated: {updated}  unchanged: {unchanged}  "
            "leavers: {leavers}  (mode: {mode})".format(
                rows=summary.get("rows", 0),
                created=summary.get("created", 0),
                updated=summary.get("updated", 0),
                unchanged=summary.get("unchanged", 0),
                leavers=summary.get("leavers", 0),
                mode=summary.get("mode", ""),
            )
        )
        for error in errors:
            self.stderr.write(f"row {error['row']}, column {error['column'] or '-'}: {error['message']}")

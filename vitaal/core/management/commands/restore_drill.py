"""``vitaal restore-drill [BACKUP] [--from DIR]``: prove the latest backup can be restored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.core.backup import BackupError, backups_in
from vitaal.core.restore import restore_drill


class Command(BaseCommand):
    help = (
        "Restore a backup (the latest by default) into a scratch database, compare the rows "
        "per table with its manifest, drop the scratch database. Exits non-zero on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, nargs="?", default=None, help="backup directory")
        parser.add_argument("--from", dest="directory", type=Path, default=None, help="VITAAL_BACKUP_DIR")
        parser.add_argument("--database", default="default", help="server for the scratch database")
        parser.add_argument(
            "--server",
            default=None,
            metavar="URL",
            help="another PostgreSQL server for the scratch database, e.g. postgres://drill@host:5432/postgres",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        backup = opts["backup"]
        if backup is None:
            directory = opts["directory"] or Path(settings.VITAAL_BACKUP_DIR)
            found = backups_in(directory)
            if not found:
                raise CommandError(f"No backups in {directory}.")
            backup = found[-1][1]
        try:
            report = restore_drill(backup=backup, using=opts["database"], server_url=opts["server"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup:  {report.backup}")
        self.stdout.write(f"scratch: {report.scratch} (removed)")
        width = max([len(check.table) for check in report.tables] + [5])
        self.stdout.write(f"{'table':<{width}}  {'manifest':>10}  {'restored':>10}")
        for check in report.tables:
            mark = "" if check.ok else "  DIFFERENT"
            expected = "-" if check.expected is None else check.expected
            found_rows = "-" if check.found is None else check.found
            self.stdout.write(f"{check.table:<{width}}  {expected:>10}  {found_rows:>10}{mark}")
        for problem in report.problems:
            self.stdout.write(f"problem: {problem}")
        differing = sum(not check.ok for check in report.tables)
        if not report.ok:
            raise CommandError(
                f"Restore drill failed: {differing} tables differ, {len(report.problems)} problems."
            )
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed: {len(report.tables)} tables match."))

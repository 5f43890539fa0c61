"""``vitaal restore BACKUP --to-database URL [--media-to DIR] [--yes]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.core.backup import BackupError
from vitaal.core.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `vitaal backup` into the database named by --to-database "
        "(there is no default: name the target explicitly). A target that already holds "
        "tables is refused unless --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="backup directory or its manifest.json")
        parser.add_argument(
            "--to-database",
            required=True,
            metavar="URL",
            help="target, e.g. postgres://vitaal@db:5432/vitaal_restored or sqlite:////srv/vitaal/x.sqlite3",
        )
        parser.add_argument("--media-to", type=Path, default=None, help="unpack the uploaded files here")
        parser.add_argument("--yes", action="store_true", help="replace a target that is not empty")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = restore_backup(
                backup=opts["backup"],
                target_url=opts["to_database"],
                yes=opts["yes"],
                media_to=opts["media_to"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        how = "replaced the contents of" if result.replaced else "restored into"
        self.stdout.write(f"{how} {result.target}")
        if result.media_files is None:
            self.stdout.write("uploaded files not restored (use --media-to MEDIA_ROOT)")
        else:
            self.stdout.write(f"{result.media_files} uploaded files unpacked into {opts['media_to']}")

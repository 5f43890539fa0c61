"""``vitaal backup [--to DIR] [--prune [--keep-daily N --keep-weekly N --keep-monthly N]]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vitaal.core.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or a SQLite copy) and the uploaded files into a new "
        "directory with a manifest; optionally prune old backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="backup directory (VITAAL_BACKUP_DIR)")
        parser.add_argument("--prune", action="store_true", help="after the backup, delete old ones")
        parser.add_argument("--prune-only", action="store_true", help="prune without making a backup")
        parser.add_argument("--dry-run", action="store_true", help="with pruning: only list what would go")
        parser.add_argument("--keep-daily", type=int, default=7, metavar="N")
        parser.add_argument("--keep-weekly", type=int, default=5, metavar="N")
        parser.add_argument("--keep-monthly", type=int, default=12, metavar="N")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **opts: Any) -> None:
        directory: Path = opts["to"] or Path(settings.VITAAL_BACKUP_DIR)
        keep = {name: opts[f"keep_{name}"] for name in ("daily", "weekly", "monthly")}
        if any(value < 0 for value in keep.values()):
            raise CommandError("--keep-* values cannot be negative.")
        try:
            if not opts["prune_only"]:
                path = backup_create(to=directory, using=opts["database"])
                self.stdout.write(f"backup written to {path}")
            if opts["prune"] or opts["prune_only"]:
                result = backup_prune(directory=directory, dry_run=opts["dry_run"], **keep)
                verb = "would remove" if opts["dry_run"] else "removed"
                for removed in result.removed:
                    self.stdout.write(f"{verb} {removed}")
                self.stdout.write(f"kept {len(result.kept)} backups, {verb} {len(result.removed)}")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

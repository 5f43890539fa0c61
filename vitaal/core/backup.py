"""Backups of the database and the uploaded files, with a manifest to check a restore against.

A backup is one directory ``vitaal-<UTC time>/`` holding

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite, a copy
  made with the online backup API, so a WAL database in use is copied consistently);
- ``media.tar``: everything under ``MEDIA_ROOT`` (evidence files and step attachments);
- ``manifest.json``: time, vitaal version, git commit, applied migrations per app, rows per
  table and a SHA-256 of each file.

On PostgreSQL the row counts and the dump come from one exported snapshot, so the counts are
exactly what the dump holds even while the application keeps writing. The directory is
written under a temporary name and renamed when complete: a half-made backup is never
mistaken for the latest. Restoring and the restore drill live in ``vitaal.core.restore``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_FILE = "media.tar"
PREFIX = "vitaal-"
STAMP = "%Y%m%dT%H%M%SZ"
FORMAT = 1

PG_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = current_schema()
ORDER BY c.relname
"""
SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
)

# libpq connection keywords and the environment variables pg_dump / pg_restore read them from.
PG_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup, restore or drill could not be done; the message says why."""


# --- Databases --------------------------------------------------------------------------


def vendor_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def pg_params(db: dict[str, Any], dbname: str | None = None) -> dict[str, str]:
    """libpq keywords for a Django database setting, optionally for another database name."""
    params = {"dbname": dbname or str(db["NAME"])}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            params[name] = str(db[key])
    for name, value in (db.get("OPTIONS") or {}).items():
        if name in PG_ENV and value:
            params[name] = str(value)
    return params


def pg_run(args: list[str], params: dict[str, str]) -> None:
    """Run a PostgreSQL client program with the connection in its environment (not argv)."""
    env = {**os.environ, **{PG_ENV[key]: value for key, value in params.items()}}
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (install the PostgreSQL client programs).") from exc
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")


def pg_connect(params: dict[str, str], *, autocommit: bool = True) -> Any:
    import psycopg

    return psycopg.connect(**params, autocommit=autocommit)  # type: ignore[arg-type]


def count_rows(cursor: Any, tables: Iterable[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted identifier
        counts[table] = int(cursor.fetchone()[0])
    return counts


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (the same syntax in PostgreSQL and SQLite)."""
    return '"' + name.replace('"', '""') + '"'


def pg_state(cursor: Any) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Rows per table and applied migrations per app, read through an open PostgreSQL cursor."""
    cursor.execute(PG_TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    return count_rows(cursor, tables, quote_ident), _migrations(cursor, "django_migrations" in tables)


def sqlite_state(path: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Rows per table and applied migrations per app of a SQLite file."""
    conn = sqlite3.connect(path)
    try:
        cursor = conn.cursor()
        tables = [row[0] for row in cursor.execute(SQLITE_TABLES).fetchall()]
        return count_rows(cursor, tables, quote_ident), _migrations(cursor, "django_migrations" in tables)
    finally:
        conn.close()


def _migrations(cursor: Any, exists: bool) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if exists:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page with the online backup API (consistent under WAL)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy would inherit WAL mode; a rollback-journal file is one self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


# --- Files --------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_tar(media_root: Path, target: Path) -> dict[str, Any]:
    """Tar every regular file under the media root, with paths relative to it."""
    files = 0
    content = 0
    with tarfile.open(target, "w") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
                    content += path.stat().st_size
    return {"file": target.name, "files": files, "content_bytes": content}


def tar_contents(path: Path) -> tuple[int, int]:
    """Number of regular files in a tar and their total size."""
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
    return len(members), sum(m.size for m in members)


# --- Making a backup ----------------------------------------------------------------------


def _git_commit() -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def _version() -> str:
    try:
        return metadata.version("vitaal")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_create(*, to: Path, using: str = "default", now: datetime | None = None) -> Path:
    """Make a complete backup (database, media, manifest) in a new directory under ``to``."""
    db = settings.DATABASES[using]
    vendor = vendor_of(db)
    now = (now or timezone.now()).astimezone(UTC)
    to.mkdir(parents=True, exist_ok=True)
    final = to / f"{PREFIX}{now.strftime(STAMP)}"
    if final.exists():
        raise BackupError(f"{final} already exists.")
    work = to / f".{final.name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        if vendor == "postgresql":
            file = work / PG_DUMP_FILE
            counts, migrations = _pg_dump(db, file)
        else:
            file = work / SQLITE_FILE
            _sqlite_backup(using, file)
            counts, migrations = sqlite_state(file)
        # After the database: every file a dumped row points at was saved before that row.
        media = media_tar(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
        media.update(sha256=sha256_file(work / MEDIA_FILE), bytes=(work / MEDIA_FILE).stat().st_size)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "vitaal_version": _version(),
            "git_commit": _git_commit(),
            "database": {
                "vendor": vendor,
                "name": str(db["NAME"]) if vendor == "postgresql" else Path(db["NAME"]).name,
                "file": file.name,
                "bytes": file.stat().st_size,
                "sha256": sha256_file(file),
            },
            "migrations": migrations,
            "tables": counts,
            "media": media,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _sqlite_backup(using: str, file: Path) -> None:
    # Through the configured connection (its timeout, and an in-memory test database too).
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(file)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _pg_dump(db: dict[str, Any], file: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    params = pg_params(db)
    with pg_connect(params) as conn, conn.cursor() as cursor:
        # Counts and dump share one snapshot: the manifest describes exactly this dump.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = pg_state(cursor)
        pg_run(
            ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={file}"],
            params,
        )
        cursor.execute("COMMIT")
    return counts, migrations


# --- Finding and pruning backups ----------------------------------------------------------


def backup_time(path: Path) -> datetime | None:
    """The time in a backup directory's name, or None for anything that is not one."""
    if not path.name.startswith(PREFIX) or not (path / MANIFEST).is_file():
        return None
    try:
        return datetime.strptime(path.name[len(PREFIX) :], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def backups_in(directory: Path) -> list[tuple[datetime, Path]]:
    """Complete backups in a directory, oldest first."""
    if not directory.is_dir():
        return []
    found = [(when, path) for path in directory.iterdir() if (when := backup_time(path)) is not None]
    return sorted(found)


def read_manifest(path: Path) -> tuple[Path, dict[str, Any]]:
    """A backup directory (given as the directory or its manifest) and its manifest."""
    folder = path.parent if path.name == MANIFEST else path
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a readable vitaal backup ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown manifest format {manifest.get('format')!r}.")
    return folder, manifest


def select_kept(times: Iterable[datetime], *, daily: int, weekly: int, monthly: int) -> set[datetime]:
    """Which backups a daily/weekly/monthly policy keeps.

    The newest backup always stays. Then, newest first, the newest backup of each of the last
    ``daily`` days that have a backup, of the last ``weekly`` ISO weeks and of the last
    ``monthly`` months. A backup kept for several reasons counts for each of them.
    """
    ordered = sorted(set(times), reverse=True)
    kept = set(ordered[:1])
    buckets: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: tuple(t.isocalendar())[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for limit, key in buckets:
        seen: set[Hashable] = set()
        for when in ordered:
            if len(seen) >= limit:
                break
            if key(when) not in seen:
                seen.add(key(when))
                kept.add(when)
    return kept


@dataclass
class PruneResult:
    kept: list[Path]
    removed: list[Path]


def backup_prune(
    *, directory: Path, daily: int, weekly: int, monthly: int, dry_run: bool = False
) -> PruneResult:
    """Delete the backups in ``directory`` that the policy does not keep (days in local time)."""
    found = backups_in(directory)
    local = {path: timezone.localtime(when) for when, path in found}
    kept_times = select_kept(local.values(), daily=daily, weekly=weekly, monthly=monthly)
    result = PruneResult(kept=[], removed=[])
    for _when, path in found:
        if local[path] in kept_times:
            result.kept.append(path)
        else:
            result.removed.append(path)
            if not dry_run:
                shutil.rmtree(path)
    return result

"""Restoring a backup made by ``vitaal.core.backup`` and the restore drill.

A restore always names its target database explicitly (there is no default, so the live
database is never overwritten by accident) and refuses a target that already holds tables
unless the operator confirms. The drill restores into a scratch database that it drops
afterwards and compares the rows per table with the manifest: the weekly proof that the
backups can be read back, not only written.
"""

from __future__ import annotations

import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import environ
from django.conf import settings
from django.utils import timezone

from vitaal.core.backup import (
    MEDIA_FILE,
    SQLITE_TABLES,
    BackupError,
    pg_connect,
    pg_params,
    pg_run,
    pg_state,
    read_manifest,
    sha256_file,
    sqlite_copy,
    sqlite_state,
    tar_contents,
    vendor_of,
)

PG_USER_TABLES = """
SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
AND n.nspname NOT LIKE 'pg_toast%'
"""
PG_RESTORE = ["pg_restore", "--no-password", "--no-owner", "--no-privileges", "--single-transaction"]


def verify_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Problems with the files of a backup: missing, or not what the manifest says."""
    problems = []
    entries = [("database", manifest["database"]), ("media", manifest["media"])]
    for label, entry in entries:
        path = folder / entry["file"]
        if not path.is_file():
            problems.append(f"{label} file {path.name} is missing")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{label} file {path.name} does not match its checksum")
    media = folder / manifest["media"]["file"]
    if media.is_file() and not problems:
        files, size = tar_contents(media)
        if (files, size) != (manifest["media"]["files"], manifest["media"]["content_bytes"]):
            problems.append(f"{MEDIA_FILE} holds {files} files ({size} bytes), the manifest says otherwise")
    return problems


# --- Restore --------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    target: str
    replaced: bool
    media_files: int | None


def restore_backup(
    *, backup: Path, target_url: str, yes: bool = False, media_to: Path | None = None
) -> RestoreResult:
    """Restore a backup into the database at ``target_url`` (and its files into ``media_to``)."""
    folder, manifest = read_manifest(backup)
    target = environ.Env.db_url_config(target_url)
    vendor = vendor_of(target)
    if vendor != manifest["database"]["vendor"]:
        raise BackupError(f"This is a {manifest['database']['vendor']} backup; it cannot go into {vendor}.")
    problems = verify_files(folder, manifest)
    if problems:
        raise BackupError("The backup is damaged: " + "; ".join(problems) + ".")
    if media_to is not None and media_to.is_dir() and any(media_to.iterdir()) and not yes:
        raise BackupError(f"{media_to} is not empty; add --yes to restore the files over it.")
    dump = folder / manifest["database"]["file"]
    if vendor == "postgresql":
        replaced = _pg_restore(dump, target, yes=yes)
        where = f"PostgreSQL database {target['NAME']}"
    else:
        replaced = _sqlite_restore(dump, Path(target["NAME"]), yes=yes)
        where = f"SQLite file {target['NAME']}"
    files = None
    if media_to is not None:
        media_to.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / manifest["media"]["file"]) as tar:
            # The "data" filter refuses absolute paths, links out of the tree and devices.
            tar.extractall(media_to, filter="data")
        files = manifest["media"]["files"]
    return RestoreResult(target=where, replaced=replaced, media_files=files)


def _pg_has_tables(params: dict[str, str]) -> bool:
    with pg_connect(params) as conn:
        return bool(conn.execute(PG_USER_TABLES).fetchone()[0])


def pg_create_database(db: dict[str, Any], name: str) -> bool:
    """Create a database on the server of ``db`` unless it exists; True when created."""
    from psycopg import sql

    with pg_connect(pg_params(db, "postgres")) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def pg_drop_database(db: dict[str, Any], name: str) -> None:
    from psycopg import sql

    with pg_connect(pg_params(db, "postgres")) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _pg_restore(dump: Path, target: dict[str, Any], *, yes: bool) -> bool:
    name = str(target["NAME"])
    params = pg_params(target)
    occupied = not pg_create_database(target, name) and _pg_has_tables(params)
    if occupied and not yes:
        raise BackupError(f"Database {name} already holds tables; add --yes to replace its contents.")
    # Objects in the dump are dropped and recreated; owner and grants are those of the
    # restoring user, so a restore also works on a server where the old roles do not exist.
    clean = ["--clean", "--if-exists"] if occupied else []
    pg_run([*PG_RESTORE, "--exit-on-error", *clean, f"--dbname={name}", str(dump)], params)
    # A dump holds no planner statistics; without them the restored database plans every
    # query as if its tables were empty until autovacuum analyses them.
    with pg_connect(params) as conn:
        conn.execute("ANALYZE")
    return occupied


def _sqlite_has_tables(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute(SQLITE_TABLES).fetchall())
    finally:
        conn.close()


def _sqlite_restore(copy: Path, target: Path, *, yes: bool) -> bool:
    if str(target) in ("", ":memory:"):
        raise BackupError("Name a SQLite file to restore into.")
    occupied = target.is_file() and _sqlite_has_tables(target)
    if occupied and not yes:
        raise BackupError(f"{target} already holds tables; add --yes to replace its contents.")
    target.parent.mkdir(parents=True, exist_ok=True)
    sqlite_copy(copy, target)
    return occupied


# --- Drill ----------------------------------------------------------------------------------


@dataclass
class TableCheck:
    table: str
    expected: int | None
    found: int | None

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass
class DrillReport:
    backup: Path
    scratch: str
    tables: list[TableCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(check.ok for check in self.tables)


def scratch_name(live: str, now: datetime) -> str:
    """``<database>_drill_<timestamp>``, shortened to PostgreSQL's 63-character limit."""
    suffix = f"_drill_{now.strftime('%Y%m%d%H%M%S')}"
    return live[: 63 - len(suffix)] + suffix


def restore_drill(
    *, backup: Path, using: str = "default", server_url: str | None = None, now: datetime | None = None
) -> DrillReport:
    """Restore a backup into a scratch database, compare it with the manifest, drop it.

    A PostgreSQL scratch database goes on the configured server, or on ``server_url`` (a
    database URL whose name is ignored) to keep the drill's load off production.
    """
    folder, manifest = read_manifest(backup)
    vendor = manifest["database"]["vendor"]
    dump = folder / manifest["database"]["file"]
    report = DrillReport(backup=folder, scratch="", problems=verify_files(folder, manifest))
    if any(problem.startswith("database") for problem in report.problems):
        return report
    if vendor == "postgresql":
        db = environ.Env.db_url_config(server_url) if server_url else settings.DATABASES[using]
        if vendor_of(db) != "postgresql":
            raise BackupError("A PostgreSQL backup needs a PostgreSQL server: configure DATABASE_URL.")
        report.scratch = scratch_name(str(manifest["database"]["name"]), now or timezone.now())
        if not pg_create_database(db, report.scratch):
            raise BackupError(f"Scratch database {report.scratch} already exists; is another drill running?")
        try:
            pg_run([*PG_RESTORE, "--exit-on-error", f"--dbname={report.scratch}", str(dump)], pg_params(db))
            with pg_connect(pg_params(db, report.scratch)) as conn, conn.cursor() as cursor:
                counts, migrations = pg_state(cursor)
        finally:
            pg_drop_database(db, report.scratch)
    else:
        with tempfile.TemporaryDirectory(prefix="vitaal-drill-") as tmp:
            scratch = Path(tmp) / "drill.sqlite3"
            report.scratch = str(scratch)
            sqlite_copy(dump, scratch)
            conn = sqlite3.connect(scratch)
            try:
                verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
            if verdict != "ok":
                report.problems.append(f"SQLite quick_check: {verdict}")
            counts, migrations = sqlite_state(scratch)
    if migrations != manifest["migrations"]:
        report.problems.append("the applied migrations differ from the manifest")
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(counts)):
        report.tables.append(TableCheck(table=table, expected=expected.get(table), found=counts.get(table)))
    return report


__all__ = ["DrillReport", "RestoreResult", "TableCheck", "restore_backup", "restore_drill"]

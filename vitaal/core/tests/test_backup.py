"""Backups, restores and the restore drill on the configured database (SQLite or PostgreSQL),
and the retention policy for old backups."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from vitaal.core.backup import (
    MANIFEST,
    BackupError,
    backup_create,
    backup_prune,
    backups_in,
    pg_connect,
    pg_params,
    pg_state,
    select_kept,
    sqlite_state,
)
from vitaal.core.models import Sector
from vitaal.core.restore import pg_drop_database, restore_backup, restore_drill


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "igm" / "evidence"
    evidence.mkdir(parents=True)
    (evidence / "rie.pdf").write_bytes(b"%PDF-1.4 findings")
    (evidence / "absence.csv").write_text("unit,percentage\nA,4.2\n")
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path):
    """A database URL of the configured kind that the test may restore into; removed after."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        name = f"{db['NAME']}_restore"
        pg_drop_database(db, name)
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", name
        pg_drop_database(db, name)
    else:
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", str(path)


def restored_state(name: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    if connection.vendor == "postgresql":
        with pg_connect(pg_params(settings.DATABASES["default"], name)) as conn, conn.cursor() as cursor:
            return pg_state(cursor)
    return sqlite_state(Path(name))


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(media, target, tmp_path):
    Sector.objects.create(name="Hoger beroepsonderwijs", slug="hbo")
    Sector.objects.create(name="Middelbaar beroepsonderwijs", slug="mbo")
    folder = backup_create(to=tmp_path / "backups")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["core_sector"] == 2
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["media"]["files"] == 2

    url, name = target
    restored_media = tmp_path / "restored-media"
    result = restore_backup(backup=folder, target_url=url, media_to=restored_media)
    assert not result.replaced
    counts, migrations = restored_state(name)
    assert counts == manifest["tables"]
    assert migrations == manifest["migrations"]
    assert (restored_media / "igm" / "evidence" / "rie.pdf").read_bytes() == b"%PDF-1.4 findings"

    # A second restore into the now filled database needs --yes, and then replaces it.
    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore", str(folder), to_database=url, stdout=StringIO())
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(backup=folder, target_url=url, media_to=restored_media, yes=False)
    out = StringIO()
    call_command("restore", str(folder / MANIFEST), to_database=url, yes=True, stdout=out)
    assert "replaced the contents" in out.getvalue()
    assert restored_state(name)[0] == manifest["tables"]


@pytest.mark.django_db(transaction=True)
def test_restore_drill_passes_and_detects_a_tampered_count(media, tmp_path):
    Sector.objects.create(name="Hoger beroepsonderwijs", slug="hbo")
    backups = tmp_path / "backups"
    folder = backup_create(to=backups)
    server = {}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        # The other-server option, pointed at the same server: the scratch name is the same.
        server["server"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    out = StringIO()
    call_command("restore_drill", directory=backups, stdout=out, **server)
    assert "Restore drill passed" in out.getvalue()

    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["tables"]["core_sector"] = 2
    (folder / MANIFEST).write_text(json.dumps(manifest))
    report = restore_drill(backup=folder)
    assert not report.ok and report.problems == []
    assert [(c.table, c.expected, c.found) for c in report.tables if not c.ok] == [("core_sector", 2, 1)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            pattern = f"{connection.settings_dict['NAME']}_drill_%"
            cursor.execute("SELECT COUNT(*) FROM pg_database WHERE datname LIKE %s", [pattern])
            assert cursor.fetchone()[0] == 0, "the drill drops its scratch database"


def test_drill_command_prints_the_comparison_and_fails_on_a_difference(monkeypatch, tmp_path):
    from vitaal.core.management.commands import restore_drill as command
    from vitaal.core.restore import DrillReport, TableCheck

    report = DrillReport(
        backup=tmp_path,
        scratch="vitaal_drill_20250615050212",
        tables=[TableCheck("core_person", 50000, 50000), TableCheck("core_sector", 2, 1)],
    )
    monkeypatch.setattr(command, "restore_drill", lambda **kwargs: report)
    out = StringIO()
    with pytest.raises(CommandError, match="1 tables differ, 0 problems"):
        call_command("restore_drill", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split() == ["core_sector", "2", "1", "DIFFERENT"] for line in lines)
    assert any(line.split() == ["core_person", "50000", "50000"] for line in lines)


@pytest.mark.django_db(transaction=True)
def test_damaged_backups_are_refused(media, target, tmp_path):
    folder = backup_create(to=tmp_path / "backups")
    manifest = json.loads((folder / MANIFEST).read_text())
    dump = folder / manifest["database"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    url, _name = target
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(backup=folder, target_url=url)
    report = restore_drill(backup=folder)
    assert not report.ok and report.problems == [f"database file {dump.name} does not match its checksum"]
    other = "sqlite:////tmp/elsewhere.sqlite3" if connection.vendor == "postgresql" else "postgres://x@h/db"
    with pytest.raises(BackupError, match="cannot go into"):
        restore_backup(backup=folder, target_url=other)
    with pytest.raises(BackupError, match="not a readable vitaal backup"):
        restore_backup(backup=tmp_path, target_url=url)


def test_restore_needs_an_explicit_target():
    with pytest.raises(CommandError, match="--to-database"):
        call_command("restore", "/nonexistent")


def days(n: int, start: datetime = datetime(2025, 1, 1, 2, 30, tzinfo=UTC)) -> list[datetime]:
    return [start + timedelta(days=i) for i in range(n)]


def test_retention_keeps_daily_weekly_and_monthly_backups():
    stamps = days(400)  # nightly from 2025-01-01 to 2026-02-04
    kept = select_kept(stamps, daily=7, weekly=5, monthly=12)
    newest = stamps[-1]
    assert newest in kept
    assert set(stamps[-7:]) <= kept
    # Weekly: the newest backup of each of the last five ISO weeks (Sundays, or today).
    weekly = {t.day for t in kept if t.year == 2026 and t.month == 1 and t < stamps[-7]}
    assert weekly == {11, 18, 25}  # the newest of this week and last week are among the daily ones
    # Monthly: the last backup of each month for twelve months back from February 2026.
    month_ends = {t for t in kept if (t + timedelta(days=1)).day == 1}
    assert {(t.year, t.month) for t in month_ends} >= {(2025, m) for m in range(3, 13)} | {(2026, 1)}
    assert len(kept) == 7 + 3 + 10
    assert min(kept) == datetime(2025, 3, 31, 2, 30, tzinfo=UTC)


def test_retention_edge_cases():
    assert select_kept([], daily=7, weekly=5, monthly=12) == set()
    one = days(1)
    assert select_kept(one, daily=0, weekly=0, monthly=0) == set(one), "the newest always stays"
    two_a_day = days(3) + [t + timedelta(hours=12) for t in days(3)]
    kept = select_kept(two_a_day, daily=2, weekly=0, monthly=0)
    assert kept == {datetime(2025, 1, 3, 14, 30, tzinfo=UTC), datetime(2025, 1, 2, 14, 30, tzinfo=UTC)}


def test_prune_removes_only_backups_the_policy_drops(tmp_path, settings):
    settings.TIME_ZONE = "UTC"
    for when in days(20):
        folder = tmp_path / f"vitaal-{when.strftime('%Y%m%dT%H%M%SZ')}"
        folder.mkdir()
        (folder / MANIFEST).write_text("{}")
    (tmp_path / "vitaal-notes").mkdir()
    (tmp_path / ".vitaal-20250120T023000Z.partial").mkdir()
    (tmp_path / "vitaal-20240101T000000Z").mkdir()  # no manifest: not ours to judge

    dry = backup_prune(directory=tmp_path, daily=3, weekly=3, monthly=1, dry_run=True)
    assert len(backups_in(tmp_path)) == 20
    out = StringIO()
    call_command(
        "backup", prune_only=True, to=tmp_path, keep_daily=3, keep_weekly=3, keep_monthly=1, stdout=out
    )
    left = [path.name for _when, path in backups_in(tmp_path)]
    assert left == [path.name for path in dry.kept]
    assert left == [
        "vitaal-20250112T023000Z",
        "vitaal-20250118T023000Z",
        "vitaal-20250119T023000Z",
        "vitaal-20250120T023000Z",
    ]
    assert (tmp_path / "vitaal-notes").is_dir() and (tmp_path / "vitaal-20240101T000000Z").is_dir()
    assert "kept 4 backups, removed 16" in out.getvalue()


def test_sqlite_copy_of_a_wal_database_is_one_consistent_file(tmp_path):
    from vitaal.core.backup import sqlite_copy

    source = tmp_path / "live.sqlite3"
    live = sqlite3.connect(source)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE t (x INTEGER)")
    live.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
    live.commit()  # still in the WAL file, not yet checkpointed into the main file
    copy = tmp_path / "copy.sqlite3"
    sqlite_copy(source, copy)
    live.close()
    assert sqlite_state(copy)[0] == {"t": 100}
    assert not Path(f"{copy}-wal").exists()

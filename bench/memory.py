"""Peak memory: of gunicorn's worker processes (read from /proc, Linux only) for pages, and
of the benchmark's own process (tracemalloc) for the in-process comparisons."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PROC = Path("/proc")


def gunicorn_workers(port: int) -> list[int]:
    """The pids of the gunicorn workers bound to this port: the processes started with
    ``--bind 127.0.0.1:<port>`` whose parent is one of them (the master)."""
    bind = f"127.0.0.1:{port}".encode()
    found: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"--bind" not in argv or bind not in argv or not any(b"gunicorn" in a for a in argv[:2]):
                continue
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return sorted(pid for pid, parent in found.items() if parent in found)


def _status_kb(pid: int, field: str) -> int:
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_kb(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


def peak_kb(pid: int) -> int:
    """The process's peak resident set size (VmHWM) since it started or was last reset."""
    return _status_kb(pid, "VmHWM")


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where the kernel refuses."""
    try:
        (PROC / str(pid) / "clear_refs").write_text("5")
    except OSError:
        return False
    return True


def traced_peak(fn: Callable[[], T]) -> tuple[T, int]:
    """Run ``fn`` under tracemalloc; returns its result and the peak of Python memory it
    allocated, in bytes (on top of what was allocated before)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        result = fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak - base

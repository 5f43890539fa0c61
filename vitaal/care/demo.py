"""Demo data of the care arrangement (filled in below)."""

from __future__ import annotations

from vitaal.core.hooks import DemoContext


def build(context: DemoContext) -> None:
    context.lines.append("care: (building)")

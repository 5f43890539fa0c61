"""Charts in the style of the study's figures as inline SVG (no script, so the page's
content security policy allows them): horizontal bars per answer, and side-by-side
bars per group. The numbers are always in a table beside the chart; the SVG is hidden
from screen readers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#1f5f8b", "#e07b39", "#5a9e4b", "#8e5ea2", "#c44e52", "#7f7f7f"]
LABEL_W, BAR_W, ROW_H, GAP = 170, 220, 18, 6


def _label(text: str, width: int = 28) -> str:
    text = str(text)
    return escape(text if len(text) <= width else text[: width - 1] + "…")


def bars(rows: list[tuple[str, float | None]]) -> SafeString:
    """One bar per answer: (label, percent or None when hidden)."""
    height = len(rows) * (ROW_H + GAP) + GAP
    parts = [
        f'<svg class="chart" role="img" aria-hidden="true" focusable="false" width="{LABEL_W + BAR_W + 50}" '
        f'height="{height}" viewBox="0 0 {LABEL_W + BAR_W + 50} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, percent) in enumerate(rows):
        y = GAP + i * (ROW_H + GAP)
        parts.append(f'<text x="0" y="{y + 13}" font-size="11" fill="#222">{_label(label)}</text>')
        if percent is None:
            parts.append(f'<text x="{LABEL_W}" y="{y + 13}" font-size="11" fill="#555">–</text>')
            continue
        w = max(0.0, min(100.0, percent)) * BAR_W / 100
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW_H}" fill="{COLOURS[0]}"/>')
        parts.append(
            f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 13}" font-size="11" fill="#222">{percent:.0f}%</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def grouped(categories: list[str], groups: list[str], percents: list[list[float | None]]) -> SafeString:
    """Per answer, one bar per group side by side; ``percents[g][c]``."""
    per = len(groups) * (ROW_H - 6) + GAP * 2
    legend_h = 16 * len(groups)
    height = legend_h + len(categories) * per + GAP
    parts = [
        f'<svg class="chart" role="img" aria-hidden="true" focusable="false" width="{LABEL_W + BAR_W + 50}" '
        f'height="{height}" viewBox="0 0 {LABEL_W + BAR_W + 50} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for g, name in enumerate(groups):
        colour = COLOURS[g % len(COLOURS)]
        parts.append(f'<rect x="{LABEL_W}" y="{g * 16 + 2}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{LABEL_W + 14}" y="{g * 16 + 11}" font-size="11" fill="#222">{_label(name, 40)}</text>'
        )
    for c, label in enumerate(categories):
        top = legend_h + c * per + GAP
        parts.append(f'<text x="0" y="{top + 11}" font-size="11" fill="#222">{_label(label)}</text>')
        for g in range(len(groups)):
            y = top + g * (ROW_H - 6)
            value = percents[g][c] if g < len(percents) and c < len(percents[g]) else None
            if value is None:
                continue
            w = max(0.0, min(100.0, value)) * BAR_W / 100
            colour = COLOURS[g % len(COLOURS)]
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW_H - 8}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 9}" font-size="9" fill="#222">{value:.0f}%</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above

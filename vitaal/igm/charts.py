"""The radar chart of line scores as an SVG string (no JavaScript, usable in HTML and PDF),
and the same numbers as table rows to show beside it.

Accessibility: the ``<svg>`` has ``role="img"`` with ``<title>`` and ``<desc>`` (the desc
lists every value, so a screen reader gets the numbers); series differ in colour *and*
in line style and marker shape, and every colour has at least 4.5:1 contrast against
white, so the chart also works in grey print and for colour-blind readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Dark variants of the Okabe-Ito palette; contrast against white 4.5:1 or more.
SERIES_COLOURS = ["#1F5FAD", "#B3420E", "#1B7345", "#7A3E9D", "#7A5C00", "#333333"]
SERIES_DASHES = ["", "6 4", "2 3", "8 3 2 3", "1 2", "10 4"]
TEXT_COLOUR = "#1A1A1A"
GRID_COLOUR = "#8C8C8C"


@dataclass(frozen=True)
class RadarSeries:
    """One polygon: a label (e.g. "Baseline 2025") and one value per axis, 0-100; None
    where a line has no score (drawn at the centre, shown as "–" in the table)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class RadarRow:
    """One row of the table beside the chart: an axis (line) and each series' value."""

    axis: str
    values: tuple[float | None, ...]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _wrap(label: str, width: int = 18) -> list[str]:
    words, lines, current = label.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def _check(axes: Sequence[str], series: Sequence[RadarSeries], maximum: float) -> None:
    if len(axes) < 3:
        raise ValueError("A radar chart needs at least three axes.")
    if not series:
        raise ValueError("A radar chart needs at least one series.")
    if len(series) > len(SERIES_COLOURS):
        raise ValueError(f"At most {len(SERIES_COLOURS)} series fit in one radar chart.")
    for s in series:
        if len(s.values) != len(axes):
            raise ValueError(f"Series {s.label!r} has {len(s.values)} values for {len(axes)} axes.")
        for v in s.values:
            if v is not None and not 0 <= v <= maximum:
                raise ValueError(f"Value {v} of series {s.label!r} lies outside 0-{maximum}.")


def radar_table(axes: Sequence[str], series: Sequence[RadarSeries]) -> list[RadarRow]:
    """The chart's numbers as rows (one per axis), values rounded to one decimal."""
    return [
        RadarRow(
            axis, tuple(None if s.values[i] is None else round(float(s.values[i] or 0), 1) for s in series)
        )
        for i, axis in enumerate(axes)
    ]


def radar_svg(
    axes: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    title: str,
    description: str = "",
    maximum: float = 100.0,
    rings: int = 4,
    size: int = 520,
) -> str:
    """An SVG radar chart: one axis per development line, one polygon per series."""
    _check(axes, series, maximum)
    n = len(axes)
    legend_height = 22 * len(series) + 16
    # Extra room left and right, where the labels of side axes run outwards.
    width = size + 120
    cx, cy = width / 2, size / 2
    radius = size / 2 - 110
    height = size - 40 + legend_height

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    summary = "; ".join(
        f"{s.label}: "
        + ", ".join(f"{axes[i]} {'–' if v is None else _fmt(v)}" for i, v in enumerate(s.values))
        for s in series
    )
    desc = f"{description} {summary}".strip()
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" aria-labelledby="radar-title radar-desc" '
        f'font-family="sans-serif" font-size="13">',
        f'<title id="radar-title">{escape(title)}</title>',
        f'<desc id="radar-desc">{escape(desc)}</desc>',
        '<g class="grid" fill="none" stroke-width="1">',
    ]
    for ring in range(1, rings + 1):
        value = maximum * ring / rings
        # Rings are paths, so the only polygons in the chart are the series' areas.
        d = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in (point(i, value) for i in range(n))) + "Z"
        out.append(f'<path d="{d}" stroke="{GRID_COLOUR}" class="ring"/>')
        x, y = point(0, value)
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" fill="{TEXT_COLOUR}" font-size="11" stroke="none">'
            f"{_fmt(value)}</text>"
        )
    for i in range(n):
        x, y = point(i, maximum)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
    out.append("</g>")

    out.append(f'<g class="labels" fill="{TEXT_COLOUR}">')
    for i, axis in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = point(i, maximum * 1.08)
        cos = math.cos(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lines = _wrap(axis)
        # Labels above the chart grow upwards, so they never cross the outer ring.
        top = (
            y - (len(lines) - 1) * 15
            if math.sin(angle) < -0.3
            else y + (4 if abs(math.sin(angle)) <= 0.3 else 10)
        )
        tspans = "".join(
            f'<tspan x="{x:.1f}" y="{top + k * 15:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(f'<text text-anchor="{anchor}">{tspans}</text>')
    out.append("</g>")

    for idx, s in enumerate(series):
        colour, dash = SERIES_COLOURS[idx], SERIES_DASHES[idx]
        pts = [point(i, v if v is not None else 0.0) for i, v in enumerate(s.values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="series" data-series="{idx}">')
        out.append(
            f'<polygon class="area" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}" fill="{colour}" '
            f'fill-opacity="0.12" stroke="{colour}" stroke-width="2.5"{dash_attr}>'
            f"<title>{escape(s.label)}</title></polygon>"
        )
        for (x, y), v in zip(pts, s.values, strict=True):
            if v is not None:
                out.append(_marker(idx, x, y, colour))
        out.append("</g>")

    out.append(f'<g class="legend" fill="{TEXT_COLOUR}">')
    for idx, s in enumerate(series):
        colour, dash = SERIES_COLOURS[idx], SERIES_DASHES[idx]
        y = size - 32 + 22 * idx
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="24" y1="{y:.1f}" x2="60" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        out.append(_marker(idx, 42, y, colour))
        out.append(f'<text x="70" y="{y + 4:.1f}">{escape(s.label)}</text>')
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _marker(idx: int, x: float, y: float, colour: str) -> str:
    """A marker shape per series (circle, square, diamond, triangle, ...)."""
    shape = idx % 4
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill={quoteattr(colour)}/>'
    if shape == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill={quoteattr(colour)}/>'
    if shape == 2:
        d = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
    else:
        d = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z"
    # A path, not a polygon: each series has exactly one polygon (its area).
    return f'<path class="marker" d="{d}" fill={quoteattr(colour)}/>'

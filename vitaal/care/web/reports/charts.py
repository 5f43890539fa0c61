"""Simple SVG charts computed in Python, so the same markup works in HTML and PDF. Every
chart is shown next to a table with its numbers; a suppressed value draws no bar."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

BAR_HEIGHT = 22
LABEL_WIDTH = 150
PLOT_WIDTH = 190


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str
    y: int
    width: int


def bar_chart(items: list[tuple[str, float | None]], suppressed_text: str) -> dict[str, object]:
    """Horizontal bars: (label, value or None when suppressed)."""
    peak = max((v for _l, v in items if v), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            text=suppressed_text if value is None else f"{value:g}",
            y=i * (BAR_HEIGHT + 6),
            width=0 if value is None else round(PLOT_WIDTH * value / peak),
        )
        for i, (label, value) in enumerate(items)
    ]
    return {
        "bars": bars,
        "height": len(bars) * (BAR_HEIGHT + 6),
        "label_width": LABEL_WIDTH,
        "plot_x": LABEL_WIDTH + 8,
        "width": LABEL_WIDTH + PLOT_WIDTH + 90,  # room for the number after the bar
        "bar_height": BAR_HEIGHT,
    }


COLOURS = ("#1f5f8b", "#b3541e", "#2e7d32", "#6a1b9a")


def line_chart(years: list[int], series: dict[str, list[Decimal]]) -> dict[str, object]:
    """Lines of a money amount per year (one per series), with a zero line."""
    width, height, left, top, bottom = 560, 240, 80, 12, 28
    values = [float(v) for points in series.values() for v in points] + [0.0]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - left - 20) / max(len(years) - 1, 1)

    def y(value: float) -> float:
        return round(top + (high - value) / span * (height - top - bottom), 1)

    lines = []
    for i, (name, points) in enumerate(series.items()):
        coords = [(round(left + j * step, 1), y(float(v))) for j, v in enumerate(points)]
        lines.append(
            {
                "name": name,
                "colour": COLOURS[i % len(COLOURS)],
                "points": " ".join(f"{x},{yy}" for x, yy in coords),
                "dots": coords,
                "legend_y": top + 14 * i,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "zero_y": y(0.0),
        "high": f"{high:,.0f}",
        "low": f"{low:,.0f}",
        "top": top,
        "bottom_y": height - bottom,
        "years": [{"x": round(left + j * step, 1), "label": year} for j, year in enumerate(years)],
        "lines": lines,
    }

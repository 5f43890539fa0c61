"""A small trend chart as inline SVG (no scripts, so it passes the CSP and renders in PDF).
The numbers are always shown in a table beside it; the chart has a text alternative."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_X, PAD_Y = 480, 200, 48, 24


def trend_svg(
    points: list[tuple[str, Decimal | None]], *, title: str, target: Decimal | None = None
) -> SafeString:
    """Line chart of (label, value) pairs; hidden (suppressed) values leave a gap."""
    values = [v for _l, v in points if v is not None]
    if target is not None:
        values.append(target)
    if not points or not values:
        return mark_safe("")
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low
    step = (WIDTH - 2 * PAD_X) / max(len(points) - 1, 1)

    def y(v: Decimal) -> float:
        return HEIGHT - PAD_Y - float((v - low) / span) * (HEIGHT - 2 * PAD_Y)

    parts = [
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD_X}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_X}" y2="{HEIGHT - PAD_Y}" '
        'stroke="#666"/>',
        f'<text x="4" y="{PAD_Y}" font-size="11" fill="#333">{escape(high.normalize())}</text>',
        f'<text x="4" y="{HEIGHT - PAD_Y}" font-size="11" fill="#333">{escape(low.normalize())}</text>',
    ]
    if target is not None:
        ty = y(target)
        parts.append(
            f'<line x1="{PAD_X}" y1="{ty:.1f}" x2="{WIDTH - PAD_X}" y2="{ty:.1f}" stroke="#8a5a00" '
            'stroke-dasharray="6 4"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (label, value) in enumerate(points):
        x = PAD_X + i * step
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{x:.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="3.5" fill="#1f5f99"/>')
        if len(points) <= 12 or i % max(len(points) // 6, 1) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" fill="#333">'
                f"{escape(label)}</text>"
            )
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline fill="none" stroke="#1f5f99" stroke-width="2" points="{" ".join(seg)}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

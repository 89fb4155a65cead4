"""Small bar charts as SVG, drawn on the server: no script, a text alternative, readable in print."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from shishin.lib.tables import number_text

_BAR = "#0017c1"  # design token color-primitive-blue-900; 10.4:1 on white
_TEXT = "#1a1a1a"
_AXIS = "#767676"


def bar_chart(chart_id: str, title: str, unit: str, points: list[tuple[str, Decimal]]) -> str:
    """Draw ``points`` (label, value) as vertical bars; the SVG names itself and its data for screen readers."""
    width, height, top, bottom, left = 80 + 96 * len(points), 236, 28, 60, 16
    highest = max((value for _, value in points), default=Decimal(0)) or Decimal(1)
    plot = height - top - bottom
    description = "、".join(f"{label} {number_text(value)}{unit}" for label, value in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}の推移</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="{_AXIS}"/>',
    ]
    for number, (label, value) in enumerate(points):
        bar_height = float(value / highest) * plot if value > 0 else 0.0
        x = left + 24 + number * 96
        y = height - bottom - bar_height
        parts += [
            f'<rect x="{x}" y="{y:.1f}" width="56" height="{bar_height:.1f}" fill="{_BAR}"/>',
            f'<text x="{x + 28}" y="{y - 6:.1f}" text-anchor="middle" font-size="13" fill="{_TEXT}">'
            f"{escape(number_text(value))}{escape(unit)}</text>",
            f'<text x="{x + 28}" y="{height - bottom + 20}" text-anchor="middle" font-size="13" fill="{_TEXT}">'
            f"{_lines(label, x + 28)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def _lines(label: str, x: int) -> str:
    """A year's label under its bar on two lines, 令和元年度 over （2019年度）: one line is wider than a bar."""
    first, mark, rest = label.partition("（")
    if not mark:
        return escape(label)
    return f'<tspan x="{x}">{escape(first)}</tspan><tspan x="{x}" dy="16">{escape(mark + rest)}</tspan>'

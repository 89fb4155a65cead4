"""Small charts as SVG, drawn on the server: no script, a text alternative, readable in print.

Each names itself (its <title>) and says its numbers (its <desc>) for screen readers; the page shows
the same numbers in a table beside it."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from shishin.lib.tables import number_text

_BAR = "#0017c1"  # design token color-primitive-blue-900; 10.4:1 on white
_TEXT = "#1a1a1a"
_AXIS = "#767676"
_TARGET = "#ce0000"  # color-primitive-red-900; 5.9:1 on white
# Stacked categories, darkest first (white text on the first three), then greys for those that say
# there is nothing to count (未把握, －); every part outlined in _AXIS, so that light ones stand apart.
_SHADES = ("#000060", "#0017c1", "#3460fb", "#9db7f9", "#c5d7fb", "#e8f1fe")
_LIGHT_FROM = 3
_GREYS = ("#e6e6e6", "#f2f2f2")


def bar_chart(chart_id: str, title: str, unit: str, points: list[tuple[str, Decimal]]) -> str:
    """Draw ``points`` (label, value) as vertical bars; the SVG names itself and its data for screen readers."""
    width, height, top, bottom, left = 80 + 96 * len(points), 236, 28, 60, 16
    highest = max((value for _, value in points), default=Decimal(0)) or Decimal(1)
    plot = height - top - bottom
    description = "、".join(f"{label} {number_text(value)}{unit}" for label, value in points)
    parts = [
        _opening(chart_id, width, height, f"{title}の推移", description),
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


def trend_chart(
    chart_id: str, title: str, unit: str, points: list[tuple[str, Decimal | None]], target: tuple[str, Decimal]
) -> str:
    """Draw ``points`` (label, value or None) as a line, and ``target`` (the label of its year, value) as a
    dashed line across with a diamond at its year: how far the values are from it, year by year."""
    goal = f"目標 {number_text(target[1])}{unit}"
    step, left, right, top, bottom = 96, 24, 24 + 13 * len(goal), 40, 60
    width, height = left + step * len(points) + right, 272
    plot = height - top - bottom
    values = [value for _, value in points if value is not None]
    highest = max([*values, target[1]]) * Decimal("1.15") or Decimal(1)

    def y(value: Decimal) -> float:
        return height - bottom - float(value / highest) * plot

    def x(number: int) -> int:
        return left + step // 2 + number * step

    said = "、".join(f"{label} {number_text(value)}{unit}" for label, value in points if value is not None)
    parts = [
        _opening(chart_id, width, height, f"{title}の推移", f"{said}。{goal}（{target[0]}）"),
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right + 8}" y2="{height - bottom}" stroke="{_AXIS}"/>',
        f'<line x1="{left}" y1="12" x2="{left + 24}" y2="12" stroke="{_BAR}" stroke-width="3"/>',
        f'<text x="{left + 30}" y="17" font-size="13" fill="{_TEXT}">実績値</text>',
        f'<line x1="{left + 96}" y1="12" x2="{left + 120}" y2="12" stroke="{_TARGET}" stroke-width="2"'
        ' stroke-dasharray="6 4"/>',
        f'<text x="{left + 126}" y="17" font-size="13" fill="{_TEXT}">目標値</text>',
        f'<line x1="{left}" y1="{y(target[1]):.1f}" x2="{width - right + 8}" y2="{y(target[1]):.1f}"'
        f' stroke="{_TARGET}" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{width - right + 14}" y="{y(target[1]) + 5:.1f}" font-size="13" fill="{_TARGET}">'
        f"{escape(goal)}</text>",
    ]
    drawn = [(x(number), y(value)) for number, (_, value) in enumerate(points) if value is not None]
    if len(drawn) > 1:
        line = " ".join(f"{px},{py:.1f}" for px, py in drawn)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{_BAR}" stroke-width="3"/>')
    for number, (label, value) in enumerate(points):
        if label == target[0]:
            ty = y(target[1])
            parts.append(
                f'<polygon points="{x(number)},{ty - 8:.1f} {x(number) + 8},{ty:.1f} {x(number)},{ty + 8:.1f}'
                f' {x(number) - 8},{ty:.1f}" fill="{_TARGET}"/>'
            )
        if value is not None:
            # The value above its point, or below when the target's line runs just above it.
            above = not 0 <= y(value) - y(target[1]) < 24
            parts += [
                f'<circle cx="{x(number)}" cy="{y(value):.1f}" r="5" fill="{_BAR}"/>',
                f'<text x="{x(number)}" y="{y(value) + (-10 if above else 22):.1f}" text-anchor="middle"'
                f' font-size="13" fill="{_TEXT}">{escape(number_text(value))}{escape(unit)}</text>',
            ]
        parts.append(
            f'<text x="{x(number)}" y="{height - bottom + 20}" text-anchor="middle" font-size="13" fill="{_TEXT}">'
            f"{_lines(label, x(number))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    chart_id: str, title: str, categories: list[str], rows: list[tuple[str, list[int]]], *, muted: int = 0
) -> str:
    """Draw each row (label, a count per category) as one horizontal bar of its categories, on one scale,
    with a legend above; the last ``muted`` categories in grey (those that count what could not be graded)."""
    colours = [_SHADES[n % len(_SHADES)] for n in range(len(categories) - muted)] + [
        _GREYS[n % len(_GREYS)] for n in range(muted)
    ]
    dark = {n for n in range(len(categories) - muted) if n % len(_SHADES) < _LIGHT_FROM}
    label_width = 16 + 14 * max((len(label) for label, _ in rows), default=0)
    bar_width, row_height, legend = 480, 40, 36
    keys = [22 + 14 * len(name) + 18 for name in categories]
    width = max(label_width + bar_width + 64, label_width + sum(keys))
    height = legend + row_height * len(rows) + 8
    highest = max((sum(counts) for _, counts in rows), default=0) or 1
    said = "。".join(
        f"{label}: " + "、".join(f"{name} {count}" for name, count in zip(categories, counts, strict=True))
        for label, counts in rows
    )
    parts = [_opening(chart_id, width, height, title, said)]
    x = label_width
    for name, colour, key in zip(categories, colours, keys, strict=True):
        parts += [
            f'<rect x="{x}" y="6" width="16" height="16" fill="{colour}" stroke="{_AXIS}"/>',
            f'<text x="{x + 22}" y="19" font-size="13" fill="{_TEXT}">{escape(name)}</text>',
        ]
        x += key
    for number, (label, counts) in enumerate(rows):
        top = legend + number * row_height
        parts.append(
            f'<text x="{label_width - 8}" y="{top + 21}" text-anchor="end" font-size="13" fill="{_TEXT}">'
            f"{escape(label)}</text>"
        )
        at = float(label_width)
        for category, count in enumerate(counts):
            if not count:
                continue
            size = bar_width * count / highest
            parts.append(
                f'<rect x="{at:.1f}" y="{top + 4}" width="{size:.1f}" height="24" fill="{colours[category]}"'
                f' stroke="{_AXIS}"/>'
            )
            if size >= 20:
                ink = "#ffffff" if category in dark else _TEXT
                parts.append(
                    f'<text x="{at + size / 2:.1f}" y="{top + 21}" text-anchor="middle" font-size="13"'
                    f' fill="{ink}">{count}</text>'
                )
            at += size
        parts.append(f'<text x="{at + 6:.1f}" y="{top + 21}" font-size="13" fill="{_TEXT}">計 {sum(counts)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _opening(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    """The SVG element, named by its title and described by its numbers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _lines(label: str, x: int) -> str:
    """A year's label under its bar on two lines, 令和元年度 over （2019年度）: one line is wider than a bar."""
    first, mark, rest = label.partition("（")
    if not mark:
        return escape(label)
    return f'<tspan x="{x}">{escape(first)}</tspan><tspan x="{x}" dy="16">{escape(mark + rest)}</tspan>'

"""Inline SVG charts for the dashboard: no script, no external file, readable without colour.

Every chart is an <svg role="img"> with a <title> and <desc>; the page puts a table with the same
numbers next to it, so screen readers and text browsers lose nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from html import escape

WIDTH = 640
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
OUTCOME_COLOURS = {"passed": "#2ca02c", "failed": "#d62728", "errors": "#8c1c13", "skipped": "#999"}


def _open(title: str, description: str, height: int) -> str:
    ident = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}'
        "</desc>"
    )


def _number(value: float) -> str:
    return f"{value:.4g}"


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str,
    floor: float | None = None,
) -> str:
    """One line per series over the runs in `labels`; None is a run that did not measure it."""
    values = [value for points in series.values() for value in points if value is not None]
    values += [floor] if floor is not None else []
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    left, right, top, bottom = 72, WIDTH - 12, 12, 170
    # Legend: three to a line, or one per line when a name would run into its neighbour.
    per_line = 3 if max(map(len, series), default=0) <= 28 else 1
    height = bottom + 24 + 18 * math.ceil(len(series) / per_line)

    def x(index: int) -> float:
        return left + (right - left) * (index / (len(labels) - 1) if len(labels) > 1 else 0.5)

    def y(value: float) -> float:
        return bottom - (bottom - top) * (value - low) / (high - low)

    latest = {
        name: next((v for v in reversed(p) if v is not None), None) for name, p in series.items()
    }
    description = f"{len(labels)} runs; latest: " + ", ".join(
        f"{name} {_number(value)}{unit}" for name, value in latest.items() if value is not None
    )
    parts = [_open(title, description, height)]
    for tick in (low + pad, (low + high) / 2, high - pad):
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">'
            f"{tick:.3g}{escape(unit)}</text>"
        )
    if floor is not None:
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(floor):.1f}" y2="{y(floor):.1f}" '
            f'stroke="#d62728" stroke-dasharray="6 4"><title>floor {_number(floor)}{unit}</title>'
            "</line>"
        )
    for label, index in ((labels[0], 0), (labels[-1], len(labels) - 1)) if labels else ():
        anchor = "start" if index == 0 else "end"
        parts.append(
            f'<text x="{x(index):.1f}" y="{bottom + 16}" text-anchor="{anchor}" font-size="11">'
            f"{escape(label)}</text>"
        )
    for number, (name, points) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        coordinates = [(x(i), y(v), v) for i, v in enumerate(points) if v is not None]
        if len(coordinates) > 1:
            path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _ in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        parts += [
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}">'
            f"<title>{escape(name)}: {_number(v)}{escape(unit)}</title></circle>"
            for cx, cy, v in coordinates
        ]
        lx, ly = 12 + 210 * (number % per_line), bottom + 34 + 18 * (number // per_line)
        parts.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(title: str, rows: Mapping[str, Mapping[str, int]]) -> str:
    """One horizontal bar per row (a layer), split by outcome (passed, failed, errors, skipped)."""
    height = 24 * len(rows) + 40
    longest = max((sum(row.values()) for row in rows.values()), default=0) or 1
    left, right = 90, WIDTH - 60
    description = "; ".join(
        f"{name}: " + ", ".join(f"{count} {outcome}" for outcome, count in row.items())
        for name, row in rows.items()
    )
    parts = [_open(title, description, height)]
    for index, (name, row) in enumerate(rows.items()):
        top, start = 8 + 24 * index, float(left)
        parts.append(
            f'<text x="{left - 8}" y="{top + 14}" text-anchor="end" font-size="12">'
            f"{escape(name)}</text>"
        )
        for outcome, count in row.items():
            width = (right - left) * count / longest
            if width:
                parts.append(
                    f'<rect x="{start:.1f}" y="{top}" width="{width:.1f}" height="18" '
                    f'fill="{OUTCOME_COLOURS[outcome]}"><title>{escape(name)}: {count} '
                    f"{outcome}</title></rect>"
                )
            start += width
        parts.append(
            f'<text x="{start + 6:.1f}" y="{top + 14}" font-size="12">{sum(row.values())}</text>'
        )
    legend_y = 24 * len(rows) + 28
    for index, (outcome, colour) in enumerate(OUTCOME_COLOURS.items()):
        lx = left + 110 * index
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{legend_y}" font-size="12">{outcome}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def pyramid(title: str, actual: Mapping[str, int], target: Mapping[str, int]) -> str:
    """Bands from e2e (top) to unit (bottom), as wide as their share; the target is outlined."""
    sides = list(reversed(list(target)))
    height = 36 * len(sides) + 16
    middle, full = (WIDTH - 200) / 2, WIDTH - 220
    labels = {side: f"{side} {actual.get(side, 0)}% (target {target[side]}%)" for side in sides}
    description = ", ".join(labels.values())
    parts = [_open(title, description, height)]
    for index, side in enumerate(sides):
        top = 8 + 36 * index
        for share, style in (
            (actual.get(side, 0), f'fill="{PALETTE[index]}"'),
            (target[side], 'fill="none" stroke="#333" stroke-dasharray="4 3"'),
        ):
            width = max(full * share / 100, 2)
            parts.append(
                f'<rect x="{middle - width / 2:.1f}" y="{top}" width="{width:.1f}" height="28" '
                f"{style}/>"
            )
        parts.append(f'<text x="{WIDTH - 190}" y="{top + 19}" font-size="12">{labels[side]}</text>')
    parts.append("</svg>")
    return "".join(parts)

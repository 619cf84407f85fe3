"""Server-side SVG charts: grouped vertical bars (per month) and horizontal bars (per category).

Accessible by construction: the <svg> is role="img" labelled by its <title> and <desc>, each bar
carries its own <title> (read by screen readers and shown on hover), and the page renders the
same numbers as a table beside the chart. No JavaScript, no charting library: the numbers are
known on the server and a bar is a rectangle.
"""

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
AXIS = "#5f6368"
GRID = "#e3e3e3"


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: list[Decimal]


def compact_euros(amount: Decimal) -> str:
    """2 400 000 → « 2,4 M€ », 21 345 678 → « 21 M€ », 8 500 → « 8,5 k€ », 820 → « 820 € »."""
    sign = "−" if amount < 0 else ""
    value = abs(Decimal(amount)).quantize(Decimal(1))
    for unit, size in (("Md€", Decimal(10) ** 9), ("M€", Decimal(10) ** 6), ("k€", Decimal(1000))):
        if value >= size:
            scaled = value / size
            digits = 0 if scaled >= 10 else 1
            text = f"{scaled:.{digits}f}".replace(".", ",").removesuffix(",0")
            return f"{sign}{text} {unit}"
    return f"{sign}{value:.0f} €"


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _scale(values: list[float]) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: zero always shown, ends on round ticks."""
    low, high = min([0.0, *values]), max([0.0, *values])
    if low == high:
        high = 1.0
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _svg_open(width: int, height: int, title: str, desc: str, css_class: str) -> tuple[str, str]:
    n = next(_ids)
    title_id, desc_id = f"chart-title-{n}", f"chart-desc-{n}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="system-ui, sans-serif" '
        f'font-size="11">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def bar_chart_svg(
    *, title: str, desc: str, labels: list[str], series: list[Series], height: int = 300
) -> SafeString:
    """Vertical bars: one cluster per label (month), one bar per series (storefront)."""
    left, right, top, bottom = 64, 12, 12, 46
    slot = max(22 * len(series) + 10, 34)
    legend_width = sum(24 + 7 * len(s.name) for s in series)
    width = max(left + right + slot * max(len(labels), 1), left + legend_width + right)
    plot_h = height - top - bottom
    values = [float(v) for s in series for v in s.values]
    low, high, step = _scale(values)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    parts = []
    head, tail = _svg_open(width, height, title, desc, "chart-bars")
    parts.append(head)
    tick = low
    while tick <= high + step / 2:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{AXIS if tick == 0 else GRID}" stroke-width="{1.2 if tick == 0 else 0.6}"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{AXIS}">'
            f"{escape(compact_euros(Decimal(str(tick))))}</text>"
        )
        tick += step
    bar_w = (slot - 10) / max(len(series), 1)
    zero = y(0.0)
    for i, label in enumerate(labels):
        x0 = left + i * slot + 5
        for j, s in enumerate(series):
            value = s.values[i]
            top_y, bottom_y = sorted((y(float(value)), zero))
            parts.append(
                f'<rect class="bar" x="{x0 + j * bar_w:.1f}" y="{top_y:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{max(bottom_y - top_y, 0.5):.1f}" '
                f'fill="{escape(s.color)}"><title>{escape(s.name)}, {escape(label)} : '
                f"{escape(compact_euros(value))}</title></rect>"
            )
        short = label.split(" ")
        parts.append(
            f'<text x="{x0 + (slot - 10) / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" fill="{AXIS}">{escape(short[0][:4])}</text>'
        )
        if len(short) > 1 and (i == 0 or short[0].startswith("janv")):
            parts.append(
                f'<text x="{x0 + (slot - 10) / 2:.1f}" y="{height - bottom + 29}" '
                f'text-anchor="middle" fill="{AXIS}">{escape(short[-1])}</text>'
            )
    legend_x = left
    for s in series:
        parts.append(
            f'<rect x="{legend_x}" y="{height - 12}" width="10" height="10" '
            f'fill="{escape(s.color)}"/><text x="{legend_x + 14}" y="{height - 3}" '
            f'fill="#202124">{escape(s.name)}</text>'
        )
        legend_x += 24 + 7 * len(s.name)
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def hbar_chart_svg(
    *,
    title: str,
    desc: str,
    labels: list[str],
    values: list[Decimal],
    positive: str = "#2e7d32",
    negative: str = "#c62828",
) -> SafeString:
    """Horizontal bars, one per label (category), green above zero and red below."""
    left, right, top, row_h = 170, 80, 8, 24
    width = 720
    height = top * 2 + row_h * max(len(labels), 1) + 18
    low, high, step = _scale([float(v) for v in values])
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * plot_w

    head, tail = _svg_open(width, height, title, desc, "chart-hbars")
    parts = [head]
    zero = x(0.0)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        ty = top + i * row_h
        x1, x2 = sorted((x(float(value)), zero))
        parts.append(
            f'<text x="{left - 8}" y="{ty + 16}" text-anchor="end" fill="#202124">'
            f"{escape(label[:28])}</text>"
            f'<rect class="bar" x="{x1:.1f}" y="{ty + 4}" width="{max(x2 - x1, 0.5):.1f}" '
            f'height="{row_h - 8}" fill="{positive if value >= 0 else negative}">'
            f"<title>{escape(label)} : {escape(compact_euros(value))}</title></rect>"
            f'<text x="{max(x1, x2) + 4:.1f}" y="{ty + 16}" fill="{AXIS}">'
            f"{escape(compact_euros(value))}</text>"
        )
    bottom = top + row_h * max(len(labels), 1)
    parts.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top}" y2="{bottom}" stroke="{AXIS}"/>'
        f'<text x="{left}" y="{bottom + 14}" fill="{AXIS}">'
        f"{escape(compact_euros(Decimal(str(low))))}</text>"
        f'<text x="{left + plot_w}" y="{bottom + 14}" text-anchor="end" fill="{AXIS}">'
        f"{escape(compact_euros(Decimal(str(high))))}</text>"
    )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()

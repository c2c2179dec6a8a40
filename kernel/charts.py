"""Bar charts drawn on the server as SVG: no script, no internet, readable without colour.

Every bar carries its label and its value as text; a bar with a limit (an envelope, a quota) is
drawn over a track as long as the limit, so "how much of it" is seen at a glance.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
LABEL_END = 200  # labels are right-aligned up to here
BAR_START = 210
BAR_END = 500
VALUE_START = 512
ROW = 30
BAR_HEIGHT = 18
TOP = 8
MAX_LABEL = 28

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    text: str
    limit: Decimal | int | None = None


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _x(value: Decimal | int, scale: Decimal) -> Decimal:
    if scale <= 0:
        return Decimal(0)
    return (Decimal(value) * (BAR_END - BAR_START) / scale).quantize(Decimal("0.1"))


def _label(bar: Bar, middle: int) -> SafeString:
    """The bar's label right-aligned before it, shortened; the full label as its tooltip."""
    return format_html(
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
        'class="chart-label"><title>{}</title>{}</text>',
        LABEL_END,
        middle,
        bar.label,
        _short(bar.label),
    )


def _bar(bar: Bar, bar_y: int, scale: Decimal) -> SafeString:
    """The bar, over a track as long as its limit if it has one; marked when over the limit."""
    parts = []
    if bar.limit is not None:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-track"/>',
                BAR_START,
                bar_y,
                _x(bar.limit, scale),
                BAR_HEIGHT,
            )
        )
    over = bar.limit is not None and bar.value > bar.limit
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>',
            BAR_START,
            bar_y,
            _x(bar.value, scale),
            BAR_HEIGHT,
            "chart-bar chart-over" if over else "chart-bar",
        )
    )
    return mark_safe("".join(parts))


def _value(text: str, x: int, middle: int) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" dominant-baseline="middle" class="chart-value">{}</text>',
        x,
        middle,
        text,
    )


def _row(bar: Bar, index: int, scale: Decimal) -> SafeString:
    """One bar's row: label, bar (with its track) and the value written beside it."""
    middle = TOP + index * ROW + ROW // 2
    parts = [
        _label(bar, middle),
        _bar(bar, middle - BAR_HEIGHT // 2, scale),
        _value(bar.text, VALUE_START, middle),
    ]
    return mark_safe("".join(parts))


def bar_chart(title: str, bars: Sequence[Bar], *, description: str = "") -> SafeString:
    """A horizontal bar chart with a title, one row per bar, values written beside the bars."""
    chart_id = f"chart-{next(_ids)}"
    height = TOP * 2 + ROW * max(len(bars), 1)
    scale = max(
        [Decimal(bar.value) for bar in bars] + [Decimal(bar.limit) for bar in bars if bar.limit],
        default=Decimal(0),
    )
    rows = [_row(bar, index, scale) for index, bar in enumerate(bars)]
    if not bars:
        rows.append(_value("–", BAR_START, TOP + ROW // 2))
    return format_html(
        '<figure class="chart"><figcaption id="{id}-title">{title}</figcaption>'
        '<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<desc id="{id}-desc">{desc}</desc>{rows}</svg></figure>',
        id=chart_id,
        title=title,
        width=WIDTH,
        height=height,
        desc=description or "; ".join(f"{bar.label}: {bar.text}" for bar in bars),
        rows=mark_safe("".join(rows)),
    )

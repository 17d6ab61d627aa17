"""Bar charts drawn on the server as inline SVG: no script, readable by a screen reader, scaled to the page.

A chart is horizontal bars, one per row, with the row's label above its bar and the value at its end, so that
long program titles fit a phone's width. The SVG has a ``viewBox`` and ``width="100%"``: it scales with the
page at 390 px as on a desk. It is an image with its title and a description that lists every value
(``role="img"``, ``<title>``, ``<desc>``); a value that is not known is drawn as no bar and read as "no data".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 600
ROW = 56
LABEL_LIMIT = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None


def _number(value, unit):
    if value is None:
        return _("no data")
    text = f"{Decimal(value).normalize():f}"
    return f"{text}{unit}"


def _short(label):
    label = " ".join(str(label).split())
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def bar_chart(title, bars, *, maximum=100, unit="%", ident="chart", minimum=0):
    """The SVG of a bar chart of ``bars`` (``Bar``) from ``minimum`` to ``maximum``; a value below zero (a
    negative gain) is drawn to the left of the zero line when ``minimum`` is negative."""
    bars = list(bars)
    height = max(ROW * len(bars), ROW) + 8
    span = Decimal(maximum - minimum) or Decimal(1)
    left = 4
    usable = WIDTH - 2 * left - 90
    zero = left + usable * Decimal(-minimum) / span
    parts = []
    for i, bar in enumerate(bars):
        y = i * ROW + 4
        parts.append(format_html('<text x="{}" y="{}" class="chart-label">{}</text>', left, y + 18, _short(bar.label)))
        if bar.value is not None:
            value = min(max(Decimal(bar.value), Decimal(minimum)), Decimal(maximum))
            end = left + usable * (value - minimum) / span
            x, w = (zero, end - zero) if end >= zero else (end, zero - end)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="20" rx="2" class="chart-bar{}"></rect>',
                    f"{x:.1f}",
                    y + 26,
                    f"{max(w, Decimal('0.5')):.1f}",
                    " chart-bar-negative" if value < 0 else "",
                )
            )
            text_x = max(end, zero) + 4
        else:
            text_x = zero + 4
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>', f"{text_x:.1f}", y + 42, _number(bar.value, unit)
            )
        )
    if minimum < 0:
        parts.append(
            format_html('<line x1="{0}" x2="{0}" y1="0" y2="{1}" class="chart-axis"></line>', f"{zero:.1f}", height)
        )
    description = "; ".join(f"{_short(bar.label)}: {_number(bar.value, unit)}" for bar in bars) or _("no data")
    return format_html(
        '<figure class="chart" id="{ident}"><figcaption>{title}</figcaption>'
        '<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc"'
        ' preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{ident}-title">{title}</title><desc id="{ident}-desc">{description}</desc>{body}</svg></figure>',
        ident=ident,
        title=title,
        width=WIDTH,
        height=height,
        description=description,
        body=mark_safe("".join(parts)),  # noqa: S308 - each part is made by format_html above
    )

"""Small bar charts as inline SVG, drawn on the server so the PDF needs no JavaScript."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, GAP = 120, 36, 4


def bar_chart(series: list[dict], *, title: str, element_id: str) -> SafeString:
    """Bars for a series of {"period", "value", "display"}; the <title> says every figure in words."""
    values = [Decimal(point["value"]) for point in series]
    top = max((abs(value) for value in values), default=Decimal(0)) or Decimal(1)
    width = (WIDTH - GAP * (len(values) - 1)) / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        height = max(float(abs(value) / top) * (HEIGHT - 2), 1.0)
        bars.append((round(index * (width + GAP), 2), round(HEIGHT - height, 2), round(width, 2), round(height, 2)))
    words = "; ".join(f"{point['period']}: {point['display']}" for point in series) or "no published figures"
    return format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}"><title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        element_id,
        element_id,
        f"{title}. {words}",
        format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="#1d5b8f" stroke="#0b0c0c"/>', bars),
    )

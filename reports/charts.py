"""Report charts as inline SVG, drawn on the server so the PDF (and any other output) needs no JavaScript.

Each chart is drawn from the `chart` a snapshot stores for an indicator (built by
`indicators.chart_series.time_series`): periods placed by time, gaps where a period has no
published figure or a small count is suppressed, a dashed "Not comparable" line where a
comparability note breaks the series, a value axis from zero titled with its unit, and the first and
last periods labelled on the time axis. A trend of one figure is written as that figure, not drawn.

`indicator_chart_svg(indicator, element_id=...)` is the entry point for every output.
"""

from __future__ import annotations

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from indicators.chart_series import NOT_COMPARABLE

# Sized for the report's trend column (about 120 CSS px wide in the A4 PDF).
WIDTH, HEIGHT = 124, 84
LEFT, RIGHT, TOP, BOTTOM = 24, 6, 16, 19  # room for the value ticks, the unit and break labels, the periods
INK, LINE, GRID = "#0b0c0c", "#1d5b8f", "#b1b4b6"
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="7"'


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def axis_value(value: float, unit: str) -> str:
    """A short value-axis label: 0, 500, 25k, 1.5M, 50%, 2.5 (the figures themselves are in the table)."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:g}k"
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "percentage" else text


def line_chart(chart: dict, *, title: str, element_id: str) -> SafeString:
    """An SVG line chart of a snapshot's `chart` (see the module docstring); <title> says every figure in words."""
    points = chart["datasets"][0]["data"]
    values = [point["y"] for point in points if point["y"] is not None]
    first, last = min(point["x"] for point in points), max(point["x"] for point in points)
    span = (last - first) or 1
    top_value = nice_ceiling(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(x: float) -> float:
        return round(LEFT + (x - first) / span * plot_w, 2)

    def y_at(y: float) -> float:
        return round(TOP + plot_h - y / top_value * plot_h, 2)

    parts = []
    # Value axis: 0 and the top, titled with the unit.
    for value in (0, top_value):
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.5"/>'
                '<text x="{}" y="{}" text-anchor="end" ' + FONT + ">{}</text>",
                LEFT,
                y_at(value),
                WIDTH - RIGHT,
                y_at(value),
                INK if value == 0 else GRID,
                LEFT - 3,
                y_at(value) + 3,
                axis_value(value, chart["unit"]),
            )
        )
    parts.append(format_html('<text class="axis-title" x="2" y="9" ' + FONT + ">{}</text>", chart["axis_title"]))
    parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', LEFT, TOP, LEFT, TOP + plot_h, INK))
    # Time axis: the first and the last period, under their points.
    ticks = chart["ticks"]
    ends = sorted({int(key) for key in ticks})
    for position, anchor in ((ends[0], "start"), (ends[-1], "end")):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" ' + FONT + ">{}</text>",
                x_at(position),
                HEIGHT - BOTTOM + 8,
                anchor,
                ticks[str(position)],
            )
        )
    parts.append(
        format_html(
            '<text class="axis-title" x="{}" y="{}" text-anchor="middle" ' + FONT + ">Period ending</text>",
            LEFT + plot_w / 2,
            HEIGHT - 3,
        )
    )
    # The line, in runs between gaps, and a dot at every published figure.
    runs, run = [], []
    for point in points:
        if point["y"] is None:
            runs.append(run)
            run = []
        else:
            run.append(f"{x_at(point['x'])},{y_at(point['y'])}")
    runs.append(run)
    parts.extend(
        format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"/>', " ".join(r), LINE)
        for r in runs
        if len(r) > 1
    )
    parts.append(
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2" fill="{}"/>',
            ((x_at(point["x"]), y_at(point["y"]), LINE) for point in points if point["y"] is not None),
        )
    )
    for mark in chart.get("breaks", []):
        parts.append(
            format_html(
                '<line class="comparability-break" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="3,2"/>'
                '<text x="{}" y="{}" text-anchor="middle" ' + FONT + ">{}</text>",
                x_at(mark["x"]),
                TOP,
                x_at(mark["x"]),
                TOP + plot_h,
                INK,
                x_at(mark["x"]),
                TOP - 3,
                mark["label"],
            )
        )
    words = "; ".join(f"{point['label']}: {point['display']}" for point in points if point["label"])
    breaks = "".join(f" Not comparable from here: {mark['note']}" for mark in chart.get("breaks", []))
    return format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}"><title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        element_id,
        element_id,
        f"{title}, {chart['axis_title']} by period. {words}.{breaks}",
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def indicator_chart_svg(indicator: dict, *, element_id: str) -> SafeString:
    """The trend of a snapshot's indicator: a labelled SVG chart, the single figure in words when
    there is only one, or a pointer to the table when the snapshot predates time-axis charts."""
    if "chart" not in indicator:
        # Snapshots published before charts had a time axis hold no dates: the table has the figures.
        return format_html('<p class="report-small">{}</p>', "The figures by period are in the table below.")
    chart = indicator["chart"]
    if chart is None:
        return format_html('<p class="report-small">{}</p>', "No published figure yet.")
    figures = [point for point in chart["datasets"][0]["data"] if point["label"]]
    if len(figures) == 1:
        only = figures[0]
        return format_html(
            '<p class="report-single-figure"><strong>{}</strong><span class="report-small">{}: the only published '
            "figure, so there is no trend to chart.</span></p>",
            only["display"],
            only["label"],
        )
    if not any(point["y"] is not None for point in figures):
        return format_html('<p class="report-small">{}</p>', "No figure can be charted: small counts are not shown.")
    svg = line_chart(chart, title=f"Trend of {indicator['name']}", element_id=element_id)
    gaps = any(point["y"] is None and point["display"] != NOT_COMPARABLE for point in chart["datasets"][0]["data"])
    caption = "".join(
        [
            f"{chart['axis_title']} by period ending",
            "; a gap is a period with no figure shown" if gaps else "",
            "; the dashed line marks a change after which figures are not comparable" if chart["breaks"] else "",
        ]
    )
    return format_html('<div class="report-trend">{}<p class="report-small">{}.</p></div>', svg, caption)

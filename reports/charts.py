"""Report charts as inline SVG, drawn on the server so the PDF (and any other output) needs no JavaScript.

Each chart is drawn from the `chart` a snapshot stores for an indicator (built by
`indicators.chart_series.time_series`): periods placed by time, gaps where a period has no
published figure or a small count is suppressed, a dashed "Not comparable" line where a
comparability note breaks the series, a value axis from zero titled with its unit, the periods
labelled on the time axis as far as they fit, and the partnership's targets as a dashed line with
square markers. A trend of one figure is written as that figure, not drawn.

Charts are drawn at the size they print (WIDTH × HEIGHT CSS px, 56 × 34 mm, three across the page):
every text is FONT_SIZE CSS px, 7.5 pt on paper (board papers need at least 7 pt), and the Word
document places the same chart at the same size. `indicator_chart_svg(indicator, element_id=...)` and
`chart_caption(indicator)` are the entry points for every output.
"""

from __future__ import annotations

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from indicators.chart_series import NOT_COMPARABLE

WIDTH, HEIGHT = 210, 130  # CSS px (1 px = 0.75 pt)
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 20, 32  # room for the value ticks, the unit and break labels, the periods
FONT_SIZE = 10  # CSS px: 7.5 pt
INK, LINE, GRID, TARGET = "#0b0c0c", "#1d5b8f", "#b1b4b6", "#8a3b00"
FONT = f'font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}"'  # on the <svg>: its texts inherit it
DOT = 2.5  # the radius of a figure's dot
# A period label's width on the time axis, per character (DejaVu Sans at FONT_SIZE, a little generous).
CHARACTER_WIDTH = 6.2
UNIT_WORDS = {"count": "the count", "percentage": "the percentage", "rate_per_1000": "the rate per 1,000 population"}


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


def spaced_ticks(ticks: dict[str, str], x_at) -> list[tuple[float, str]]:
    """The time-axis labels that fit side by side: always the first and the last, then every other one
    that keeps a label's width clear of its neighbours. `ticks` maps str(month index) to a label."""
    ordered = sorted((int(key), label) for key, label in ticks.items())

    def width(label: str) -> float:
        return len(label) * CHARACTER_WIDTH

    first, last = ordered[0], ordered[-1]
    kept = [first]
    for position, label in ordered[1:-1]:
        # The first label starts at its point and the last ends at its own (line_chart's anchors).
        kept_width = width(kept[-1][1]) * (2 if kept[-1] == first else 1)
        left_gap = x_at(position) - x_at(kept[-1][0]) - (width(label) + kept_width) / 2
        right_gap = x_at(last[0]) - x_at(position) - (width(label) + 2 * width(last[1])) / 2
        if left_gap >= 6 and right_gap >= 6:
            kept.append((position, label))
    if last != first:
        kept.append(last)
    return [(x_at(position), label) for position, label in kept]


def line_chart(chart: dict, *, title: str, element_id: str, targets: list[dict] = ()) -> SafeString:
    """An SVG line chart of a snapshot's `chart` (see the module docstring); <title> says every figure in
    words. `targets` are a snapshot indicator's targets ({"x", "value", "display", "period"})."""
    points = chart["datasets"][0]["data"]
    values = [point["y"] for point in points if point["y"] is not None]
    first, last = min(point["x"] for point in points), max(point["x"] for point in points)
    shown_targets = [target for target in targets if first <= target["x"] <= last]
    span = (last - first) or 1
    top_value = nice_ceiling(max([*values, *(target["value"] for target in shown_targets)], default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(x: float) -> float:
        return round(LEFT + (x - first) / span * plot_w, 2)

    def y_at(y: float) -> float:
        return round(TOP + plot_h - y / top_value * plot_h, 2)

    parts = []
    # Value axis: 0, the middle and the top, titled with the unit. Marks of a kind share one path: the
    # renderer styles every element of an inline SVG as it does the page's (about 0.5 ms each in the PDF).
    ticks = (0, top_value / 2, top_value)
    parts.append(
        format_html(
            '<path d="{}" fill="none" stroke="{}" stroke-width="0.5"/><path d="M{},{}V{}H{}" fill="none" stroke="{}"/>',
            "".join(f"M{LEFT},{y_at(value)}H{WIDTH - RIGHT}" for value in ticks[1:]),
            GRID,
            LEFT,
            TOP,
            TOP + plot_h,
            WIDTH - RIGHT,
            INK,
        )
    )
    parts.extend(
        format_html(
            '<text x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT - 4,
            round(y_at(value) + FONT_SIZE / 3, 2),
            axis_value(value, chart["unit"]),
        )
        for value in ticks
    )
    parts.append(format_html('<text class="axis-title" x="2" y="11">{}</text>', chart["axis_title"]))
    # Time axis: the periods, as many as fit, under their points.
    for position, label in spaced_ticks(chart["ticks"], x_at):
        anchor = "start" if position == LEFT and len(chart["ticks"]) > 1 else "middle"
        anchor = "end" if position == LEFT + plot_w and len(chart["ticks"]) > 1 else anchor
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}">{}</text>',
                position,
                HEIGHT - BOTTOM + FONT_SIZE + 3,
                anchor,
                label,
            )
        )
    parts.append(
        format_html(
            '<text class="axis-title" x="{}" y="{}" text-anchor="middle">Period ending</text>',
            LEFT + plot_w / 2,
            HEIGHT - 4,
        )
    )
    # Targets: a dashed line through them and a square at each, under the figures' line.
    if len(shown_targets) > 1:
        parts.append(
            format_html(
                '<polyline class="target-line" points="{}" fill="none" stroke="{}" stroke-width="1" '
                'stroke-dasharray="4,2"/>',
                " ".join(f"{x_at(target['x'])},{y_at(target['value'])}" for target in shown_targets),
                TARGET,
            )
        )
    parts.append(
        format_html_join(
            "",
            '<rect class="target" x="{}" y="{}" width="5" height="5" fill="none" stroke="{}"/>',
            ((x_at(target["x"]) - 2.5, y_at(target["value"]) - 2.5, TARGET) for target in shown_targets),
        )
    )
    # The line, in runs between gaps, and a dot at every published figure (all the dots one path of circles).
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
        format_html(
            '<path class="points" d="{}" fill="{}"/>',
            "".join(
                f"M{round(x_at(point['x']) - DOT, 2)},{y_at(point['y'])}a{DOT},{DOT} 0 1,0 {2 * DOT},0"
                f"a{DOT},{DOT} 0 1,0 {-2 * DOT},0"
                for point in points
                if point["y"] is not None
            ),
            LINE,
        )
    )
    for mark in chart.get("breaks", []):
        # The label reads away from the nearer side, clear of the unit's title in the top left corner.
        at = x_at(mark["x"])
        left_half = at < LEFT + plot_w / 2
        parts.append(
            format_html(
                '<line class="comparability-break" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="3,2"/>'
                '<text x="{}" y="{}" text-anchor="{}">{}</text>',
                at,
                TOP,
                at,
                TOP + plot_h,
                INK,
                at + 3 if left_half else at - 3,
                TOP - 5,
                "start" if left_half else "end",
                mark["label"],
            )
        )
    words = "; ".join(f"{point['label']}: {point['display']}" for point in points if point["label"])
    target_words = "".join(f" Target for {target['period']}: {target['display']}." for target in shown_targets)
    breaks = "".join(f" Not comparable from here: {mark['note']}" for mark in chart.get("breaks", []))
    return format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}" ' + FONT + '><title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        element_id,
        element_id,
        f"{title}, {chart['axis_title']} by period. {words}.{target_words}{breaks}",
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def _figures(indicator: dict) -> list[dict]:
    return [point for point in indicator["chart"]["datasets"][0]["data"] if point["label"]]


def is_drawn(indicator: dict) -> bool:
    """Whether a snapshot's indicator has a chart to draw: two or more published periods with at least
    one figure shown (a snapshot published before time-axis charts has none)."""
    if not indicator.get("chart"):
        return False
    figures = _figures(indicator)
    return len(figures) > 1 and any(point["y"] is not None for point in figures)


def indicator_chart_svg(indicator: dict, *, element_id: str) -> SafeString:
    """The trend of a snapshot's indicator: a labelled SVG chart, the single figure in words when
    there is only one, or a pointer to the table when the snapshot predates time-axis charts."""
    if "chart" not in indicator:
        # Snapshots published before charts had a time axis hold no dates: the table has the figures.
        return format_html('<p class="report-small">{}</p>', "The figures by period are in the table below.")
    chart = indicator["chart"]
    if chart is None:
        return format_html('<p class="report-small">{}</p>', "No published figure yet.")
    figures = _figures(indicator)
    if len(figures) == 1:
        only = figures[0]
        return format_html(
            '<p class="report-single-figure"><strong>{}</strong><span class="report-small">{}: the only published '
            "figure, so there is no trend to chart.</span></p>",
            only["display"],
            only["label"],
        )
    if not is_drawn(indicator):
        return format_html('<p class="report-small">{}</p>', "No figure can be charted: small counts are not shown.")
    return line_chart(
        chart, title=f"Trend of {indicator['name']}", element_id=element_id, targets=indicator.get("targets", [])
    )


def chart_caption(indicator: dict) -> str:
    """What an indicator's figure shows, in words: for a drawn chart "Domestic abuse incidents reported
    to Kent Police in Kent and Medway: the count for each period from 2016 (Jan–Dec), 34,664, to 2017
    (Jan–Dec), 39,756." followed by what its marks mean (gaps, the comparability line, targets) where it
    has them; for one figure, that there is no trend to chart."""
    where = f"{indicator['name']} in {indicator['geography']}"
    if not is_drawn(indicator):
        if len(indicator["series"]) == 1:
            only = indicator["series"][0]
            return f"{where}: one published figure, {only['display']} for {only['period']}, so no trend to chart."
        return f"{where}: the published figures, in the table; no chart is drawn for them."
    chart = indicator["chart"]
    points = chart["datasets"][0]["data"]
    shown = [point for point in points if point["label"] and point["y"] is not None]
    first, last = shown[0], shown[-1]
    span = range(min(point["x"] for point in points), max(point["x"] for point in points) + 1)
    targets = [target for target in indicator.get("targets", []) if target["x"] in span]
    gaps = any(point["y"] is None and point["display"] != NOT_COMPARABLE for point in points)
    sentences = [
        f"{where}: {UNIT_WORDS.get(chart['unit'], chart['axis_title'])} for each period from {first['label']}, "
        f"{first['display']}, to {last['label']}, {last['display']}."
    ]
    if gaps:
        sentences.append("A gap is a period with no figure shown.")
    if chart["breaks"]:
        sentences.append("The dashed upright line marks a change after which figures are not comparable.")
    if targets:
        listed = "; ".join(f"{target['period']}, {target['display']}" for target in targets)
        sentences.append(f"Squares joined by a dashed line are the targets ({listed}).")
    return " ".join(sentences)
